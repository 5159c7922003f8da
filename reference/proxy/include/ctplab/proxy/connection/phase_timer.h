// A connection phase that must finish within a time limit (the TLS handshake, the listener
// filters' inspection), on explicit times: started at T, it times out at T + limit.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"

namespace ctplab::proxy::connection {

class PhaseTimer {
 public:
  PhaseTimer() = default;  // no limit: the phase never times out
  // `timeout_counter` (may be null) is incremented once if the phase times out; it must outlive
  // the timer.
  PhaseTimer(std::optional<Duration> limit, uint64_t* timeout_counter);

  // The phase begins. Ignored unless the timer is idle.
  void start(TimePoint now);
  // The phase completed at `now`. Returns false when it had already timed out, or `now` is at or
  // past the deadline (the timer would have fired first; the timeout is counted then).
  bool finish(TimePoint now);

  // When the running phase times out; nullopt when not running or without a limit.
  std::optional<TimePoint> deadline() const;
  // True once, when the phase is still running at its deadline: counts the timeout.
  bool onDeadline(TimePoint now);

  bool running() const { return state_ == State::kRunning; }
  bool timedOut() const { return state_ == State::kTimedOut; }

 private:
  enum class State { kIdle, kRunning, kFinished, kTimedOut };
  void expire();

  std::optional<Duration> limit_;
  uint64_t* timeout_counter_ = nullptr;
  State state_ = State::kIdle;
  std::optional<TimePoint> deadline_;
};

}  // namespace ctplab::proxy::connection
