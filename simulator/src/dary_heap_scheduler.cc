// DaryHeapScheduler implementation: hole-based sifting; pops walk the hole to a leaf first, since
// in a simulation the last key almost always belongs near the bottom (one comparison saved a
// level).
#include "ctplab/simulator/dary_heap_scheduler.h"

#include <algorithm>

namespace ctplab::sim {

template <int kArity>
DaryHeapScheduler<kArity>::DaryHeapScheduler() : storage_(kPadding) {}

template <int kArity>
void DaryHeapScheduler<kArity>::push(EventKey key) {
  storage_.emplace_back();
  siftUp(size() - 1, key);
}

template <int kArity>
bool DaryHeapScheduler<kArity>::popNotAfter(TimePoint limit, EventKey* out) {
  if (size() == 0 || at(0).time() > limit) return false;
  *out = at(0);
  removeRoot();
  return true;
}

template <int kArity>
std::optional<EventKey> DaryHeapScheduler<kArity>::peek() {
  if (size() == 0) return std::nullopt;
  return at(0);
}

template <int kArity>
void DaryHeapScheduler<kArity>::retainIf(const std::function<bool(const EventKey&)>& keep) {
  const auto first = storage_.begin() + static_cast<std::ptrdiff_t>(kPadding);
  storage_.erase(
      std::remove_if(first, storage_.end(), [&keep](const EventKey& key) { return !keep(key); }),
      storage_.end());
  // Floyd's bottom-up construction: O(n), cheaper than re-pushing the survivors.
  if (size() < 2) return;
  for (std::size_t i = (size() - 2) / kArity + 1; i-- > 0;) siftDown(i, at(i));
}

template <int kArity>
std::string_view DaryHeapScheduler<kArity>::name() const {
  if constexpr (kArity == 2) return "binary-heap";
  if constexpr (kArity == 4) return "4-ary-heap";
  return "d-ary-heap";
}

template <int kArity>
void DaryHeapScheduler<kArity>::siftUp(std::size_t hole, EventKey key) {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!(key < at(parent))) break;
    at(hole) = at(parent);
    hole = parent;
  }
  at(hole) = key;
}

template <int kArity>
void DaryHeapScheduler<kArity>::siftDown(std::size_t hole, EventKey key) {
  const std::size_t n = size();
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    const std::size_t end = std::min(first + kArity, n);
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c) {
      if (at(c) < at(best)) best = c;
    }
    if (!(at(best) < key)) break;
    at(hole) = at(best);
    hole = best;
  }
  at(hole) = key;
}

template <int kArity>
void DaryHeapScheduler<kArity>::removeRoot() {
  const EventKey last = storage_.back();
  storage_.pop_back();
  const std::size_t n = size();
  if (n == 0) return;
  std::size_t hole = 0;
  // Full families first: a fixed-size child scan the compiler unrolls.
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first + kArity > n) break;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < first + kArity; ++c) {
      if (at(c) < at(best)) best = c;
    }
    at(hole) = at(best);
    hole = best;
  }
  // At most one partial family remains, at the bottom.
  const std::size_t first = hole * kArity + 1;
  if (first < n) {
    std::size_t best = first;
    for (std::size_t c = first + 1; c < n; ++c) {
      if (at(c) < at(best)) best = c;
    }
    at(hole) = at(best);
    hole = best;
  }
  siftUp(hole, last);
}

template class DaryHeapScheduler<2>;
template class DaryHeapScheduler<4>;

}  // namespace ctplab::sim
