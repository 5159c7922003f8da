// Simulator implementation: clamping of past times and the bounded run loop.
// The loop is the only place the clock moves, and it only moves forward.
#include "ctplab/simulator/simulator.h"

#include <limits>
#include <utility>

#include "ctplab/simulator/check.h"

namespace ctplab::sim {

namespace {

constexpr TimePoint kEndOfTime = TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());

// Saturates instead of overflowing: runFor(huge) means "until the end of time".
TimePoint addSaturating(TimePoint t, Duration d) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  if (d.ns() > 0 && t.unixNanos() > max - d.ns()) return kEndOfTime;
  if (d.ns() < 0 && t.unixNanos() < min - d.ns()) return TimePoint::fromUnixNanos(min);
  return t + d;
}

}  // namespace

Simulator::Simulator(SimulatorOptions options)
    : queue_(makeScheduler(options.scheduler)),
      now_(options.start),
      seed_(options.seed),
      event_budget_(options.event_budget) {}

EventId Simulator::schedule(TimePoint at, EventCallback callback) {
  return queue_.push(at < now_ ? now_ : at, std::move(callback));
}

EventId Simulator::scheduleAfter(Duration delay, EventCallback callback) {
  return queue_.push(delay.ns() > 0 ? addSaturating(now_, delay) : now_, std::move(callback));
}

RunOutcome Simulator::runUntil(TimePoint deadline) {
  if (deadline < now_) return RunOutcome::kReachedDeadline;
  const RunOutcome outcome = runLoop(deadline);
  if (outcome == RunOutcome::kReachedDeadline) now_ = deadline;
  return outcome;
}

RunOutcome Simulator::runFor(Duration span) { return runUntil(addSaturating(now_, span)); }

RunOutcome Simulator::run() {
  const RunOutcome outcome = runLoop(kEndOfTime);
  return outcome == RunOutcome::kReachedDeadline ? RunOutcome::kQueueEmpty : outcome;
}

RunOutcome Simulator::runLoop(TimePoint deadline) {
  CTPLAB_SIM_CHECK(!running_, "run called from inside an event");
  running_ = true;
  stop_requested_ = false;
  RunOutcome outcome = RunOutcome::kReachedDeadline;
  EventCallback callback;
  TimePoint at;
  // Bounded: each pass executes one event, and events_executed_ only grows up to the budget.
  for (;;) {
    if (events_executed_ >= event_budget_) {
      const std::optional<TimePoint> next = queue_.nextTime();
      if (next.has_value() && *next <= deadline) outcome = RunOutcome::kBudgetExhausted;
      break;
    }
    if (!queue_.popNotAfter(deadline, &at, &callback)) break;
    now_ = at;
    ++events_executed_;
    callback();
    callback.reset();  // Release what the event captured at its own time, not the next one's.
    if (stop_requested_) {
      outcome = RunOutcome::kStopped;
      break;
    }
  }
  running_ = false;
  stop_requested_ = false;
  return outcome;
}

}  // namespace ctplab::sim
