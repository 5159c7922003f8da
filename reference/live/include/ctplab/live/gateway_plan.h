// The live gateway's static structure, built once from the policy engine's IR and shared read-only
// by every worker: ports from the port plan, their listeners with codec, timers and request flow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http2/http2_options.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_config.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/tls/server_context.h"

namespace ctplab::live {

struct PlannedListener {
  const policy::ir::Listener* ir = nullptr;
  std::string stat_prefix;  // Envoy Gateway's HCM prefix: `http-10080`, `https-10443`, ...
  size_t prefix_index = 0;  // into GatewayPlan::statPrefixes()
  bool tls = false;
  // HTTPS listeners: the filter chain's TLS termination.
  std::shared_ptr<const proxy::tls::ServerContext> tls_context;
  // HTTP and HTTPS listeners.
  proxy::http1::CodecConfigPtr codec;
  proxy::connection::HttpConnectionSettings settings;
  proxy::http2::Http2Options http2;  // h2 by ALPN, or h2c by the client preface on plain text
  std::optional<proxy::http_flow::ListenerFlow> flow;
};

struct PlannedPort {
  uint32_t gateway_port = 0;      // the Gateway listener port clients are told about
  uint32_t proxy_port = 0;        // Envoy Gateway's container port (80 → 10080)
  std::vector<size_t> listeners;  // indices into GatewayPlan::listeners(), IR order
  // Each of those listeners' hostnames (views into the IR), as host and SNI matching take them:
  // built once, not per request.
  std::vector<std::vector<std::string_view>> listener_hostnames;
  size_t settings_owner = 0;  // the listener whose port-level settings apply (spec 3.2)
  bool tls = false;
  bool http = true;
  proxy::proxy_protocol::ProxyProtocolConfig proxy_protocol;
  std::optional<Duration> inspection_timeout;         // listener-filter phase limit; nullopt: none
  std::optional<policy::ir::TCPKeepalive> keepalive;  // SO_KEEPALIVE and its overrides
  std::string address_label;  // `0.0.0.0_10080`: the IR address, as Envoy names listener stats
  // Set when this driver cannot serve the port yet (TLS and TCP routes): why, for the startup log.
  std::optional<std::string> unsupported;
};

class GatewayPlan {
 public:
  // Errors name the listener. The IR must outlive the plan (flows point into it).
  static proxy::Result<GatewayPlan> fromIr(const policy::ir::Gateway& gateway);

  const policy::ir::Gateway& ir() const { return *ir_; }
  const std::vector<PlannedListener>& listeners() const { return listeners_; }
  const std::vector<PlannedPort>& ports() const { return ports_; }
  const std::vector<std::string>& statPrefixes() const { return prefixes_; }

  // The listener a new connection's filter chain belongs to: on plain-HTTP ports the port's shared
  // chain (its first listener); on HTTPS ports the listener whose hostnames match the SNI best
  // (exact, then the longest wildcard, then one without hostnames). -1 when none matches or the
  // port is not served.
  int chainListener(const PlannedPort& port, std::string_view sni = {}) const;
  // The virtual host's listener for a request's Host on a plain-HTTP port; -1 when none matches.
  int listenerForHost(const PlannedPort& port, std::string_view host) const;

 private:
  const policy::ir::Gateway* ir_ = nullptr;
  std::vector<PlannedListener> listeners_;
  std::vector<PlannedPort> ports_;
  std::vector<std::string> prefixes_;
};

// Envoy Gateway's HCM stat prefix of a listener: protocol and proxy port, e.g. `http-10080`.
std::string hcmStatPrefix(const policy::ir::Listener& listener);

}  // namespace ctplab::live
