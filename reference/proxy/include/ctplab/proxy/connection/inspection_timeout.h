// The listener-filter phase limit of a port (spec 1.3.7 tcp.connectionInspectionTimeout): how long
// PROXY-header and TLS ClientHello inspection may take before the connection is dropped.
#pragma once

#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"

namespace ctplab::proxy::connection {

inline constexpr Duration kDefaultConnectionInspectionTimeout = Duration::seconds(15);

// Read from the port's first listener (spec 3.2: port-level, first listener wins). nullopt: no
// limit (an explicit 0, which Envoy reads as disabled). A driver runs it with a PhaseTimer that
// counts `ListenerConnectionStats::downstream_pre_cx_timeout` and closes the connection on expiry.
std::optional<Duration> connectionInspectionTimeout(const policy::ir::Listener& first_listener);

}  // namespace ctplab::proxy::connection
