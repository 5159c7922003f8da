#include "ctplab/proxy/http_flow/request_flow.h"

#include "ctplab/proxy/authz/denial.h"
#include "ctplab/proxy/client_ip/forwarding_headers.h"
#include "ctplab/proxy/request/http1_adapter.h"
#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::proxy::http_flow {

namespace {

// A filter's local reply; whoever writes it states the body's length and type itself.
Reply filterReply(http1::ResponseHead head, std::string body) {
  Reply reply{head.status, std::move(body), {}, true};
  for (auto& h : head.headers) {
    if (http1::equalsIgnoreCase(h.name, "content-length") ||
        http1::equalsIgnoreCase(h.name, "content-type")) {
      continue;
    }
    reply.headers.push_back(std::move(h));
  }
  return reply;
}

}  // namespace

bool ListenerFlow::hasRouteFilters() const {
  for (const auto& f : filters_) {
    if (f.jwt || f.local || f.global) return true;
  }
  return false;
}

void applyGlobalReply(const ListenerFlow& flow, const FlowStats& stats, RouteOutcome& out,
                      const ratelimit::GlobalCheckReply& reply) {
  const auto& config = *flow.routeFilters()[static_cast<size_t>(out.route.index)].global;
  out.global = ratelimit::decideGlobal(config, out.global_check, reply);
  if (stats.global_rate_limit != nullptr) stats.global_rate_limit->record(*out.global);
  if (auto limited = ratelimit::globalLimitedReply(*out.global)) {
    out.reply = filterReply(std::move(limited->head), std::move(limited->body));
    return;
  }
  ratelimit::appendGlobalRateLimitHeaders(*out.global, out.response_headers);
}

std::string altSvcValue(uint32_t gateway_port) {
  return "h3=\":" + std::to_string(gateway_port) + "\"; ma=86400";
}

Result<ListenerFlow> ListenerFlow::fromListener(const policy::ir::Listener& listener,
                                                const FlowOptions& options) {
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
  if (options.http3_gateway_port) flow.alt_svc_ = altSvcValue(*options.http3_gateway_port);
  auto filters = compileRouteFilters(listener);
  if (!filters) return Error{listener.name + ": " + filters.error().message};
  flow.filters_ = std::move(filters).value();
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
  client_ip::applyForwardingHeaders(flow.clientIp(), out.detection, head.headers, nullptr);
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

RouteOutcome routeRequest(const ListenerFlow& flow, const FlowStats& stats, const HeadOutcome& head,
                          const RouteContext& context) {
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
  const int route = out.route.index;
  const bool filters = context.state != nullptr && context.forwarded != nullptr;
  if (filters) {
    out.jwt = context.state->authenticate(route, context.now, *context.forwarded, flow.scheme());
    if (out.jwt) {
      if (stats.jwt != nullptr) stats.jwt->record(*out.jwt);
      if (auto denied = jwt::deniedReply(*out.jwt)) {
        out.reply = filterReply(std::move(denied->head), std::move(denied->body));
        return out;
      }
      jwt::applyToRequest(*out.jwt, *context.forwarded);
    }
  }
  // The route's RBAC filter sees the detected client address (spec 5.1) and the verified JWT.
  if (const auto* policy = flow.routes().authorization(route)) {
    out.authz = policy->evaluateHttp(head.detection.client, head.method, head.path,
                                     out.jwt ? &*out.jwt : nullptr);
    if (stats.authz != nullptr) stats.authz->record(*out.authz);
    if (auto denial = authz::httpDenial(*out.authz)) {
      out.reply = Reply{denial->head.status, std::move(denial->body), {}, true};
      return out;
    }
  }
  if (filters) {
    out.rate_limit =
        context.state->limitLocally(route, context.now, *context.forwarded, head.detection.client);
    if (out.rate_limit) {
      if (stats.rate_limit != nullptr) stats.rate_limit->record(*out.rate_limit);
      const auto& config = *flow.routeFilters()[static_cast<size_t>(route)].local;
      if (auto limited = ratelimit::limitedReply(*out.rate_limit, config)) {
        out.reply = filterReply(std::move(limited->head), std::move(limited->body));
        return out;
      }
      ratelimit::appendRateLimitHeaders(*out.rate_limit, out.response_headers);
    }
    if (const auto& global = flow.routeFilters()[static_cast<size_t>(route)].global) {
      out.global_check =
          ratelimit::globalDescriptors(*global, *context.forwarded, head.detection.client);
    }
  }
  if (!flow.altSvc().empty()) out.response_headers.push_back({"alt-svc", flow.altSvc()});
  return out;
}

}  // namespace ctplab::proxy::http_flow
