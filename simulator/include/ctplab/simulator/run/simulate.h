// Runs a scenario: loads and translates its resources with the policy engine, builds the gateway
// from the IR, and replays the client populations against it in virtual time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/ir.h"
#include "ctplab/policy/loader.h"
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

// Planted faults: deliberate deviations from the spec, applied to the gateway's configuration,
// so tests can prove that the conformance suite notices a broken gateway. Never set otherwise.
struct Faults {
  bool connection_limit_off_by_one = false;  // admits value + 1 connections
  bool ignore_close_delay = false;           // closes rejected connections at once
  bool ignore_request_received_timeout = false;
  bool ignore_idle_timeout = false;
  bool any() const {
    return connection_limit_off_by_one || ignore_close_delay || ignore_request_received_timeout ||
           ignore_idle_timeout;
  }
  // Sets the fault named as `--plant-fault` names it; false for an unknown name.
  bool plant(std::string_view name) {
    if (name == "connection-limit-off-by-one") {
      connection_limit_off_by_one = true;
    } else if (name == "ignore-close-delay") {
      ignore_close_delay = true;
    } else if (name == "ignore-request-received-timeout") {
      ignore_request_received_timeout = true;
    } else if (name == "ignore-idle-timeout") {
      ignore_idle_timeout = true;
    } else {
      return false;
    }
    return true;
  }
};

struct SimulateOptions {
  SchedulerKind scheduler = SchedulerKind::kLadderQueue;
  uint64_t event_budget = 2'000'000'000;
  // Called after every `progress_every` of virtual time; drivers decide whether to print.
  std::function<void(const Progress&)> progress;
  Duration progress_every = Duration::seconds(1);
  Faults faults;
  // The scenario's loaded resources: the Secrets a population's `tls.certificateSecret` names.
  const policy::ResourceSet* resources = nullptr;
};

// A scenario's resources, loaded and translated: the policy statuses and the Gateway it runs
// against (chosen by `scenario.gateway`, or the only one). `loaded` owns what `translation`
// points into.
struct PreparedScenario {
  std::unique_ptr<policy::LoadResult> loaded;
  policy::TranslationResult translation;
  std::optional<policy::ir::Gateway> gateway;  // nullopt: nothing can run (see diagnostics)
};
// With `need_gateway` false (a status-only check) no Gateway is chosen and none is required.
PreparedScenario prepareScenario(const scenario::Scenario& scenario,
                                 policy::Diagnostics& diagnostics, std::vector<std::string>& notes,
                                 bool need_gateway = true);

// Just the Gateway of prepareScenario.
std::optional<policy::ir::Gateway> prepareGateway(const scenario::Scenario& scenario,
                                                  policy::Diagnostics& diagnostics,
                                                  std::vector<std::string>& notes);

// Errors: a population targets a port the gateway does not serve, or a listener's settings
// cannot be built. The same scenario, gateway and seed always give the same result.
proxy::Result<RunResult> simulate(const scenario::Scenario& scenario,
                                  const policy::ir::Gateway& gateway,
                                  const SimulateOptions& options = {});

}  // namespace ctplab::sim::run
