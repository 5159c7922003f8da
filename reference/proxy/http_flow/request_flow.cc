#include "ctplab/proxy/http_flow/request_flow.h"

#include "ctplab/proxy/authz/denial.h"
#include "ctplab/proxy/client_ip/forwarding_headers.h"
#include "ctplab/proxy/request/http1_adapter.h"
#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::proxy::http_flow {

Result<ListenerFlow> ListenerFlow::fromListener(const policy::ir::Listener& listener) {
  ListenerFlow flow;
  flow.ir_ = &listener;
  flow.tls_ = listener.protocol == "HTTPS";
  auto pipeline = request::RequestPipelineConfig::fromListener(listener);
  if (!pipeline) return Error{listener.name + ": " + pipeline.error().message};
  flow.pipeline_ = pipeline.value();
  auto client_ip = client_ip::ClientIpConfig::fromListener(listener);
  if (!client_ip) return Error{listener.name + ": " + client_ip.error().message};
  flow.client_ip_ = client_ip.value();
  auto routes = router::RouteTable::build(listener);
  if (!routes) return Error{listener.name + ": " + routes.error().message};
  flow.routes_.emplace(std::move(routes).value());
  auto xfcc = tls::xfccConfigFromIr(listener.headers ? listener.headers->xfcc : std::nullopt);
  if (!xfcc) return Error{listener.name + ": " + xfcc.error().message};
  flow.xfcc_ = xfcc.value();
  return flow;
}

HeadOutcome onRequestHead(const ListenerFlow& flow, const FlowStats& stats, const IpAddress& peer,
                          const request::RequestContext& context, http1::RequestHead& head,
                          const TlsPeer* tls) {
  HeadOutcome out;
  // Detection reads the headers as the client sent them (spec 4.6); a failClosed miss is
  // answered before anything else.
  out.detection = client_ip::detectClientIp(flow.clientIp(), peer, head.headers, flow.scheme());
  if (const auto& reject = out.detection.reject) {
    if (stats.client_ip != nullptr) stats.client_ip->increment(reject->stat);
    out.reply = Reply{reject->status, reject->body, {}, true};
    return out;
  }
  request::RequestContext with_edge = context;
  with_edge.edge_request = out.detection.edge_request;
  auto verdict = request::processHttp1Request(flow.pipeline(), with_edge, head);
  if (auto* local = std::get_if<request::LocalReply>(&verdict)) {
    if (local->stat && stats.request != nullptr) stats.request->increment(*local->stat);
    out.reply = Reply{local->status, std::move(local->body), std::move(local->headers),
                      !local->health_check};
    return out;
  }
  client_ip::applyForwardingHeaders(flow.clientIp(), out.detection, head.headers);
  static const std::vector<tls::PeerCertificate> kNoChain;
  static const std::vector<std::string> kNoSans;
  tls::applyXfcc(flow.xfcc(), head.headers, tls != nullptr ? tls->client_chain : kNoChain,
                 tls != nullptr ? tls->local_uri_sans : kNoSans);
  const auto* host = http1::findHeader(head.headers, "host");
  out.host = host == nullptr ? std::string() : std::string(router::hostWithoutPort(host->value));
  out.method = head.method;
  out.path = head.target;
  return out;
}

RouteOutcome routeRequest(const ListenerFlow& flow, const FlowStats& stats,
                          const HeadOutcome& head) {
  RouteOutcome out;
  out.route = flow.routes().route(head.host, head.path);
  switch (out.route.kind) {
    case router::RouteDecision::Kind::kNoRoute:
      out.reply = Reply{404, "", {}, true};
      return out;
    case router::RouteDecision::Kind::kDirect500:
      out.reply = Reply{500, "", {}, true};
      return out;
    case router::RouteDecision::Kind::kBackend:
      break;
  }
  // The route's RBAC filter sees the detected client address (spec 5.1).
  if (const auto* policy = flow.routes().authorization(out.route.index)) {
    out.authz = policy->evaluateHttp(head.detection.client, head.method, head.path);
    if (stats.authz != nullptr) stats.authz->record(*out.authz);
    if (auto denial = authz::httpDenial(*out.authz)) {
      out.reply = Reply{denial->head.status, std::move(denial->body), {}, true};
    }
  }
  return out;
}

}  // namespace ctplab::proxy::http_flow
