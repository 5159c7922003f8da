// Runs a scenario: loads and translates its resources with the policy engine, builds the gateway
// from the IR, and replays the client populations against it in virtual time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "ctplab/simulator/run/run_result.h"
#include "ctplab/simulator/scenario/scenario.h"
#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim::run {

struct Progress {
  Duration elapsed;  // virtual time since the start
  Duration duration;
  uint64_t events = 0;
  uint64_t active_connections = 0;
  uint64_t clients = 0;
};

struct SimulateOptions {
  SchedulerKind scheduler = SchedulerKind::kLadderQueue;
  uint64_t event_budget = 2'000'000'000;
  // Called after every `progress_every` of virtual time; drivers decide whether to print.
  std::function<void(const Progress&)> progress;
  Duration progress_every = Duration::seconds(1);
};

// The translated Gateway a scenario runs against, chosen by `scenario.gateway` (or the only one).
// Errors from loading or translating go to `diagnostics`; nullopt when nothing can run.
std::optional<policy::ir::Gateway> prepareGateway(const scenario::Scenario& scenario,
                                                  policy::Diagnostics& diagnostics,
                                                  std::vector<std::string>& notes);

// Errors: a population targets a port the gateway does not serve, or a listener's settings
// cannot be built. The same scenario, gateway and seed always give the same result.
proxy::Result<RunResult> simulate(const scenario::Scenario& scenario,
                                  const policy::ir::Gateway& gateway,
                                  const SimulateOptions& options = {});

}  // namespace ctplab::sim::run
