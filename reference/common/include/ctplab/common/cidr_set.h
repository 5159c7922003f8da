// A set of IPv4/IPv6 CIDRs, each tagged with a number, answering which tags contain an address:
// longest-prefix match and the smallest tag (first-match-wins rule lists), fast at 10,000+ CIDRs.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/common/ip_cidr.h"

namespace ctplab {

// Design: a sorted-interval index per address family rather than a trie. Any two CIDRs are either
// disjoint or nested, so n CIDRs cut the address space into at most 2n+1 intervals on which the
// set of containing CIDRs is constant. Each interval remembers its innermost CIDR; each distinct
// CIDR remembers its enclosing one and the smallest tag on that chain. A query is one branch-free
// binary search over a flat array of interval starts (O(log n), ~15 steps at 10,000 CIDRs, no
// pointer chasing) plus O(1) reads; a trie would walk up to 32/128 dependent nodes.
// Walking every containing CIDR follows the enclosing chain, at most 33 (IPv4) or 129 (IPv6) long.
//
// Families are matched as parsed, as IpCidr::contains and Envoy's CIDR ranges do: an
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv6, so only IPv6 CIDRs such as ::ffff:0:0/96
// contain it, never 0.0.0.0/0. Whoever produces the address decides whether to unmap it first
// (Envoy turns mapped peer addresses into IPv4 on dual-stack sockets).
class CidrSet {
 public:
  struct Entry {
    IpCidr cidr;
    uint32_t value = 0;
  };

  CidrSet() = default;  // empty: every query answers nullopt
  // Entries may overlap and may repeat a CIDR; a CIDR listed several times answers with its
  // smallest value in longestMatch.
  explicit CidrSet(const std::vector<Entry>& entries);

  // The value of the most specific CIDR containing `address`.
  std::optional<uint32_t> longestMatch(const IpAddress& address) const;
  // The smallest value among all CIDRs containing `address`: with values as rule indices, the
  // first rule (in order) whose CIDR matches.
  std::optional<uint32_t> smallestIndexMatching(const IpAddress& address) const;
  // The smallest value greater than `after` among CIDRs containing `address`, so callers can
  // visit every matching value in ascending order (rules whose other conditions failed). Costs
  // one binary search per enclosing CIDR on the chain.
  std::optional<uint32_t> smallestIndexMatchingAfter(const IpAddress& address,
                                                     uint32_t after) const;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // A 128-bit key, high half first, so the defaulted comparison is numeric order.
  struct Key128 {
    uint64_t hi = 0;
    uint64_t lo = 0;
    auto operator<=>(const Key128&) const = default;
  };

  // Search structure of one family; Key is uint32_t (IPv4) or Key128 (IPv6). Public only so the
  // builder and lookups, templates in the source file, can name it; callers never need it.
  template <typename Key>
  struct FamilyIndex {
    struct Range {                // one distinct CIDR
      uint32_t parent = 0;        // innermost enclosing Range, or kNone
      uint32_t own_min = 0;       // smallest value listed with exactly this CIDR
      uint32_t chain_min = 0;     // smallest value of this CIDR and every enclosing one
      uint32_t values_begin = 0;  // this CIDR's values, ascending, in `values`
      uint32_t values_end = 0;
    };
    std::vector<Key> starts;        // interval starts, strictly ascending; starts[0] is 0
    std::vector<uint32_t> deepest;  // per interval: innermost Range containing it, or kNone
    std::vector<Range> ranges;
    std::vector<uint32_t> values;
  };

  static constexpr uint32_t kNone = UINT32_MAX;

 private:
  FamilyIndex<uint32_t> v4_;
  FamilyIndex<Key128> v6_;
  size_t size_ = 0;
};

}  // namespace ctplab
