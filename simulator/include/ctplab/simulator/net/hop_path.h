// What a client's connection and request look like when they reach the gateway after crossing
// load balancers, CDNs and NAT: the TCP peer, PROXY headers in front of the bytes, edited headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::net {

struct Origin {
  IpAddress address;  // the client's own source address
  uint16_t port = 40000;
  uint64_t index = 0;  // the client's index: picks each hop's egress address
  std::optional<scenario::ClientProxyHeader> proxy_header;  // written by the client itself
};

struct Arrival {
  IpAddress peer;  // the gateway's TCP peer
  uint16_t peer_port = 0;
  // Bytes in front of the client's first request byte: PROXY headers, outermost (closest to the
  // gateway) first. Only the first one can be a header the gateway reads; the rest are payload.
  std::string preamble;
  // Set when a hop refuses the connection (an L7 hop handed a PROXY header it does not expect
  // answers 400 and never reaches the gateway): the hop's name.
  std::optional<std::string> refused_by;
  // One line per hop, for explanations: what it saw and what it changed.
  std::vector<std::string> trace;
};

// The gateway's address as PROXY headers name it, in the family of the source they describe
// (10.96.0.10 or fd00:10:96::10, Service-like addresses), so a header never mixes families.
IpAddress gatewayAddress(IpAddress::Family family);

// Crosses `path` (client side first) towards the gateway's `gateway_port`. `headers` are the
// client's request headers; L7 hops edit them in place (X-Forwarded-For, their client header).
// Deterministic: the same inputs give the same arrival.
Arrival traverse(const std::vector<const scenario::Hop*>& path, const Origin& origin,
                 uint16_t gateway_port, proxy::http1::HeaderList& headers);

}  // namespace ctplab::sim::net
