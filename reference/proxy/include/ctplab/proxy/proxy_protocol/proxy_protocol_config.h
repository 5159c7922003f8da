// The immutable PROXY protocol settings of one proxy port: whether the listener filter is
// installed and whether a missing header is tolerated. Built from plain values or from the IR.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/policy/ir.h"
#include "ctplab/policy/port_plan.h"

namespace ctplab::proxy::proxy_protocol {

// A v2 PROXY header over AF_UNSPEC or AF_UNIX carries no address the proxy can adopt.
enum class UnsupportedFamily {
  kClose,           // Envoy: an error (`versions.v2.error`), the connection is closed (spec 4.5)
  kKeepSocketPeer,  // HAProxy's permitted reading: accept and keep the socket's addresses
};

// The defaults are a port without the filter.
struct ProxyProtocolConfig {
  bool enabled = false;   // the filter is installed: OR over the port's listeners (spec 3.2)
  bool optional = false;  // Envoy's allow_requests_without_proxy_protocol
  // Envoy's disallowed_versions, which Envoy Gateway never sets: a found header of a disallowed
  // version closes the connection (`versions.<v>.found` and `.disallowed`); in optional mode its
  // bytes pass through as if no header were there.
  bool allow_v1 = true;
  bool allow_v2 = true;
  UnsupportedFamily unsupported_family = UnsupportedFamily::kClose;

  static ProxyProtocolConfig fromPort(const policy::ProxyPort& port);
  // The port whose proxy (container) port is `proxy_port`; nullopt when no listener uses it.
  static std::optional<ProxyProtocolConfig> fromIr(const policy::ir::Gateway& gateway,
                                                   uint32_t proxy_port);
};

}  // namespace ctplab::proxy::proxy_protocol
