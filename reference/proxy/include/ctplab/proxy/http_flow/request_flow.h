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
#include "ctplab/proxy/http_flow/route_filters.h"
#include "ctplab/proxy/jwt/jwt_stats.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_stats.h"
#include "ctplab/proxy/ratelimit/ratelimit_stats.h"
#include "ctplab/proxy/request/pipeline_config.h"
#include "ctplab/proxy/request/request_stage.h"
#include "ctplab/proxy/request/request_stats.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/router/route_table.h"
#include "ctplab/proxy/tls/peer_certificate.h"
#include "ctplab/proxy/tls/xfcc.h"

namespace ctplab::proxy::http_flow {

// What a listener's flow needs to know about its port that the listener alone does not say.
struct FlowOptions {
  // Set when any HTTPS listener of the port serves HTTP/3 (the port-level OR of spec 4.10): the
  // Gateway port every routed response advertises in `alt-svc`.
  std::optional<uint32_t> http3_gateway_port;
};

// One listener's per-request configuration, built once from the IR; the IR must outlive it.
class ListenerFlow {
 public:
  // Errors name the listener's offending setting or route.
  static Result<ListenerFlow> fromListener(const policy::ir::Listener& listener,
                                           const FlowOptions& options = {});

  const policy::ir::Listener& ir() const { return *ir_; }
  const client_ip::ClientIpConfig& clientIp() const { return client_ip_; }
  const request::RequestPipelineConfig& pipeline() const { return pipeline_; }
  const router::RouteTable& routes() const { return *routes_; }
  const tls::XfccConfig& xfcc() const { return xfcc_; }
  // "https" on TLS listeners, else "http": the scheme detection and X-Forwarded-Proto use.
  const char* scheme() const { return tls_ ? "https" : "http"; }
  // `h3=":<port>"; ma=86400` when the port serves HTTP/3, else empty.
  const std::string& altSvc() const { return alt_svc_; }
  // The JWT and local rate-limit filters of each route; a ListenerState holds their buckets.
  const std::vector<RouteFilters>& routeFilters() const { return filters_; }
  // Whether any route has a JWT or rate-limit filter, i.e. routing needs the forwarded head.
  bool hasRouteFilters() const;

 private:
  const policy::ir::Listener* ir_ = nullptr;
  client_ip::ClientIpConfig client_ip_;
  request::RequestPipelineConfig pipeline_;
  std::optional<router::RouteTable> routes_;
  tls::XfccConfig xfcc_;
  bool tls_ = false;
  std::string alt_svc_;
  std::vector<RouteFilters> filters_;
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
  jwt::JwtStats* jwt = nullptr;
  ratelimit::RateLimitStats* rate_limit = nullptr;
  ratelimit::GlobalRateLimitStats* global_rate_limit = nullptr;
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

// What routing needs besides the head's outcome. Without `state` (or `forwarded`) the route's JWT
// and rate-limit filters do not run: only a caller with no proxy instance may omit them.
struct RouteContext {
  TimePoint now;
  ListenerState* state = nullptr;
  // The request as it will be forwarded: the filters read it, JWT adds its claim headers.
  http1::RequestHead* forwarded = nullptr;
};

// After the whole request: the route and the filters in Envoy's order (JWT, RBAC, local rate
// limit; spec 4.18).
struct RouteOutcome {
  router::RouteDecision route;
  std::optional<jwt::Outcome> jwt;                // set when the route authenticates JWTs
  std::optional<authz::Decision> authz;           // set when the route carries an authorization
  std::optional<ratelimit::Decision> rate_limit;  // set when the route has a local rate limit
  // Set when the route has a global rate limit and the request matched a rule: the caller asks
  // the rate-limit service, then calls applyGlobalReply before answering or forwarding.
  std::vector<ratelimit::GlobalDescriptor> global_check;
  std::optional<ratelimit::GlobalDecision> global;
  // 404 no route, 500 invalid route, 401/403 JWT, 403 denied, 429 rate limited
  std::optional<Reply> reply;
  // Fields the route appends to every response it gives, the backend's or the router's own
  // (alt-svc, x-ratelimit-*); the caller adds them before the listener's late response headers.
  http1::HeaderList response_headers;
};

// The rate-limit service's answer (or failure) for `out.global_check`: sets `out.reply` (429, or
// 500 when failing closed) or adds the x-ratelimit-* headers to `out.response_headers`.
void applyGlobalReply(const ListenerFlow& flow, const FlowStats& stats, RouteOutcome& out,
                      const ratelimit::GlobalCheckReply& reply);

// Every HTTP/3 port advertises itself on the routes it serves (spec 4.10); as Envoy appends the
// value, a backend's own alt-svc stays.
std::string altSvcValue(uint32_t gateway_port);

RouteOutcome routeRequest(const ListenerFlow& flow, const FlowStats& stats, const HeadOutcome& head,
                          const RouteContext& context = {});

}  // namespace ctplab::proxy::http_flow
