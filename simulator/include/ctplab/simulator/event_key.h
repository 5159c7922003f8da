// EventKey: what a scheduler orders — virtual time first, then the sequence number of insertion.
// The payload slot rides in the low bits so a key is 16 bytes and four share one cache line.
#pragma once

#include <cstdint>

#include "ctplab/common/time.h"

namespace ctplab::sim {

class EventKey {
 public:
  // 26 slot bits allow 67 M pending events (about 5 GB of payload, beyond any planned run);
  // 38 sequence bits allow 2.7e11 scheduled events, far past the default event budget.
  static constexpr int kSlotBits = 26;
  static constexpr uint64_t kMaxSlots = uint64_t{1} << kSlotBits;
  static constexpr uint64_t kMaxSequence = uint64_t{1} << (64 - kSlotBits);

  constexpr EventKey() = default;
  constexpr EventKey(TimePoint time, uint64_t sequence, uint32_t slot)
      : time_ns_(time.unixNanos()), tag_((sequence << kSlotBits) | slot) {}

  constexpr TimePoint time() const { return TimePoint::fromUnixNanos(time_ns_); }
  constexpr int64_t timeNanos() const { return time_ns_; }
  constexpr uint64_t sequence() const { return tag_ >> kSlotBits; }
  constexpr uint32_t slot() const { return static_cast<uint32_t>(tag_ & (kMaxSlots - 1)); }

  // Sequence numbers are unique, so the slot bits never decide an order. The comparison is one
  // 128-bit compare: equal times are common in simulations, and a branch on them mispredicts.
  friend constexpr bool operator<(const EventKey& a, const EventKey& b) {
    return a.wide() < b.wide();
  }
  friend constexpr bool operator==(const EventKey& a, const EventKey& b) = default;

 private:
  __extension__ using Wide = unsigned __int128;

  // Flipping the sign bit maps signed time order onto unsigned order.
  constexpr Wide wide() const {
    return (Wide{static_cast<uint64_t>(time_ns_) ^ (uint64_t{1} << 63)} << 64) | tag_;
  }

  int64_t time_ns_ = 0;
  uint64_t tag_ = 0;
};

}  // namespace ctplab::sim
