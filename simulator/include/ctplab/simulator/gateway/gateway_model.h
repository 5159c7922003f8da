// The simulated gateway's static structure, built once from the policy engine's IR: ports with
// their listeners, filter-chain selection by SNI and Host, counter scopes, codec configs, stats.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/authz/authz_stats.h"
#include "ctplab/proxy/client_ip/client_ip_stats.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/connection/listener_stats.h"
#include "ctplab/proxy/connection/tcp_keepalive.h"
#include "ctplab/proxy/connection_limit/counter_groups.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/codec_stats.h"
#include "ctplab/proxy/http2/request_assembler.h"
#include "ctplab/proxy/http3/http3_stats.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_config.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_stats.h"
#include "ctplab/proxy/request/request_stats.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/router/hcm_stats.h"
#include "ctplab/proxy/router/route_table.h"
#include "ctplab/proxy/tls/server_context.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::gateway {

// The HCM prefix's HTTP/3 counters; printed only for prefixes with an HTTP/3 listener.
struct Http3PrefixStats {
  bool enabled = false;
  uint64_t downstream_cx_http3_total = 0;
  uint64_t downstream_cx_http3_active = 0;  // gauge
  uint64_t downstream_rq_http3_total = 0;
  // Header checks, counted by the real HTTP/3 server (packet fidelity); shown once they moved.
  proxy::http3::Http3CodecStats codec;
};

// Everything counted under one HCM stat prefix (`http.<prefix>.`), e.g. `http-10080`.
struct PrefixStats {
  proxy::router::HcmStats hcm;
  proxy::http1::CodecStats codec;
  proxy::connection::HttpConnectionStats connection;
  proxy::request::RequestStats request;
  proxy::client_ip::ClientIpStats client_ip;
  proxy::authz::AuthzStats authz;
  proxy::jwt::JwtStats jwt;
  proxy::ratelimit::RateLimitStats rate_limit;
  Http3PrefixStats http3;
};

// Socket-level counters of one proxy port (`listener.0.0.0.0_<port>.`).
struct ListenerSocketStats {
  uint64_t downstream_cx_total = 0;
  uint64_t downstream_cx_destroy = 0;
  uint64_t downstream_cx_active = 0;
  uint64_t listen_overflows = 0;  // SYNs the kernel dropped: accept queue full (not Envoy's)
  uint64_t downstream_cx_no_filter_chain = 0;  // closed: no listener for the SNI
};

struct ListenerRuntime {
  const policy::ir::Listener* ir = nullptr;
  proxy::http1::CodecConfigPtr codec;  // HTTP(S) only
  proxy::connection::HttpConnectionSettings settings;
  std::optional<proxy::http_flow::ListenerFlow> flow;  // HTTP(S) only: the per-request flow
  // HTTP(S) only: this replica's rate-limit buckets and JWT caches for the listener's routes.
  std::unique_ptr<proxy::http_flow::ListenerState> state;
  PrefixStats* stats = nullptr;
  bool tls = false;
  // HTTPS: the chain's TLS termination; handshakes run against it (simulator/tls).
  std::shared_ptr<const proxy::tls::ServerContext> tls_context;
  // Served over QUIC: on an HTTP/3 port and without client certificate validation (Envoy
  // cannot validate clients over QUIC; a QUIC handshake for such a chain is refused).
  bool quic = false;
  // The QUIC filter chain's own connection-limit counter (spec 3.3, beside the TCP chain's);
  // null without a limit.
  std::unique_ptr<proxy::connection_limit::CounterGroup> quic_counter;
};

struct PortRuntime {
  uint32_t external_port = 0;  // the Gateway's port, what clients dial
  uint32_t proxy_port = 0;
  bool tls = false;               // HTTPS/TLS listeners: the filter chain is chosen by SNI
  bool http = true;               // HTTP(S); false for TCP/TLS proxying
  std::vector<size_t> listeners;  // indices into GatewayModel::listeners(), IR order
  size_t settings_owner = 0;      // the listener whose port-level settings apply
  proxy::connection::TcpKeepaliveConfig keepalive;
  proxy::proxy_protocol::ProxyProtocolConfig proxy_protocol;
  ListenerSocketStats socket;
  proxy::connection::ListenerConnectionStats phases;  // TLS handshake / inspection timeouts
  std::map<std::string, uint64_t> ssl;                // the TLS transport socket's `ssl.*` counters
  std::string address_label;  // `0.0.0.0_10080`, as Envoy names listener stats
  // HTTP/3 (spec 4.10): a UDP listener on the same port, its counters under
  // `listener.<address>.http3.`, its open connections, and how long one may stay idle (300 s as
  // Envoy's QUIC listener, or the HTTP idle timeout when shorter).
  bool http3 = false;
  proxy::http3::Http3Stats quic;
  uint64_t quic_active = 0;
  Duration quic_idle_timeout = Duration::seconds(300);
  // The header limits and underscore policy HTTP/3 request heads meet (the settings owner's, as
  // its HTTP/2 codec applies them).
  proxy::http2::HeaderPolicy quic_headers;
};

class GatewayModel {
 public:
  // Whether any listener's route has a JWT or rate-limit filter.
  bool hasRouteFilters() const { return has_route_filters_; }
  static proxy::Result<std::unique_ptr<GatewayModel>> fromIr(
      const policy::ir::Gateway& gateway, const scenario::GatewayHostProfile& host);

  PortRuntime* portFor(uint32_t external_port);
  // The listener (index) a new connection lands on: by SNI on TLS ports (exact before wildcard,
  // then a listener without hostnames), the port's first listener on plain-HTTP ports. -1: none.
  int selectListener(const PortRuntime& port, std::string_view sni) const;
  // The virtual host's listener for an HTTP request's Host on a plain-HTTP port.
  int listenerForHost(const PortRuntime& port, std::string_view host) const;
  proxy::connection_limit::CounterGroup* counterFor(size_t listener);

  const std::vector<ListenerRuntime>& listeners() const { return listeners_; }
  std::vector<PortRuntime>& ports() { return ports_; }
  const proxy::connection_limit::CounterGroups& counters() const { return counters_; }
  // Every stat with its full Envoy name, sorted by name: what `/stats` would print.
  std::map<std::string, uint64_t> stats() const;
  // Sum of the connections every counter scope holds (admitted and waiting out closeDelay).
  uint64_t activeConnections() const;
  proxy::proxy_protocol::ProxyProtocolStats& proxyProtocolStats() { return *proxy_protocol_stats_; }

 private:
  bool has_route_filters_ = false;
  const policy::ir::Gateway* ir_ = nullptr;
  std::vector<ListenerRuntime> listeners_;
  std::vector<PortRuntime> ports_;
  proxy::connection_limit::CounterGroups counters_;
  std::map<std::string, std::unique_ptr<PrefixStats>> prefix_stats_;
  // Envoy roots the PROXY protocol filter's counters at one scope shared by every listener.
  std::unique_ptr<proxy::proxy_protocol::ProxyProtocolStats> proxy_protocol_stats_ =
      std::make_unique<proxy::proxy_protocol::ProxyProtocolStats>();
};

}  // namespace ctplab::sim::gateway
