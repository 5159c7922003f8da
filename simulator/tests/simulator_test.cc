// Simulator tests: the clock, ordering and tie rules, runUntil/runFor/run semantics, stop, the
// event budget, cancellation from inside events, and release of captured state.
#include "ctplab/simulator/simulator.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "scheduler_kinds.h"

namespace ctplab::sim {
namespace {

TimePoint at(int64_t ns) { return TimePoint::fromUnixNanos(ns); }
Duration ns(int64_t n) { return Duration::nanoseconds(n); }

class SimulatorTest : public ::testing::TestWithParam<SchedulerKind> {
 protected:
  SimulatorOptions options() const { return SimulatorOptions{.scheduler = GetParam()}; }

  // Schedules an event that logs its tag and the time it ran at.
  EventId logAt(Simulator& sim, int64_t time_ns, int tag) {
    return sim.schedule(at(time_ns), [this, &sim, tag] {
      log_.push_back(tag);
      times_.push_back(sim.now().unixNanos());
    });
  }

  std::vector<int> log_;
  std::vector<int64_t> times_;
};

TEST_P(SimulatorTest, RunsEventsInTimeOrderWithClockAtEventTime) {
  Simulator sim(options());
  logAt(sim, 30, 3);
  logAt(sim, 10, 1);
  logAt(sim, 20, 2);
  EXPECT_EQ(sim.run(), RunOutcome::kQueueEmpty);
  EXPECT_EQ(log_, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(times_, (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(sim.now(), at(30));  // run() leaves the clock at the last event.
  EXPECT_EQ(sim.eventsExecuted(), 3u);
}

TEST_P(SimulatorTest, EqualTimesRunInInsertionOrder) {
  Simulator sim(options());
  for (int tag = 0; tag < 10; ++tag) logAt(sim, 5, tag);
  // Scheduled during the run for the same instant: after everything already due then.
  sim.schedule(at(5), [&] { logAt(sim, 5, 100); });
  sim.run();
  EXPECT_EQ(log_, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100}));
}

TEST_P(SimulatorTest, PastTimesAndNegativeDelaysRunAtNow) {
  Simulator sim(options());
  sim.schedule(at(100), [&] {
    logAt(sim, 50, 1);  // In the past.
    sim.scheduleAfter(ns(-7), [&] {
      log_.push_back(2);
      times_.push_back(sim.now().unixNanos());
    });
  });
  logAt(sim, 100, 0);
  sim.run();
  EXPECT_EQ(log_, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(times_, (std::vector<int64_t>{100, 100, 100}));
}

TEST_P(SimulatorTest, StartsAtConfiguredTime) {
  SimulatorOptions o = options();
  o.start = TimePoint::fromUnixSeconds(1'700'000'000);
  Simulator sim(o);
  EXPECT_EQ(sim.now(), o.start);
  sim.scheduleAfter(Duration::seconds(1), [] {});
  EXPECT_EQ(sim.nextEventTime(), o.start + Duration::seconds(1));
}

TEST_P(SimulatorTest, RunUntilIsInclusiveAndSetsTheClock) {
  Simulator sim(options());
  logAt(sim, 10, 1);
  logAt(sim, 20, 2);
  logAt(sim, 30, 3);
  sim.schedule(at(15), [&] {
    logAt(sim, 18, 4);  // Due before the deadline: runs in this call.
    logAt(sim, 25, 5);  // After it: waits.
  });
  EXPECT_EQ(sim.runUntil(at(20)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(log_, (std::vector<int>{1, 4, 2}));
  EXPECT_EQ(sim.now(), at(20));
  EXPECT_EQ(sim.pendingEvents(), 2u);

  EXPECT_EQ(sim.runUntil(at(24)), RunOutcome::kReachedDeadline);  // Nothing due: clock moves.
  EXPECT_EQ(sim.now(), at(24));
  EXPECT_EQ(sim.runFor(ns(1)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(sim.now(), at(25));
  EXPECT_EQ(log_, (std::vector<int>{1, 4, 2, 5}));
}

TEST_P(SimulatorTest, RunUntilInThePastDoesNothing) {
  Simulator sim(options());
  sim.runUntil(at(100));
  logAt(sim, 150, 1);
  EXPECT_EQ(sim.runUntil(at(50)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(sim.now(), at(100));
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(sim.runFor(ns(-10)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(sim.now(), at(100));
}

TEST_P(SimulatorTest, RunForSaturatesAtTheEndOfTime) {
  Simulator sim(options());
  logAt(sim, 1'000'000, 1);
  sim.runFor(ns(1));
  EXPECT_EQ(sim.runFor(Duration::nanoseconds(INT64_MAX)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(sim.now().unixNanos(), INT64_MAX);
  EXPECT_EQ(log_, (std::vector<int>{1}));
}

TEST_P(SimulatorTest, StopEndsTheRunAfterTheCurrentEvent) {
  Simulator sim(options());
  logAt(sim, 10, 1);
  sim.schedule(at(20), [&] {
    log_.push_back(2);
    sim.stop();
  });
  logAt(sim, 20, 3);
  logAt(sim, 30, 4);
  EXPECT_EQ(sim.runUntil(at(100)), RunOutcome::kStopped);
  EXPECT_EQ(log_, (std::vector<int>{1, 2}));
  EXPECT_EQ(sim.now(), at(20));
  sim.stop();  // Outside a run: no effect on the next one.
  EXPECT_EQ(sim.runUntil(at(100)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(log_, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(sim.now(), at(100));
}

TEST_P(SimulatorTest, BudgetBoundsARunawayModel) {
  SimulatorOptions o = options();
  o.event_budget = 1000;
  Simulator sim(o);
  int runs = 0;
  // Reschedules itself at the same instant forever: time never advances.
  std::function<void()> spin = [&] {
    ++runs;
    sim.schedule(sim.now(), [&] { spin(); });
  };
  sim.schedule(at(7), [&] { spin(); });
  EXPECT_EQ(sim.runUntil(at(1'000'000)), RunOutcome::kBudgetExhausted);
  EXPECT_EQ(runs, 1000);
  EXPECT_EQ(sim.eventsExecuted(), 1000u);
  EXPECT_EQ(sim.now(), at(7));
  EXPECT_EQ(sim.run(), RunOutcome::kBudgetExhausted);
  EXPECT_EQ(runs, 1000);

  sim.setEventBudget(1500);
  EXPECT_EQ(sim.run(), RunOutcome::kBudgetExhausted);
  EXPECT_EQ(runs, 1500);
}

TEST_P(SimulatorTest, SpentBudgetStillReachesADeadlineWithNothingDue) {
  SimulatorOptions o = options();
  o.event_budget = 1;
  Simulator sim(o);
  logAt(sim, 10, 1);
  logAt(sim, 50, 2);
  EXPECT_EQ(sim.runUntil(at(20)), RunOutcome::kReachedDeadline);
  EXPECT_EQ(sim.now(), at(20));
  EXPECT_EQ(sim.runUntil(at(60)), RunOutcome::kBudgetExhausted);
  EXPECT_EQ(sim.now(), at(20));
  EXPECT_EQ(log_, (std::vector<int>{1}));
}

TEST_P(SimulatorTest, EventsCanCancelOthersButNotThemselves) {
  Simulator sim(options());
  EventId victim;
  EventId self;
  bool cancelled_victim = false;
  bool cancelled_self = true;
  self = sim.schedule(at(10), [&] {
    cancelled_victim = sim.cancel(victim);
    cancelled_self = sim.cancel(self);  // Already running: no longer pending.
  });
  victim = logAt(sim, 10, 99);  // Same time, later in order.
  sim.run();
  EXPECT_TRUE(cancelled_victim);
  EXPECT_FALSE(cancelled_self);
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(sim.eventsExecuted(), 1u);
}

TEST_P(SimulatorTest, CapturesAreReleasedWhenTheEventRunsOrIsCancelled) {
  Simulator sim(options());
  auto payload = std::make_shared<int>(1);
  long seen_during_run = 0;
  sim.schedule(at(1), [payload, &seen_during_run] { seen_during_run = payload.use_count(); });
  const EventId cancelled = sim.schedule(at(2), [payload] {});
  EXPECT_EQ(payload.use_count(), 3);
  sim.cancel(cancelled);
  EXPECT_EQ(payload.use_count(), 2);
  sim.run();
  EXPECT_EQ(seen_during_run, 2);
  EXPECT_EQ(payload.use_count(), 1);
}

// A capture whose destructor schedules events (say, a connection object that reports its own
// teardown) must be safe both when its event runs and when it is cancelled, even if the slot
// storage grows underneath.
TEST_P(SimulatorTest, CaptureDestructorsMayScheduleEvents) {
  Simulator sim(options());
  int follow_ups = 0;
  struct Reporter {
    Simulator* sim;
    int* follow_ups;
    bool armed = true;
    Reporter(Simulator* s, int* f) : sim(s), follow_ups(f) {}
    Reporter(Reporter&& other) noexcept : sim(other.sim), follow_ups(other.follow_ups) {
      other.armed = false;
    }
    ~Reporter() {
      if (!armed) return;
      for (int i = 0; i < 200; ++i) sim->scheduleAfter(ns(1), [f = follow_ups] { ++*f; });
    }
  };
  sim.schedule(at(1), [r = Reporter(&sim, &follow_ups)] {});
  const EventId doomed = sim.schedule(at(2), [r = Reporter(&sim, &follow_ups)] {});
  EXPECT_TRUE(sim.cancel(doomed));
  EXPECT_EQ(sim.pendingEvents(), 201u);
  EXPECT_EQ(sim.run(), RunOutcome::kQueueEmpty);
  EXPECT_EQ(follow_ups, 400);
}

TEST_P(SimulatorTest, RngStreamsFollowSeedAndName) {
  SimulatorOptions o = options();
  o.seed = 42;
  Simulator sim(o);
  EXPECT_EQ(sim.seed(), 42u);
  EXPECT_EQ(sim.rngFor("client-1").next(), Rng::forEntity(42, entityId("client-1")).next());
  EXPECT_NE(sim.rngFor("client-1").next(), sim.rngFor("client-2").next());
  EXPECT_EQ(sim.schedulerName(), schedulerName(GetParam()));
}

TEST_P(SimulatorTest, RunInsideAnEventIsABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Simulator sim(options());
        sim.schedule(at(1), [&] { sim.run(); });
        sim.run();
      },
      "run called from inside an event");
}

INSTANTIATE_TEST_SUITE_P(AllSchedulers, SimulatorTest, kAllSchedulerKinds, schedulerParamName);

}  // namespace
}  // namespace ctplab::sim
