// The connection half of a request's decision: the client's bytes, the hops, the gateway port,
// its PROXY protocol filter and the listener; the HTTP or TCP half follows in decision_http.cc.
#include "ctplab/simulator/identity/request_decision.h"

#include <utility>

#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "ctplab/simulator/clients/request_bytes.h"
#include "ctplab/simulator/net/hop_path.h"
#include "identity/decision_steps.h"

namespace ctplab::sim::identity {
namespace detail {

void addStep(RequestDecision& out, Step::Kind kind, std::string text) {
  out.steps.push_back(Step{kind, std::move(text), {}});
}

void finish(RequestDecision& out, Outcome::Kind kind, int status, std::string body,
            std::string detail, Outcome::DecidedBy by) {
  out.outcome = Outcome{kind, status, std::move(body), std::move(detail), by};
}

}  // namespace detail

namespace {

using detail::addStep;
using detail::finish;
namespace pp = proxy::proxy_protocol;

std::string versionName(scenario::Hop::ProxyProtocol v) {
  return v == scenario::Hop::ProxyProtocol::kV2 ? "v2" : "v1";
}

// As a scenario picks it: the port's first listener's first hostname, unless a wildcard.
std::string defaultHost(const DecisionGateway& gateway, const gateway::PortRuntime* port) {
  if (port == nullptr) return "example.com";
  const auto& names = gateway.model().listeners()[port->settings_owner].ir->hostnames;
  if (names.empty() || names.front().find('*') != std::string::npos) return "example.com";
  return names.front();
}

std::string describeClient(const RequestDescription& r, const std::string& host) {
  std::string out = "client " + r.source.toString();
  if (r.proxy_header) {
    out += " writes a PROXY " + versionName(r.proxy_header->version) + " header claiming " +
           r.proxy_header->source + ", then";
  }
  out += " sends " + r.method + " " + r.path + " Host: " + host;
  for (const auto& h : r.headers) out += ", " + h.name + ": " + h.value;
  return out;
}

// Counters the filter moved, by Envoy name: what a reader would look for in /stats.
std::string countersMoved(const pp::ProxyProtocolStats& stats) {
  std::string out;
  stats.forEach([&](std::string_view name, uint64_t value) {
    if (value == 0) return;
    out += (out.empty() ? "" : ", ") + std::string(name);
  });
  return out;
}

std::string closeText(const pp::ProxyProtocolFilter& filter) {
  switch (filter.closeReason()) {
    case pp::CloseReason::kNotFoundDisallowed:
      return "no PROXY header and the port requires one";
    case pp::CloseReason::kError:
      return "malformed PROXY header" +
             (filter.errorDetail().empty() ? "" : " (" + filter.errorDetail() + ")");
    case pp::CloseReason::kVersionDisallowed:
      return "PROXY header of a disallowed version";
    case pp::CloseReason::kNone:
      break;
  }
  return "the PROXY protocol filter closed the connection";
}

// Runs the port's PROXY protocol listener filter over everything the client's side sends;
// false when it closed the connection (the outcome is set).
bool runProxyProtocol(const gateway::PortRuntime& port, const net::Arrival& arrival,
                      const std::string& request_bytes, detail::Accepted& accepted,
                      RequestDecision& out) {
  const pp::ProxyProtocolConfig& config = port.proxy_protocol;
  pp::ProxyProtocolStats stats;
  pp::ProxyProtocolFilter filter(config, pp::Endpoint{arrival.peer, arrival.peer_port}, stats);
  const std::string bytes = arrival.preamble + request_bytes;
  const size_t taken = filter.feed(bytes);
  const std::string where = "gateway :" + std::to_string(port.external_port) + " (proxy port " +
                            std::to_string(port.proxy_port) + ") connection from " +
                            arrival.peer.toString();
  if (filter.state() != pp::FilterState::kContinue) {
    const std::string why = filter.state() == pp::FilterState::kClose
                                ? closeText(filter)
                                : "the PROXY header never completes (connectionInspectionTimeout)";
    const std::string counters = countersMoved(stats);
    addStep(out, Step::Kind::kGateway,
            where + ": " + why + " → closed" + (counters.empty() ? "" : " (" + counters + ")"));
    finish(out, Outcome::Kind::kClosed, 0, "", why, Outcome::DecidedBy::kProxyProtocol);
    return false;
  }
  accepted.peer = filter.peer().address;
  accepted.bytes = std::string(filter.passthrough()) + bytes.substr(taken);
  std::string text = where;
  if (!config.enabled) {
    text += "; no PROXY protocol on this port: peer " + accepted.peer.toString();
  } else if (filter.header()) {
    const auto& h = *filter.header();
    text += std::string("; PROXY ") + (h.version == pp::Version::kV2 ? "v2" : "v1") + " header";
    text += h.keepsSocketAddresses() ? " without addresses: peer stays " + accepted.peer.toString()
                                     : " → peer " + accepted.peer.toString();
  } else {
    text += "; no PROXY header (optional on this port): peer " + accepted.peer.toString();
  }
  addStep(out, Step::Kind::kGateway, std::move(text));
  out.peer = accepted.peer;
  return true;
}

}  // namespace

std::string_view stepKindName(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::kClient:
      return "client";
    case Step::Kind::kHop:
      return "hop";
    case Step::Kind::kGateway:
      return "gateway";
    case Step::Kind::kListener:
      return "listener";
    case Step::Kind::kCodec:
      return "codec";
    case Step::Kind::kClientIp:
      return "client_ip";
    case Step::Kind::kRequestStage:
      return "request_stage";
    case Step::Kind::kForwarding:
      return "forwarding";
    case Step::Kind::kRoute:
      return "route";
    case Step::Kind::kAuthorization:
      return "authorization";
  }
  return "";
}

std::string_view outcomeKindName(Outcome::Kind kind) {
  switch (kind) {
    case Outcome::Kind::kForwarded:
      return "forwarded";
    case Outcome::Kind::kLocalReply:
      return "local_reply";
    case Outcome::Kind::kClosed:
      return "closed";
  }
  return "";
}

std::string_view decidedByName(Outcome::DecidedBy by) {
  switch (by) {
    case Outcome::DecidedBy::kHop:
      return "hop";
    case Outcome::DecidedBy::kListener:
      return "listener";
    case Outcome::DecidedBy::kProxyProtocol:
      return "proxy_protocol";
    case Outcome::DecidedBy::kCodec:
      return "http1_codec";
    case Outcome::DecidedBy::kClientIpDetection:
      return "client_ip_detection";
    case Outcome::DecidedBy::kRequestStage:
      return "request_stage";
    case Outcome::DecidedBy::kRouter:
      return "router";
    case Outcome::DecidedBy::kAuthorization:
      return "authorization";
    case Outcome::DecidedBy::kBackend:
      return "backend";
  }
  return "";
}

RequestDecision decideRequest(const DecisionGateway& gateway, const RequestDescription& request) {
  RequestDecision out;
  out.method = request.method;
  const gateway::PortRuntime* port = gateway.port(request.port);
  const std::string host = request.host.empty() ? defaultHost(gateway, port) : request.host;
  addStep(out, Step::Kind::kClient, describeClient(request, host));

  proxy::http1::HeaderList headers = request.headers;
  net::Origin origin{request.source, request.source_port, request.client_index,
                     request.proxy_header};
  const net::Arrival arrival =
      net::traverse(request.hops, origin, static_cast<uint16_t>(request.port), headers);
  for (const auto& line : arrival.trace) {
    // traverse() also narrates what the client itself wrote, which the first step already says.
    if (line.rfind("client ", 0) == 0) continue;
    addStep(out, Step::Kind::kHop, line);
  }
  if (arrival.refused_by) {
    finish(out, Outcome::Kind::kLocalReply, 400, "", "refused by hop " + *arrival.refused_by,
           Outcome::DecidedBy::kHop);
    return out;
  }
  if (port == nullptr) {
    addStep(out, Step::Kind::kGateway,
            "gateway :" + std::to_string(request.port) + ": no listener on this port → refused");
    finish(out, Outcome::Kind::kClosed, 0, "", "connection refused", Outcome::DecidedBy::kListener);
    return out;
  }

  scenario::RequestTemplate wire;
  wire.method = request.method;
  wire.path = request.path;
  wire.host = host;
  for (const auto& h : headers) wire.headers.emplace_back(h.name, h.value);
  detail::Accepted accepted;
  accepted.port = port;
  if (!runProxyProtocol(*port, arrival, clients::buildRequestBytes(wire, host), accepted, out)) {
    return out;
  }

  const std::string sni = request.sni.empty() ? host : request.sni;
  const int listener = gateway.selectListener(*port, sni);
  if (listener < 0) {
    addStep(
        out, Step::Kind::kListener,
        "no listener on :" + std::to_string(request.port) + " matches SNI " + sni + " → closed");
    finish(out, Outcome::Kind::kClosed, 0, "", "no filter chain matches SNI " + sni,
           Outcome::DecidedBy::kListener);
    return out;
  }
  accepted.listener = static_cast<size_t>(listener);
  const auto& lrt = gateway.model().listeners()[accepted.listener];
  out.listener = lrt.ir->name;
  std::string text = "listener " + lrt.ir->name;
  if (port->tls) text += " (by SNI " + sni + "; TLS handshake assumed to succeed)";
  addStep(out, Step::Kind::kListener, std::move(text));
  if (port->http) {
    detail::decideHttp(gateway, request, accepted, out);
  } else {
    detail::decideTcp(gateway, accepted, out);
  }
  return out;
}

RequestDecision::Authorization authorizationAt(const DecisionGateway& gateway,
                                               const RequestDecision& decision,
                                               const IpAddress& client) {
  if (decision.route_listener < 0 || decision.route_index < 0) {
    return RequestDecision::Authorization::kNotReached;
  }
  const auto* policy = gateway.routes(static_cast<size_t>(decision.route_listener))
                           .authorization(decision.route_index);
  if (policy == nullptr) return RequestDecision::Authorization::kNoPolicy;
  const auto verdict = decision.tcp
                           ? policy->evaluateTcp(client)
                           : policy->evaluateHttp(client, decision.method, decision.route_path);
  return verdict.allowed ? RequestDecision::Authorization::kAllowed
                         : RequestDecision::Authorization::kDenied;
}

}  // namespace ctplab::sim::identity
