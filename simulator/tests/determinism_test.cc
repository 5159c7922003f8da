// Determinism: a random workload (many entities, ties, timers re-armed and cancelled, bursts)
// gives the same trace under every scheduler, twice with one seed, differently with another.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/simulator.h"

namespace ctplab::sim {
namespace {

struct TraceEntry {
  int64_t time_ns;
  uint32_t entity;
  uint32_t step;
  friend bool operator==(const TraceEntry&, const TraceEntry&) = default;
};

// An entity acts, then picks its next action from its own stream: the usual shape of a client
// model. Its idle timer is re-armed on every action, so most timers are cancelled before firing.
class Entity {
 public:
  Entity(Simulator& sim, uint32_t index, std::vector<TraceEntry>& trace)
      : sim_(sim),
        index_(index),
        rng_(sim.rngFor("entity-" + std::to_string(index))),
        trace_(trace) {}

  void start() { sim_.scheduleAfter(Duration::nanoseconds(rng_.uniformInt(0, 1000)), act()); }

 private:
  EventCallback act() {
    return [this] {
      trace_.push_back({sim_.now().unixNanos(), index_, step_++});
      sim_.cancel(idle_timer_);
      idle_timer_ = sim_.scheduleAfter(Duration::microseconds(50), [this] {
        trace_.push_back({sim_.now().unixNanos(), index_ + 1'000'000, step_++});
      });
      switch (rng_.uniformBelow(4)) {
        case 0:  // Right away: ties with everything else due now.
          sim_.scheduleAfter(Duration::nanoseconds(0), act());
          break;
        case 1:
          sim_.scheduleAfter(rng_.exponential(Duration::nanoseconds(200)), act());
          break;
        case 2:  // A burst of two, at one shared instant.
          if (step_ < 20) {
            const Duration d = Duration::nanoseconds(rng_.uniformInt(1, 5) * 100);
            sim_.scheduleAfter(d, act());
            sim_.scheduleAfter(d, act());
            break;
          }
          [[fallthrough]];
        default:  // Think time, long enough for the idle timer to fire.
          sim_.scheduleAfter(Duration::microseconds(rng_.uniformInt(20, 80)), act());
      }
    };
  }

  Simulator& sim_;
  uint32_t index_;
  Rng rng_;
  std::vector<TraceEntry>& trace_;
  uint32_t step_ = 0;
  EventId idle_timer_;
};

std::vector<TraceEntry> runWorkload(SchedulerKind kind, uint64_t seed) {
  std::vector<TraceEntry> trace;
  Simulator sim(SimulatorOptions{.scheduler = kind, .seed = seed, .event_budget = 300'000});
  std::vector<std::unique_ptr<Entity>> entities;
  for (uint32_t i = 0; i < 200; ++i) {
    entities.push_back(std::make_unique<Entity>(sim, i, trace));
    entities.back()->start();
  }
  // Several runUntil slices: the result must not depend on where the run is cut. The budget is a
  // safety net here; the workload is sized to end at the last deadline.
  for (int slice = 1; slice <= 20; ++slice) {
    EXPECT_EQ(sim.runUntil(TimePoint::fromUnixNanos(slice * 100'000)),
              RunOutcome::kReachedDeadline);
  }
  return trace;
}

uint64_t fingerprint(const std::vector<TraceEntry>& trace) {
  uint64_t hash = 0xcbf29ce484222325;
  for (const TraceEntry& e : trace) {
    for (uint64_t word : {static_cast<uint64_t>(e.time_ns), uint64_t{e.entity}, uint64_t{e.step}}) {
      hash = (hash ^ word) * 0x100000001b3;
    }
  }
  return hash;
}

TEST(DeterminismTest, EverySchedulerProducesTheSameTrace) {
  const std::vector<TraceEntry> reference = runWorkload(SchedulerKind::kBinaryHeap, 7);
  ASSERT_GT(reference.size(), 50'000u);
  EXPECT_EQ(runWorkload(SchedulerKind::kQuaternaryHeap, 7), reference);
  EXPECT_EQ(runWorkload(SchedulerKind::kLadderQueue, 7), reference);
}

TEST(DeterminismTest, SameSeedSameTraceOtherSeedOtherTrace) {
  const std::vector<TraceEntry> first = runWorkload(SchedulerKind::kQuaternaryHeap, 7);
  EXPECT_EQ(runWorkload(SchedulerKind::kQuaternaryHeap, 7), first);
  EXPECT_NE(runWorkload(SchedulerKind::kQuaternaryHeap, 8), first);
}

// A golden fingerprint: it changes only if event order, clock or RNG semantics change, on any
// platform or compiler. Update it deliberately, never to make a failure go away.
TEST(DeterminismTest, TraceFingerprintIsStable) {
  const std::vector<TraceEntry> trace = runWorkload(SchedulerKind::kLadderQueue, 7);
  EXPECT_EQ(trace.size(), 90198u);
  EXPECT_EQ(fingerprint(trace), 6174556561513801504u);
}

}  // namespace
}  // namespace ctplab::sim
