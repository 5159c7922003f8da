// What the connection manager does with each HTTP request between the codec and the upstream
// (spec 4.18): client-IP detection, the request stage, routing and authorization, as one flow.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/authz/authz_stats.h"
#include "ctplab/proxy/authz/decision.h"
#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/proxy/client_ip/client_ip_stats.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/request/pipeline_config.h"
#include "ctplab/proxy/request/request_stage.h"
#include "ctplab/proxy/request/request_stats.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/router/route_table.h"
#include "ctplab/proxy/tls/peer_certificate.h"
#include "ctplab/proxy/tls/xfcc.h"

namespace ctplab::proxy::http_flow {

// One listener's per-request configuration, built once from the IR; the IR must outlive it.
class ListenerFlow {
 public:
  // Errors name the listener's offending setting or route.
  static Result<ListenerFlow> fromListener(const policy::ir::Listener& listener);

  const policy::ir::Listener& ir() const { return *ir_; }
  const client_ip::ClientIpConfig& clientIp() const { return client_ip_; }
  const request::RequestPipelineConfig& pipeline() const { return pipeline_; }
  const router::RouteTable& routes() const { return *routes_; }
  const tls::XfccConfig& xfcc() const { return xfcc_; }
  // "https" on TLS listeners, else "http": the scheme detection and X-Forwarded-Proto use.
  const char* scheme() const { return tls_ ? "https" : "http"; }

 private:
  const policy::ir::Listener* ir_ = nullptr;
  client_ip::ClientIpConfig client_ip_;
  request::RequestPipelineConfig pipeline_;
  std::optional<router::RouteTable> routes_;
  tls::XfccConfig xfcc_;
  bool tls_ = false;
};

// The TLS connection a request arrived on, as XFCC needs it.
struct TlsPeer {
  std::vector<tls::PeerCertificate> client_chain;  // as presented, leaf first; empty: none
  std::vector<std::string> local_uri_sans;         // of the serving certificate (By=)
};

// Counters one request may touch, owned by the caller (one set per stat prefix).
struct FlowStats {
  client_ip::ClientIpStats* client_ip = nullptr;
  request::RequestStats* request = nullptr;
  authz::AuthzStats* authz = nullptr;
};

// The proxy's own answer; the request goes no further.
struct Reply {
  int status = 0;
  std::string body;
  http1::HeaderList headers;  // extra fields (location, content-type)
  bool count_status = true;   // false for health-check answers (not in downstream_rq_<code>)
};

// After the head: who the client is, and either an early answer or what routing needs.
struct HeadOutcome {
  client_ip::Detection detection;
  std::optional<Reply> reply;  // failClosed (403) or the request stage's answer
  std::string host;            // normalized Host without port, for routing
  std::string method, path;    // path as normalized, query included (authorization sees it)
};

// Runs detection on the headers as received, then the request stage, then writes the forwarding
// headers (X-Forwarded-For, X-Forwarded-Client-Cert) into `head`, which becomes the request as
// forwarded upstream. `peer` is the connection's remote address after the PROXY protocol; `tls`
// the TLS connection (nullptr: plain text). Never reads a clock or a random source: `context`
// carries the request-id bits.
HeadOutcome onRequestHead(const ListenerFlow& flow, const FlowStats& stats, const IpAddress& peer,
                          const request::RequestContext& context, http1::RequestHead& head,
                          const TlsPeer* tls = nullptr);

// After the whole request: the route and its authorization.
struct RouteOutcome {
  router::RouteDecision route;
  std::optional<authz::Decision> authz;  // set when the route carries an authorization
  std::optional<Reply> reply;            // 404 no route, 500 invalid route, 403 denied
};

RouteOutcome routeRequest(const ListenerFlow& flow, const FlowStats& stats,
                          const HeadOutcome& head);

}  // namespace ctplab::proxy::http_flow
