// EventId: the handle schedule() returns, used to cancel an event or ask whether it is pending.
// It names a payload slot plus the sequence number that held it, so a reused slot never matches.
#pragma once

#include <cstdint>
#include <limits>

namespace ctplab::sim {

struct EventId {
  static constexpr uint64_t kNoSequence = std::numeric_limits<uint64_t>::max();

  uint64_t sequence = kNoSequence;
  uint32_t slot = 0;

  // A default-constructed id refers to no event; cancelling it is a harmless no-op.
  constexpr bool valid() const { return sequence != kNoSequence; }
  friend constexpr bool operator==(const EventId&, const EventId&) = default;
};

}  // namespace ctplab::sim
