// How IR listeners land on proxy ports: which listener's settings are port-level, where PROXY
// protocol and HTTP/3 are on, and which connection-limit counter each listener counts against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"

namespace ctplab::policy {

// The unit a connection limit counts against (spec section 3.3).
struct CounterScope {
  std::string id;  // e.g. "http-10080", "https-10443/ns/gw/https", "tcp-9000/tcproute/ns/r"
  std::string stat_prefix;  // Envoy's stat prefix: exported counters aggregate per prefix
  std::vector<std::string> listeners;  // IR listener names counted here
  std::string route;  // TCP/TLS: the route whose filter chain this is ("" otherwise)
  std::optional<uint64_t> limit;
  std::optional<Duration> close_delay;
};

struct ProxyPort {
  uint32_t port = 0;                   // proxy (container) port
  std::vector<std::string> listeners;  // IR listeners on this port, in xDS processing order
  // The listener whose port-level settings apply (tcpKeepalive, bufferLimit,
  // maxAcceptPerSocketEvent, connectionInspectionTimeout): the first one on the port.
  std::string settings_owner;
  bool proxy_protocol = false;           // OR over the listeners of the port
  bool proxy_protocol_optional = false;  // from the first listener that enabled it
  bool http3 = false;                    // OR over the HTTPS listeners of the port
  std::vector<CounterScope> counters;
};

// Ports in order of first use. Plain-HTTP listeners of a port share one counter; each HTTPS
// listener has its own; each TCP/TLS route filter chain has its own (one chain when no route).
std::vector<ProxyPort> planPorts(const ir::Gateway& gateway);

}  // namespace ctplab::policy
