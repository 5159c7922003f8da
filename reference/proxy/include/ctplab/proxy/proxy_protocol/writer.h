// Writes PROXY protocol headers (v1 text, v2 binary PROXY command over TCP): what a load balancer
// or a proxy-protocol client puts in front of a connection's bytes. The parser's inverse.
#pragma once

#include <string>

#include "ctplab/proxy/proxy_protocol/header.h"

namespace ctplab::proxy::proxy_protocol {

// TCP4 when both addresses are IPv4, TCP6 when both are IPv6. Mixed families have no encoding:
// v1 then says `PROXY UNKNOWN`, v2 uses the LOCAL command, as a sender that cannot describe the
// connection does.
std::string writeHeader(Version version, const Endpoint& source, const Endpoint& destination);

}  // namespace ctplab::proxy::proxy_protocol
