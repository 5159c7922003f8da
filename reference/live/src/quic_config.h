// Which ports serve HTTP/3 and what their QUIC servers serve: the HTTPS chains of the port with
// the certificates and hostnames of the TCP listeners, and the listener's QUIC-relevant limits.
#pragma once

#include <cstddef>
#include <memory>

#include "ctplab/live/gateway_plan.h"
#include "ctplab/proxy/http3/server_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::live {

struct Generation;

// Spec 3.2: any HTTPS listener of the port with HTTP/3 turns it on for the whole port.
bool servesHttp3(const GatewayPlan& plan, const PlannedPort& port);

// The QUIC server setup of port `port_index` of `generation` (certificates loaded). Chains are
// tagged with their listener index; the generation rides along as the setup's context.
proxy::Result<proxy::http3::ServerSetupPtr> quicSetupFor(
    const std::shared_ptr<const Generation>& generation, size_t port_index);

}  // namespace ctplab::live
