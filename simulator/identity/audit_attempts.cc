// The audit's requests: for each entry path an honest one and families of forgeries (extra
// X-Forwarded-For entries, the custom header, a PROXY header), the same forgeries sent straight
// to the gateway when it is reachable directly, and the findings where a forgery is believed.
#include <algorithm>
#include <optional>
#include <set>

#include "audit_run.h"
#include "ctplab/common/ip_cidr.h"
#include "ctplab/simulator/identity/decision_output.h"

namespace ctplab::sim::identity::audit {
namespace {

using Authorization = RequestDecision::Authorization;

struct Variant {
  std::string sent;
  std::string label;  // how it differs from its siblings: "2 entries", "v2"
  RequestDescription request;
};

struct Family {
  std::string attempt;
  std::vector<Variant> variants;
};

std::string hopNames(const std::vector<const scenario::Hop*>& hops) {
  if (hops.empty()) return "directly";
  std::string out = "through ";
  for (size_t i = 0; i < hops.size(); ++i) out += (i ? ", " : "") + hops[i]->name;
  return out;
}

// The listener whose clientIPDetection judges requests on the port, as the honest request found
// it (or the port's settings owner when that request never reached a listener). nullptr when
// that listener serves no HTTP, so has no client-IP detection.
const proxy::client_ip::ClientIpConfig* decidingClientIp(const DecisionGateway& g, uint32_t port,
                                                         const RequestDecision& honest) {
  const gateway::ListenerRuntime* found = nullptr;
  for (const auto& l : g.model().listeners()) {
    if (l.ir->name == honest.listener) found = &l;
  }
  if (found == nullptr) {
    const auto* p = g.port(port);
    if (p == nullptr) return nullptr;
    found = &g.model().listeners()[p->settings_owner];
  }
  return found->flow ? &found->flow->clientIp() : nullptr;
}

// 1, 2 and 3 entries, and exactly enough to reach the entry numTrustedHops reads.
std::vector<size_t> xffCounts(const proxy::client_ip::ClientIpConfig* ip) {
  std::set<size_t> counts = {1, 2, 3};
  if (ip != nullptr && ip->mode == proxy::client_ip::Mode::kNumTrustedHops) {
    counts.insert(std::min<size_t>(ip->hops_to_skip + 1, 16));
  }
  return {counts.begin(), counts.end()};
}

std::vector<Family> forgeries(const RequestDescription& base, const std::string& who,
                              const proxy::client_ip::ClientIpConfig* listener,
                              const IpAddress& forged) {
  std::vector<Family> out;
  const std::string f = forged.toString();
  const std::string route = " " + hopNames(base.hops);
  Family xff{"forged X-Forwarded-For", {}};
  for (size_t k : xffCounts(listener)) {
    std::string value;
    for (size_t i = 0; i < k; ++i) value += (i ? ", " : "") + f;
    Variant v{who + " sends X-Forwarded-For: " + value + route,
              std::to_string(k) + (k == 1 ? " entry" : " entries"), base};
    v.request.headers.push_back({"X-Forwarded-For", value});
    xff.variants.push_back(std::move(v));
  }
  out.push_back(std::move(xff));
  if (listener != nullptr && listener->mode == proxy::client_ip::Mode::kCustomHeader) {
    const std::string& name = listener->custom_header;
    Variant v{who + " sends " + name + ": " + f + route, name, base};
    v.request.headers.push_back({name, f});
    out.push_back(Family{"forged " + name, {std::move(v)}});
  }
  Family pp{"forged PROXY header", {}};
  for (auto version : {scenario::Hop::ProxyProtocol::kV1, scenario::Hop::ProxyProtocol::kV2}) {
    const std::string name = version == scenario::Hop::ProxyProtocol::kV1 ? "v1" : "v2";
    Variant v{who + " writes a PROXY " + name + " header claiming " + f + route, name, base};
    v.request.proxy_header = scenario::ClientProxyHeader{version, f, 40000};
    pp.variants.push_back(std::move(v));
  }
  out.push_back(std::move(pp));
  return out;
}

// The forgery moved what the gateway believes (the address, or the authorization verdict).
bool believed(const RequestDecision& honest, const RequestDecision& a, const IpAddress& real) {
  if (!a.client_ip) return false;
  if (!honest.client_ip) return *a.client_ip != real;
  return *a.client_ip != *honest.client_ip || a.authorization != honest.authorization;
}

std::string verdictWord(Authorization a) {
  switch (a) {
    case Authorization::kAllowed:
      return "allowed";
    case Authorization::kDenied:
      return "denied";
    case Authorization::kNoPolicy:
      return "no authorization";
    case Authorization::kNotReached:
      return "not reached";
  }
  return "";
}

// What the honest request got, in the words of an authorization verdict when it got one.
std::string honestResult(const RequestDecision& honest) {
  if (honest.authorization == Authorization::kAllowed ||
      honest.authorization == Authorization::kDenied) {
    return "the honest request is " + verdictWord(honest.authorization);
  }
  if (honest.outcome.kind == Outcome::Kind::kClosed)
    return "the honest request's connection is closed";
  return "the honest request gets " + outcomeSummary(honest.outcome);
}

std::string spoofEffect(const RequestDecision& honest, const RequestDecision& a) {
  const std::string seen = "the gateway takes the client for " + a.client_ip->toString();
  const bool judged =
      a.authorization == Authorization::kAllowed || a.authorization == Authorization::kDenied;
  if (judged && a.authorization != honest.authorization) {
    return seen + ": authorization " + verdictWord(a.authorization) + " where " +
           honestResult(honest);
  }
  const std::string rest =
      "IP allow/deny rules, rate limits and access logs see the forged address";
  if (judged) {
    return seen + " (authorization " + verdictWord(a.authorization) + " either way); " + rest;
  }
  return seen + "; " + rest;
}

std::string baselineEffect(const DecisionGateway& g, const PathPlan& plan,
                           const RequestDecision& b) {
  const std::string seen = b.client_ip->toString();
  const std::string who = whoIs(plan.hops, *b.client_ip);
  const std::string as = seen + (who.empty() ? "" : " (" + who + ")");
  const Authorization should = authorizationAt(g, b, plan.client);
  if (should == Authorization::kAllowed && b.authorization == Authorization::kDenied) {
    return "locks everyone out: every client on this path is seen as " + as +
           ", which authorization denies, while the client's own address would be allowed";
  }
  if (should == Authorization::kDenied && b.authorization == Authorization::kAllowed) {
    return "lets everyone in: every client on this path is seen as " + as +
           ", which authorization allows, while the client's own address would be denied";
  }
  if (!who.empty()) {
    return "every client on this path is seen as " + as +
           ": one rate-limit bucket for all, and IP rules and access logs cannot tell clients "
           "apart";
  }
  return "the client is seen as " + as + " instead of its own address";
}

AuditFinding findingFor(const std::string& path, const std::string& attempt,
                        const std::string& sent, const IpAddress& expected,
                        const RequestDecision& d) {
  AuditFinding f;
  f.path = path;
  f.attempt = attempt;
  f.sent = sent;
  f.expected = expected.toString();
  f.detected = d.client_ip ? d.client_ip->toString() : "";
  f.outcome = outcomeSummary(d.outcome);
  return f;
}

// Runs the families against one honest reference; one finding per family that got believed.
void runFamilies(const DecisionGateway& g, const std::vector<Family>& families,
                 const RequestDecision& honest, const IpAddress& real, const std::string& label,
                 uint32_t port, bool direct, RunResult& out, size_t& attempts) {
  for (const auto& family : families) {
    std::optional<size_t> first;
    std::optional<RequestDecision> first_decision;
    std::vector<size_t> others;
    for (size_t i = 0; i < family.variants.size(); ++i) {
      RequestDecision d = decideRequest(g, family.variants[i].request);
      ++attempts;
      if (!believed(honest, d, real)) continue;
      if (!first) {
        first = i;
        first_decision = std::move(d);
      } else {
        others.push_back(i);
      }
    }
    if (!first) continue;
    AuditFinding f =
        findingFor(label, family.attempt, family.variants[*first].sent, real, *first_decision);
    if (!others.empty()) {
      f.sent += " (also believed with ";
      for (size_t i = 0; i < others.size(); ++i) {
        f.sent +=
            (i ? (i + 1 == others.size() ? " and " : ", ") : "") + family.variants[others[i]].label;
      }
      f.sent += ")";
    }
    f.effect = spoofEffect(honest, *first_decision);
    out.findings.push_back(RawFinding{std::move(f), port, direct});
  }
}

void runPath(const DecisionGateway& g, const PathPlan& plan, RunResult& out) {
  size_t attempts = 1;
  const RequestDescription base = honestRequest(plan);
  RequestDecision honest = decideRequest(g, base);
  const std::string& name = plan.path->name;
  const std::string who = "client " + plan.client.toString();
  if (!honest.client_ip) {
    AuditFinding f =
        findingFor(name, "baseline",
                   who + " sends " + base.method + " " + base.path + " " + hopNames(plan.hops),
                   plan.client, honest);
    f.effect = "legitimate clients on this path are refused (" +
               std::string(decidedByName(honest.outcome.decided_by)) +
               (honest.outcome.detail.empty() ? "" : ": " + honest.outcome.detail) + ")";
    out.findings.push_back(RawFinding{std::move(f), plan.path->port, false});
  } else if (*honest.client_ip != plan.client) {
    AuditFinding f =
        findingFor(name, "baseline",
                   who + " sends " + base.method + " " + base.path + " " + hopNames(plan.hops),
                   plan.client, honest);
    f.effect = baselineEffect(g, plan, honest);
    out.findings.push_back(RawFinding{std::move(f), plan.path->port, false});
  }
  const auto* listener = decidingClientIp(g, plan.path->port, honest);
  runFamilies(g, forgeries(base, who, listener, plan.forged), honest, plan.client, name,
              plan.path->port, false, out, attempts);
  out.baselines.push_back(std::move(honest));
  out.attempts.push_back(attempts);
}

void runDirect(const DecisionGateway& g, const DirectPlan& plan, RunResult& out) {
  size_t attempts = 1;
  const RequestDescription base = directRequest(plan);
  const RequestDecision honest = decideRequest(g, base);
  const auto* listener = decidingClientIp(g, plan.port, honest);
  runFamilies(g, forgeries(base, "a client at " + plan.attacker.toString(), listener, plan.forged),
              honest, plan.attacker, "direct :" + std::to_string(plan.port), plan.port, true, out,
              attempts);
}

}  // namespace

RequestDescription honestRequest(const PathPlan& plan) {
  RequestDescription r;
  r.port = plan.path->port;
  r.source = plan.client;
  r.client_index = kClientIndex;
  r.hops = plan.hops;
  r.method = plan.path->method;
  r.path = plan.path->path;
  r.host = plan.path->host;
  return r;
}

RequestDescription directRequest(const DirectPlan& plan) {
  RequestDescription r;
  r.port = plan.port;
  r.source = plan.attacker;
  r.client_index = kClientIndex;
  r.method = plan.like->method;
  r.path = plan.like->path;
  r.host = plan.like->host;
  return r;
}

RunResult runAttempts(const DecisionGateway& gateway, const std::vector<PathPlan>& paths,
                      const std::vector<DirectPlan>& direct) {
  RunResult out;
  for (const auto& p : paths) runPath(gateway, p, out);
  for (const auto& d : direct) runDirect(gateway, d, out);
  return out;
}

IpAddress chooseForgedAddress(const DecisionGateway& g, const RequestDecision& honest,
                              const IpAddress& client, const IpAddress& avoid) {
  const IpAddress fallback = *IpAddress::parse(client == *IpAddress::parse("192.0.2.77") ||
                                                       avoid == *IpAddress::parse("192.0.2.77")
                                                   ? "192.0.2.78"
                                                   : "192.0.2.77");
  if (honest.route_listener < 0 || honest.route_index < 0) return fallback;
  const auto* policy =
      g.routes(static_cast<size_t>(honest.route_listener)).authorization(honest.route_index);
  if (policy == nullptr) return fallback;
  const Authorization reference = authorizationAt(g, honest, client);
  const auto* listener = decidingClientIp(g, 0, honest);
  auto trusted = [&](const IpAddress& a) {
    if (listener == nullptr) return false;
    for (const auto& c : listener->trusted_cidrs) {
      if (c.contains(a)) return true;
    }
    return false;
  };
  // Addresses detection would skip as trusted cannot be forged through X-Forwarded-For: second
  // choice only.
  std::optional<IpAddress> second;
  for (uint32_t i = 0; i < policy->config().rules.size(); ++i) {
    for (const IpCidr& cidr : policy->ruleCidrs(i)) {
      if (cidr.prefixLength() == 0) continue;
      const IpAddress a = cidr.size() > 2 ? cidr.addressAt(1) : cidr.addressAt(0);
      if (a == client || a == avoid) continue;
      if (authorizationAt(g, honest, a) == reference) continue;
      if (!trusted(a)) return a;
      if (!second) second = a;
    }
  }
  return second.value_or(fallback);
}

std::string whoIs(const std::vector<const scenario::Hop*>& hops, const IpAddress& address) {
  for (const auto* h : hops) {
    auto cidr = IpCidr::parse(h->egress_cidr);
    if (cidr && cidr->contains(address)) return "hop " + h->name + "'s egress";
  }
  return "";
}

}  // namespace ctplab::sim::identity::audit
