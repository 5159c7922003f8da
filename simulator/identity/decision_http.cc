// The HTTP half of a request's decision: the HTTP/1 parser, then the data plane's per-request flow
// (the simulator's own) for detection, request stage, forwarding headers, route and authorization.
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "ctplab/proxy/authz/denial.h"
#include "ctplab/proxy/authz/trace.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/server_codec.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/parser.h"
#include "ctplab/simulator/identity/decision_output.h"
#include "identity/decision_steps.h"

namespace ctplab::sim::identity::detail {
namespace {

namespace http1 = proxy::http1;
namespace cip = proxy::client_ip;
using Authorization = RequestDecision::Authorization;

// The request head as the gateway's HTTP/1 parser reads it; a ProtocolError ends the request.
std::optional<http1::RequestHead> parseHead(const gateway::ListenerRuntime& lrt,
                                            const std::string& bytes, RequestDecision& out) {
  http1::CodecStats stats;
  http1::ServerCodec codec(lrt.codec, stats);
  codec.feed(bytes);
  // Bounded: one head is all this looks for.
  for (int guard = 0; guard < 64; ++guard) {
    auto event = codec.nextEvent();
    if (!event) break;
    if (auto* head = std::get_if<http1::RequestHead>(&*event)) return std::move(*head);
    if (auto* error = std::get_if<http1::ProtocolError>(&*event)) {
      addStep(out, Step::Kind::kCodec,
              "the HTTP/1 parser rejects the bytes (" + std::string(error->details) + ") → " +
                  std::to_string(error->status));
      // The usual cause here: a PROXY header nobody consumed (a second one, or one the port
      // does not expect), which no HTTP method starts like.
      if (proxy::proxy_protocol::matchSignature(bytes)) {
        out.steps.back().details.push_back(
            "the bytes start with a PROXY protocol header that no listener filter consumed");
      }
      finish(out, Outcome::Kind::kLocalReply, error->status, "", std::string(error->details),
             Outcome::DecidedBy::kCodec);
      return std::nullopt;
    }
  }
  addStep(out, Step::Kind::kCodec, "the request head never completes → closed");
  finish(out, Outcome::Kind::kClosed, 0, "", "incomplete request head", Outcome::DecidedBy::kCodec);
  return std::nullopt;
}

std::string sourceText(const cip::Detection& d, const cip::ClientIpConfig& c) {
  if (d.fallback) return "the peer (fallback)";
  switch (d.source) {
    case cip::Source::kPeer:
      return "the peer";
    case cip::Source::kXff:
      return "X-Forwarded-For";
    case cip::Source::kCustomHeader:
      return c.custom_header;
  }
  return "";
}

// The client-IP step from the flow's detection; false when failClosed rejected the request.
bool describeDetection(const proxy::http_flow::ListenerFlow& flow, const cip::Detection& d,
                       RequestDecision& out) {
  Step step{Step::Kind::kClientIp, "client IP: " + describeClientIpMode(flow.clientIp()), d.trace};
  if (d.reject) {
    step.text += " → rejected (failClosed) → " + std::to_string(d.reject->status);
    out.steps.push_back(std::move(step));
    finish(out, Outcome::Kind::kLocalReply, d.reject->status, d.reject->body, d.reject->details,
           Outcome::DecidedBy::kClientIpDetection);
    return false;
  }
  step.text += " → " + d.client.toString() + " from " + sourceText(d, flow.clientIp());
  out.steps.push_back(std::move(step));
  out.client_ip = d.client;
  out.client_ip_source = d.source;
  return true;
}

// Routing and authorization as the flow runs them, on the listener serving the request's Host;
// false when either answered (the outcome is set).
bool routeAndAuthorize(const DecisionGateway& gateway, const Accepted& accepted,
                       const proxy::http_flow::HeadOutcome& head, RequestDecision& out) {
  const int listener = accepted.port->tls ? static_cast<int>(accepted.listener)
                                          : gateway.listenerForHost(*accepted.port, head.host);
  const auto* lrt =
      listener < 0 ? nullptr : &gateway.model().listeners()[static_cast<size_t>(listener)];
  if (lrt == nullptr || !lrt->flow) {
    addStep(out, Step::Kind::kRoute, "no listener on the port serves Host " + head.host + " → 404");
    finish(out, Outcome::Kind::kLocalReply, 404, "", "route_not_found",
           Outcome::DecidedBy::kRouter);
    return false;
  }
  const auto routed = proxy::http_flow::routeRequest(*lrt->flow, {}, head);
  using Kind = proxy::router::RouteDecision::Kind;
  if (routed.route.kind == Kind::kNoRoute) {
    addStep(out, Step::Kind::kRoute,
            "no route on " + lrt->ir->name + " for " + head.host + out.route_path + " → 404");
    finish(out, Outcome::Kind::kLocalReply, 404, "", "route_not_found",
           Outcome::DecidedBy::kRouter);
    return false;
  }
  out.route = std::string(routed.route.name);
  out.route_listener = listener;
  out.route_index = routed.route.index;
  if (routed.route.kind == Kind::kDirect500) {
    addStep(out, Step::Kind::kRoute, "route " + out.route + " is invalid → 500");
    finish(out, Outcome::Kind::kLocalReply, 500, "", "direct_response",
           Outcome::DecidedBy::kRouter);
    return false;
  }
  // On a plain-HTTP port the Host picks the virtual host, possibly another listener's.
  addStep(out, Step::Kind::kRoute,
          "route " + out.route +
              (static_cast<size_t>(listener) == accepted.listener
                   ? ""
                   : " (listener " + lrt->ir->name + ")"));
  const auto* policy = lrt->flow->routes().authorization(routed.route.index);
  if (!routed.authz || policy == nullptr) {
    out.authorization = Authorization::kNoPolicy;
    addStep(out, Step::Kind::kAuthorization, "authz: no SecurityPolicy authorization on the route");
    return true;
  }
  std::string line = proxy::authz::traceLine(*policy, *out.client_ip, *routed.authz);
  const auto source = lrt->flow->routes().authorizationSource(routed.route.index);
  if (!source.empty()) line += " (SecurityPolicy " + std::string(source) + ")";
  addStep(out, Step::Kind::kAuthorization, std::move(line));
  out.authorization = routed.authz->allowed ? Authorization::kAllowed : Authorization::kDenied;
  if (routed.reply) {
    // The flow's reply carries no response-code details; the denial names them.
    const auto denial = proxy::authz::httpDenial(*routed.authz);
    finish(out, Outcome::Kind::kLocalReply, routed.reply->status, routed.reply->body,
           denial ? denial->details : "", Outcome::DecidedBy::kAuthorization);
    return false;
  }
  return true;
}

std::string xffText(const http1::HeaderList& headers) {
  const auto* xff = http1::findHeader(headers, "x-forwarded-for");
  return xff == nullptr ? "no X-Forwarded-For" : "X-Forwarded-For: " + xff->value;
}

}  // namespace

void decideHttp(const DecisionGateway& gateway, const RequestDescription& request,
                const Accepted& accepted, RequestDecision& out) {
  const auto& lrt = gateway.model().listeners()[accepted.listener];
  if (!lrt.flow) {
    addStep(out, Step::Kind::kListener, "listener " + lrt.ir->name + " serves no HTTP");
    finish(out, Outcome::Kind::kClosed, 0, "", "no HTTP flow", Outcome::DecidedBy::kListener);
    return;
  }
  auto head = parseHead(lrt, accepted.bytes, out);
  if (!head) return;
  out.method = head->method;
  // The simulator's per-request flow itself: detection, request stage, forwarding headers.
  // Request-ID bits stay zero so explanations repeat.
  const auto outcome = proxy::http_flow::onRequestHead(*lrt.flow, {}, accepted.peer, {}, *head);
  if (!describeDetection(*lrt.flow, outcome.detection, out)) return;
  if (outcome.reply) {
    addStep(out, Step::Kind::kRequestStage,
            "request stage answers " + std::to_string(outcome.reply->status));
    finish(out, Outcome::Kind::kLocalReply, outcome.reply->status, outcome.reply->body, "",
           Outcome::DecidedBy::kRequestStage);
    return;
  }
  out.route_path = outcome.path;
  if (outcome.path != request.path) {
    addStep(out, Step::Kind::kRequestStage, "path normalized to " + outcome.path);
  }
  if (!routeAndAuthorize(gateway, accepted, outcome, out)) return;
  out.forwarded_headers = head->headers;
  addStep(out, Step::Kind::kForwarding, "upstream " + xffText(head->headers));
  finish(out, Outcome::Kind::kForwarded, 200, "", "route " + out.route,
         Outcome::DecidedBy::kBackend);
}

void decideTcp(const DecisionGateway& gateway, const Accepted& accepted, RequestDecision& out) {
  out.tcp = true;
  out.client_ip = accepted.peer;
  out.client_ip_source = cip::Source::kPeer;
  const auto& lrt = gateway.model().listeners()[accepted.listener];
  if (lrt.ir->routes.empty()) {
    addStep(out, Step::Kind::kRoute, "no route attached to " + lrt.ir->name + " → closed");
    finish(out, Outcome::Kind::kClosed, 0, "", "no route", Outcome::DecidedBy::kRouter);
    return;
  }
  out.route = lrt.ir->routes.front().name;
  out.route_listener = static_cast<int>(accepted.listener);
  out.route_index = 0;
  addStep(out, Step::Kind::kRoute, "TCP route " + out.route + " (no HTTP processing)");
  const auto& table = gateway.routes(accepted.listener);
  const auto* policy = table.authorization(0);
  if (policy == nullptr) {
    out.authorization = Authorization::kNoPolicy;
    addStep(out, Step::Kind::kAuthorization, "authz: no SecurityPolicy authorization on the route");
  } else {
    const auto verdict = policy->evaluateTcp(accepted.peer);
    std::string line = proxy::authz::traceLine(*policy, accepted.peer, verdict);
    const auto source = table.authorizationSource(0);
    if (!source.empty()) line += " (SecurityPolicy " + std::string(source) + ")";
    addStep(out, Step::Kind::kAuthorization, std::move(line));
    out.authorization = verdict.allowed ? Authorization::kAllowed : Authorization::kDenied;
    if (proxy::authz::tcpVerdict(verdict) == proxy::authz::TcpVerdict::kCloseWithoutData) {
      finish(out, Outcome::Kind::kClosed, 0, "", "authorization denied the connection",
             Outcome::DecidedBy::kAuthorization);
      return;
    }
  }
  finish(out, Outcome::Kind::kForwarded, 0, "", "route " + out.route, Outcome::DecidedBy::kBackend);
}

}  // namespace ctplab::sim::identity::detail
