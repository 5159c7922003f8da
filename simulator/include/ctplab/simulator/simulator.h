// Simulator: the virtual clock and the run loop over an EventQueue, bounded by an event budget.
// A run is a function of its inputs: no wall clock, no global state, ties run in insertion order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/simulator/event_callback.h"
#include "ctplab/simulator/event_id.h"
#include "ctplab/simulator/event_queue.h"
#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim {

struct SimulatorOptions {
  // Every scheduler gives the same order; this only chooses speed. The ladder queue is the
  // fastest measured (docs/benchmarks/scheduler.md); the 4-ary heap has O(log n) worst cases.
  SchedulerKind scheduler = SchedulerKind::kLadderQueue;
  TimePoint start = TimePoint::fromUnixNanos(0);
  uint64_t seed = 0;
  // Total events a simulator may execute in its lifetime: a runaway model (an event that always
  // reschedules itself at `now`) ends with RunOutcome::kBudgetExhausted instead of hanging.
  uint64_t event_budget = 10'000'000'000;
};

enum class RunOutcome {
  kReachedDeadline,  // Everything due by the deadline ran; the clock now reads the deadline.
  kQueueEmpty,       // run() only: nothing is pending.
  kStopped,          // An event called stop(); the clock reads that event's time.
  kBudgetExhausted,  // An event was due but the budget was spent; the clock reads the last run.
};

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options = {});
  // Components keep references to their simulator.
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  TimePoint now() const { return now_; }
  uint64_t seed() const { return seed_; }
  Rng rngFor(uint64_t entity_id) const { return Rng::forEntity(seed_, entity_id); }
  Rng rngFor(std::string_view entity_name) const { return rngFor(entityId(entity_name)); }

  // A time already past means "as soon as possible": the event runs at now(), after the events
  // already due at now(). This is how a deadline that has passed fires (ngtcp2, QUICHE alarms).
  EventId schedule(TimePoint at, EventCallback callback);
  // A negative delay counts as zero.
  EventId scheduleAfter(Duration delay, EventCallback callback);
  bool cancel(EventId id) { return queue_.cancel(id); }
  bool isPending(EventId id) const { return queue_.isPending(id); }

  // Runs every event due at or before `deadline`, including ones scheduled while running, in
  // (time, insertion) order, then sets the clock to `deadline`. A deadline in the past runs
  // nothing and leaves the clock alone: virtual time never goes back.
  RunOutcome runUntil(TimePoint deadline);
  RunOutcome runFor(Duration span);
  // Runs until nothing is pending; the clock stays at the last event's time.
  RunOutcome run();
  // Called from an event: the current run returns after that event. Elsewhere: no effect.
  void stop() { stop_requested_ = running_; }

  std::size_t pendingEvents() const { return queue_.size(); }
  std::optional<TimePoint> nextEventTime() { return queue_.nextTime(); }
  uint64_t eventsExecuted() const { return events_executed_; }
  uint64_t eventBudget() const { return event_budget_; }
  void setEventBudget(uint64_t total) { event_budget_ = total; }
  std::string_view schedulerName() const { return queue_.schedulerName(); }

 private:
  RunOutcome runLoop(TimePoint deadline);

  EventQueue queue_;
  TimePoint now_;
  uint64_t seed_;
  uint64_t event_budget_;
  uint64_t events_executed_ = 0;
  bool running_ = false;
  bool stop_requested_ = false;
};

}  // namespace ctplab::sim
