// Replays a scenario's populations over real TCP connections against a running gateway (ctplab
// serve or any other) and reports what the clients observed in the simulator's result shape.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "ctplab/common/time.h"
#include "ctplab/live/host_port.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "ctplab/simulator/run/run_result.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::conformance::live {

// Where the gateway under test listens.
struct GatewayEndpoints {
  std::map<uint32_t, ::ctplab::live::HostPort> ports;  // Gateway listener port → address
  std::optional<::ctplab::live::HostPort> every_port;  // for ports not in `ports`
  std::optional<::ctplab::live::HostPort> admin;       // Envoy-style /stats, when known
};

// The run lasts until every client is done or the scenario's duration (at most `max_duration`)
// has passed. `gateway` (the case's own translation) gives each population its default Host.
// Errors: a population's port has no address, the admin endpoint does not answer.
proxy::Result<sim::run::RunResult> driveTraffic(const sim::scenario::Scenario& scenario,
                                                const policy::ir::Gateway& gateway,
                                                const GatewayEndpoints& endpoints,
                                                Duration max_duration);

}  // namespace ctplab::conformance::live
