// The counters one worker thread keeps while it serves connections, under the same Envoy names the
// simulator exports; only that worker writes them, and snapshots are taken on its own thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/stat_map.h"
#include "ctplab/proxy/authz/authz_stats.h"
#include "ctplab/proxy/client_ip/client_ip_stats.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/connection/listener_stats.h"
#include "ctplab/proxy/http1/codec_stats.h"
#include "ctplab/proxy/http2/http2_stats.h"
#include "ctplab/proxy/http3/http3_stats.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_stats.h"
#include "ctplab/proxy/request/request_stats.h"
#include "ctplab/proxy/router/hcm_stats.h"

namespace ctplab::live {

// The HCM's HTTP/3 counters (the QUIC sessions of an HTTP/3 port count here too).
struct Http3HcmStats {
  uint64_t downstream_cx_http3_total = 0;
  uint64_t downstream_cx_http3_active = 0;  // gauge
  uint64_t downstream_rq_http3_total = 0;
  proxy::http3::Http3CodecStats codec;  // the QUIC server counts here (setListenerStats)
};

// Everything counted under one HCM stat prefix (`http.<prefix>.`).
struct PrefixStats {
  proxy::router::HcmStats hcm;
  proxy::http1::CodecStats codec;
  proxy::http2::Http2Stats http2;
  Http3HcmStats http3;
  proxy::connection::HttpConnectionStats connection;
  proxy::request::RequestStats request;
  proxy::client_ip::ClientIpStats client_ip;
  proxy::authz::AuthzStats authz;
  proxy::jwt::JwtStats jwt;
  proxy::ratelimit::RateLimitStats rate_limit;
  proxy::ratelimit::GlobalRateLimitStats global_rate_limit;

  proxy::http_flow::FlowStats flowStats() {
    return {&client_ip, &request, &authz, &jwt, &rate_limit, &global_rate_limit};
  }
};

// Socket-level counters of one proxy port (`listener.<address>.`).
struct PortStats {
  uint64_t downstream_cx_total = 0;
  uint64_t downstream_cx_destroy = 0;
  uint64_t downstream_cx_active = 0;
  uint64_t no_filter_chain_match = 0;
  proxy::connection::ListenerConnectionStats phases;  // inspection (and later TLS) timeouts
  // The TLS transport socket's `ssl.*` counters, by name (ciphers and versions are open-ended).
  std::map<std::string, uint64_t> ssl;
  // The port's UDP socket, when it serves HTTP/3 (`listener.<address>.http3.`).
  proxy::http3::Http3Stats http3;
};

struct WorkerStats {
  explicit WorkerStats(const GatewayPlan& plan)
      : prefixes(plan.statPrefixes().size()), ports(plan.ports().size()) {}

  std::vector<PrefixStats> prefixes;  // by GatewayPlan::statPrefixes() index
  std::vector<PortStats> ports;       // by GatewayPlan::ports() index
  // Envoy roots the PROXY protocol filter's counters at one scope shared by every listener.
  proxy::proxy_protocol::ProxyProtocolStats proxy_protocol;

  // Adds every stat under its full Envoy name, as the simulator's GatewayModel::stats() names
  // them. Ports this driver does not serve are left out; HTTP/3 names only show on HTTP/3 ports.
  void addTo(const GatewayPlan& plan, StatMap& out) const;
};

}  // namespace ctplab::live
