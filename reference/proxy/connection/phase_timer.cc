// The phase timer: one deadline, decided by whichever of "finished" and "deadline" comes first.
#include "ctplab/proxy/connection/phase_timer.h"

namespace ctplab::proxy::connection {

PhaseTimer::PhaseTimer(std::optional<Duration> limit, uint64_t* timeout_counter)
    : timeout_counter_(timeout_counter) {
  // A zero or negative limit means "no limit", as Envoy reads a zero timeout.
  if (limit && limit->ns() > 0) limit_ = limit;
}

void PhaseTimer::start(TimePoint now) {
  if (state_ != State::kIdle) return;
  state_ = State::kRunning;
  if (limit_) deadline_ = now + *limit_;
}

bool PhaseTimer::finish(TimePoint now) {
  if (state_ == State::kTimedOut) return false;
  if (state_ == State::kRunning && deadline_ && now >= *deadline_) {
    // The driver reports the completion late: the proxy's timer fired at the deadline.
    expire();
    return false;
  }
  state_ = State::kFinished;
  deadline_.reset();
  return true;
}

std::optional<TimePoint> PhaseTimer::deadline() const {
  return state_ == State::kRunning ? deadline_ : std::nullopt;
}

bool PhaseTimer::onDeadline(TimePoint now) {
  if (state_ != State::kRunning || !deadline_ || now < *deadline_) return false;
  expire();
  return true;
}

void PhaseTimer::expire() {
  state_ = State::kTimedOut;
  deadline_.reset();
  if (timeout_counter_ != nullptr) ++*timeout_counter_;
}

}  // namespace ctplab::proxy::connection
