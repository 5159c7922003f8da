#include "ctplab/common/cidr_set.h"

#include <algorithm>
#include <tuple>

namespace ctplab {
namespace {

using Key128 = CidrSet::Key128;
constexpr uint32_t kNone = CidrSet::kNone;

struct V4 {
  using Key = uint32_t;
  static Key fromAddress(const IpAddress& a) {
    const auto& b = a.bytes();
    return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
  }
  static Key last(Key start, int prefix) {
    return prefix >= 32 ? start : start | (~uint32_t{0} >> prefix);
  }
  static bool isMax(Key k) { return k == ~uint32_t{0}; }
  static Key successor(Key k) { return k + 1; }
};

struct V6 {
  using Key = Key128;
  static Key fromAddress(const IpAddress& a) {
    const auto& b = a.bytes();
    Key k;
    for (int i = 0; i < 8; ++i) k.hi = (k.hi << 8) | b[i];
    for (int i = 8; i < 16; ++i) k.lo = (k.lo << 8) | b[i];
    return k;
  }
  static Key last(Key start, int prefix) {
    constexpr uint64_t kAll = ~uint64_t{0};
    if (prefix < 64) return {start.hi | (kAll >> prefix), kAll};
    if (prefix < 128) return {start.hi, start.lo | (kAll >> (prefix - 64))};
    return start;
  }
  static bool isMax(Key k) { return k.hi == ~uint64_t{0} && k.lo == ~uint64_t{0}; }
  static Key successor(Key k) {
    return k.lo == ~uint64_t{0} ? Key{k.hi + 1, 0} : Key{k.hi, k.lo + 1};
  }
};

template <typename Traits>
struct Item {
  typename Traits::Key start;
  int prefix;
  uint32_t value;
};

template <typename Traits>
void build(std::vector<Item<Traits>> items, CidrSet::FamilyIndex<typename Traits::Key>& out) {
  using Key = typename Traits::Key;
  using Range = typename CidrSet::FamilyIndex<Key>::Range;
  // Enclosing CIDRs sort before the CIDRs they contain: same start, shorter prefix first.
  std::sort(items.begin(), items.end(), [](const Item<Traits>& a, const Item<Traits>& b) {
    return std::tie(a.start, a.prefix, a.value) < std::tie(b.start, b.prefix, b.value);
  });

  std::vector<Key> range_start, range_last;
  for (size_t i = 0; i < items.size();) {
    size_t j = i;
    Range r;
    r.values_begin = static_cast<uint32_t>(out.values.size());
    for (;
         j < items.size() && items[j].start == items[i].start && items[j].prefix == items[i].prefix;
         ++j) {
      if (out.values.size() == r.values_begin || out.values.back() != items[j].value) {
        out.values.push_back(items[j].value);
      }
    }
    r.values_end = static_cast<uint32_t>(out.values.size());
    r.own_min = items[i].value;
    out.ranges.push_back(r);
    range_start.push_back(items[i].start);
    range_last.push_back(Traits::last(items[i].start, items[i].prefix));
    i = j;
  }

  // One sweep in start order with a stack of open CIDRs: laminarity makes the stack top the
  // innermost CIDR enclosing the next one, and each pop starts an interval owned by the new top.
  auto emit = [&out](Key start, uint32_t deepest) {
    if (!out.starts.empty() && out.starts.back() == start) {
      out.deepest.back() = deepest;  // an empty interval: the later owner wins
    } else {
      out.starts.push_back(start);
      out.deepest.push_back(deepest);
    }
  };
  std::vector<uint32_t> open;
  auto close = [&](uint32_t top) {
    open.pop_back();
    if (!Traits::isMax(range_last[top])) {
      emit(Traits::successor(range_last[top]), open.empty() ? kNone : open.back());
    }
  };
  emit(Key{}, kNone);
  for (uint32_t r = 0; r < out.ranges.size(); ++r) {
    while (!open.empty() && range_last[open.back()] < range_start[r]) close(open.back());
    Range& range = out.ranges[r];
    range.parent = open.empty() ? kNone : open.back();
    range.chain_min =
        open.empty() ? range.own_min : std::min(range.own_min, out.ranges[open.back()].chain_min);
    emit(range_start[r], r);
    open.push_back(r);
  }
  while (!open.empty()) close(open.back());
}

// The innermost Range containing `key`, or kNone. Branch-free halving keeps the search free of
// mispredictions; starts[0] == 0 guarantees an interval.
template <typename Key>
uint32_t locate(const CidrSet::FamilyIndex<Key>& index, Key key) {
  const Key* base = index.starts.data();
  size_t n = index.starts.size();
  while (n > 1) {
    const size_t half = n / 2;
    base = (base[half] <= key) ? base + half : base;
    n -= half;
  }
  return index.deepest[static_cast<size_t>(base - index.starts.data())];
}

template <typename Key>
std::optional<uint32_t> valueAfter(const CidrSet::FamilyIndex<Key>& index, uint32_t range,
                                   uint32_t after) {
  std::optional<uint32_t> best;
  for (uint32_t r = range; r != kNone; r = index.ranges[r].parent) {
    const auto& node = index.ranges[r];
    if (node.chain_min > after) {
      // Every value from here up the chain is at least chain_min, which is itself one of them.
      if (!best || node.chain_min < *best) best = node.chain_min;
      break;
    }
    const auto begin = index.values.begin() + node.values_begin;
    const auto end = index.values.begin() + node.values_end;
    const auto it = std::upper_bound(begin, end, after);
    if (it != end && (!best || *it < *best)) best = *it;
  }
  return best;
}

}  // namespace

CidrSet::CidrSet(const std::vector<Entry>& entries) : size_(entries.size()) {
  std::vector<Item<V4>> v4;
  std::vector<Item<V6>> v6;
  for (const Entry& e : entries) {
    const IpAddress& net = e.cidr.network();
    if (net.family() == IpAddress::Family::kV4) {
      v4.push_back({V4::fromAddress(net), e.cidr.prefixLength(), e.value});
    } else {
      v6.push_back({V6::fromAddress(net), e.cidr.prefixLength(), e.value});
    }
  }
  build<V4>(std::move(v4), v4_);
  build<V6>(std::move(v6), v6_);
}

std::optional<uint32_t> CidrSet::longestMatch(const IpAddress& address) const {
  if (empty()) return std::nullopt;
  if (address.family() == IpAddress::Family::kV4) {
    const uint32_t r = locate(v4_, V4::fromAddress(address));
    if (r == kNone) return std::nullopt;
    return v4_.ranges[r].own_min;
  }
  const uint32_t r = locate(v6_, V6::fromAddress(address));
  if (r == kNone) return std::nullopt;
  return v6_.ranges[r].own_min;
}

std::optional<uint32_t> CidrSet::smallestIndexMatching(const IpAddress& address) const {
  if (empty()) return std::nullopt;
  if (address.family() == IpAddress::Family::kV4) {
    const uint32_t r = locate(v4_, V4::fromAddress(address));
    if (r == kNone) return std::nullopt;
    return v4_.ranges[r].chain_min;
  }
  const uint32_t r = locate(v6_, V6::fromAddress(address));
  if (r == kNone) return std::nullopt;
  return v6_.ranges[r].chain_min;
}

std::optional<uint32_t> CidrSet::smallestIndexMatchingAfter(const IpAddress& address,
                                                            uint32_t after) const {
  if (empty()) return std::nullopt;
  if (address.family() == IpAddress::Family::kV4) {
    return valueAfter(v4_, locate(v4_, V4::fromAddress(address)), after);
  }
  return valueAfter(v6_, locate(v6_, V6::fromAddress(address)), after);
}

}  // namespace ctplab
