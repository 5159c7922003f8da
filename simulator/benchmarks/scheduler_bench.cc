// Scheduler benchmarks through the full Simulator (schedule, cancel, run loop, callbacks):
// the hold model of ns-3's bench-scheduler, and a timer-churn model shaped like connections.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/simulator.h"

namespace ctplab::sim {
namespace {

constexpr uint64_t kEventsPerRun = 10'000'000;

// The model of ../shared/anchors/ns3-hold.cc: a fixed population of pending no-op events; each
// one run schedules a successor at now + Exp(mean 100 ns), truncated to whole nanoseconds as
// ns-3's GetInteger() does.
class HoldModel {
 public:
  HoldModel(SchedulerKind kind, uint64_t population)
      : sim_(SimulatorOptions{.scheduler = kind, .seed = 1, .event_budget = kEventsPerRun}),
        rng_(sim_.rngFor("hold")) {
    for (uint64_t i = 0; i < population; ++i) sim_.scheduleAfter(delay(), [this] { hop(); });
  }

  Simulator& sim() { return sim_; }

 private:
  Duration delay() { return Duration::nanoseconds(static_cast<int64_t>(rng_.exponential(100.0))); }
  void hop() {
    sim_.scheduleAfter(delay(), [this] { hop(); });
  }

  Simulator sim_;
  Rng rng_;
};

// Connections that are mostly idle: each has activity at Exp(mean 1 ms) intervals and an idle
// timer 10 s out that every activity cancels and re-arms. Far timers, cancellations and purges.
class TimerChurnModel {
 public:
  TimerChurnModel(SchedulerKind kind, uint64_t population)
      : sim_(SimulatorOptions{.scheduler = kind, .seed = 1, .event_budget = kEventsPerRun}),
        rng_(sim_.rngFor("churn")),
        idle_timers_(population) {
    for (uint64_t i = 0; i < population; ++i) activity(i);
  }

  Simulator& sim() { return sim_; }

 private:
  void activity(uint64_t connection) {
    sim_.cancel(idle_timers_[connection]);
    idle_timers_[connection] = sim_.scheduleAfter(Duration::seconds(10), [] {});
    sim_.scheduleAfter(rng_.exponential(Duration::milliseconds(1)),
                       [this, connection] { activity(connection); });
  }

  Simulator sim_;
  Rng rng_;
  std::vector<EventId> idle_timers_;
};

// Wall time, like the ns-3 program, so events/s are comparable on the same machine.
template <typename Model>
void runModel(benchmark::State& state) {
  const auto kind = static_cast<SchedulerKind>(state.range(0));
  const auto population = static_cast<uint64_t>(state.range(1));
  double seconds = 0;
  for (auto _ : state) {
    auto model = std::make_unique<Model>(kind, population);
    const auto start = std::chrono::steady_clock::now();
    const RunOutcome outcome = model->sim().run();
    const auto stop = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(stop - start).count();
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    if (outcome != RunOutcome::kBudgetExhausted || model->sim().eventsExecuted() != kEventsPerRun) {
      state.SkipWithError("model did not run the full event budget");
      return;
    }
    state.SetLabel(std::string(model->sim().schedulerName()));
  }
  const double events =
      static_cast<double>(kEventsPerRun) * static_cast<double>(state.iterations());
  state.counters["events_per_s"] = events / seconds;
  state.counters["ns_per_event"] = 1e9 * seconds / events;
}

void BM_Hold(benchmark::State& state) { runModel<HoldModel>(state); }
void BM_TimerChurn(benchmark::State& state) { runModel<TimerChurnModel>(state); }

void everySchedulerAt(benchmark::internal::Benchmark* b, std::vector<int64_t> populations) {
  for (SchedulerKind kind :
       {SchedulerKind::kBinaryHeap, SchedulerKind::kQuaternaryHeap, SchedulerKind::kLadderQueue}) {
    for (int64_t population : populations) b->Args({static_cast<int64_t>(kind), population});
  }
}

// One iteration of 10 M events each: the run is long enough to be stable, and the compare script
// repeats whole runs instead.
BENCHMARK(BM_Hold)->Apply([](auto* b) {
                    everySchedulerAt(b, {1'000, 100'000});
                  }) -> ArgNames({"scheduler", "pending"}) -> Iterations(1) -> UseManualTime()
    -> Unit(benchmark::kMillisecond);

BENCHMARK(BM_TimerChurn)
    ->Apply([](auto* b) { everySchedulerAt(b, {100'000}); })
        -> ArgNames({"scheduler", "connections"}) -> Iterations(1) -> UseManualTime()
            -> Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ctplab::sim

BENCHMARK_MAIN();
