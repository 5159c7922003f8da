#include "checker.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "ctplab/conformance/case_loader.h"

namespace ctplab::conformance {
namespace {

std::string describeAncestor(const policy::AncestorRef& ref) {
  std::string s = ref.kind + " " + ref.ns + "/" + ref.name;
  if (ref.section_name) s += " section " + *ref.section_name;
  return s;
}

std::string describeCondition(const policy::Condition& c) {
  return c.type + "=" + c.status + " " + c.reason + " \"" + c.message + "\"";
}

std::string describeExpected(const ConditionExpectation& e) {
  std::string s = e.type;
  if (e.status) s += "=" + *e.status;
  if (e.reason) s += " " + *e.reason;
  if (e.message) s += " message " + e.message->describe();
  return s;
}

bool selected(const PolicyExpectation& p, const policy::AncestorRef& ref) {
  if (p.ancestor_kind && ref.kind != *p.ancestor_kind) return false;
  if (p.ancestor_name && ref.name != *p.ancestor_name) return false;
  if (p.ancestor_namespace && ref.ns != *p.ancestor_namespace) return false;
  if (p.section_name && ref.section_name != p.section_name) return false;
  return true;
}

std::string listAncestors(const std::vector<policy::AncestorStatus>& ancestors) {
  if (ancestors.empty()) return "no ancestors";
  std::string s;
  for (const auto& a : ancestors) {
    s += (s.empty() ? "" : "; ") + describeAncestor(a.ref) + ": ";
    std::string conds;
    for (const auto& c : a.conditions) conds += (conds.empty() ? "" : ", ") + describeCondition(c);
    s += conds;
  }
  return s;
}

// A policy of any kind the engine reports statuses for.
struct FoundPolicy {
  const policy::PolicyStatus* status = nullptr;
  bool rejected = false;
  std::vector<std::string> admission_errors;
};

template <typename Results>
void findIn(const Results& results, const std::string& ns, const std::string& name,
            FoundPolicy& out) {
  for (const auto& p : results) {
    if (p.policy && p.policy->meta.ns == ns && p.policy->meta.name == name) {
      out = {&p.status, p.rejected, p.admission_errors};
    }
  }
}

FoundPolicy findPolicy(const policy::TranslationResult& t, const std::string& kind,
                       const std::string& ns, const std::string& name) {
  FoundPolicy out;
  if (kind == "ClientTrafficPolicy") findIn(t.policies, ns, name, out);
  if (kind == "SecurityPolicy") findIn(t.security_policies, ns, name, out);
  if (kind == "BackendTrafficPolicy") findIn(t.backend_traffic_policies, ns, name, out);
  return out;
}

}  // namespace

std::vector<Failure> checkPolicies(const ConformanceCase& test,
                                   const policy::TranslationResult& translation) {
  std::vector<Failure> failures;
  for (const auto& expect : test.policies) {
    const std::string label = expect.label();
    const FoundPolicy* found = nullptr;
    const FoundPolicy candidate = findPolicy(translation, expect.kind, expect.ns, expect.name);
    if (candidate.status != nullptr) found = &candidate;
    if (found == nullptr) {
      failures.push_back(
          {expect.location, label, "the policy among the resources", "no such policy"});
      continue;
    }
    if (found->rejected) {
      std::string errors;
      for (const auto& e : found->admission_errors) errors += (errors.empty() ? "" : "; ") + e;
      failures.push_back({expect.location, label, "admitted by the API server",
                          "rejected by admission: " + errors});
      continue;
    }
    const auto& ancestors = found->status->ancestors();
    if (expect.ancestor_count &&
        !expect.ancestor_count->matches(static_cast<double>(ancestors.size()))) {
      failures.push_back({expect.location, label + ": number of ancestors",
                          expect.ancestor_count->describe(),
                          describeNumber(static_cast<double>(ancestors.size())) + " (" +
                              listAncestors(ancestors) + ")"});
    }
    if (expect.conditions.empty() && expect.absent_conditions.empty()) continue;
    std::vector<const policy::AncestorStatus*> chosen;
    for (const auto& a : ancestors) {
      if (selected(expect, a.ref)) chosen.push_back(&a);
    }
    if (chosen.empty()) {
      failures.push_back(
          {expect.location, label, "an ancestor matching the selector", listAncestors(ancestors)});
      continue;
    }
    for (const auto* a : chosen) {
      const std::string where = label + " on " + describeAncestor(a->ref);
      for (const auto& c : expect.conditions) {
        const policy::Condition* got = a->find(c.type);
        const bool ok = got != nullptr && (!c.status || got->status == *c.status) &&
                        (!c.reason || got->reason == *c.reason) &&
                        (!c.message || c.message->matches(got->message));
        if (!ok) {
          failures.push_back({c.location, where, describeExpected(c),
                              got == nullptr
                                  ? "no " + c.type + " condition (" + listAncestors({*a}) + ")"
                                  : describeCondition(*got)});
        }
      }
      for (const auto& type : expect.absent_conditions) {
        if (const policy::Condition* got = a->find(type)) {
          failures.push_back(
              {expect.location, where, "no " + type + " condition", describeCondition(*got)});
        }
      }
    }
  }
  return failures;
}

std::vector<std::pair<std::string, double>> observationsOf(const sim::run::PopulationResult& p) {
  const auto& c = p.connections;
  const auto& r = p.requests;
  auto ms = [](Duration d) { return static_cast<double>(d.ns()) / 1e6; };
  auto n = [](uint64_t v) { return static_cast<double>(v); };
  std::vector<std::pair<std::string, double>> out = {
      {"clients", n(p.clients)},
      {"hold_completed", n(p.hold_completed)},
      {"connections.attempted", n(c.attempted)},
      {"connections.connect_failed", n(c.connect_failed)},
      {"connections.established", n(c.established)},
      {"connections.admitted", n(c.admitted)},
      {"connections.limited", n(c.limited)},
      {"connections.no_filter_chain", n(c.no_filter_chain)},
      {"connections.closed_by_server", n(c.closed_by_server)},
      {"connections.reset_by_server", n(c.reset_by_server)},
      {"connections.closed_by_client", n(c.closed_by_client)},
      {"connections.vanished", n(c.vanished)},
      {"connections.retries", n(c.retries)},
      {"requests.sent", n(r.sent)},
      {"requests.responses", n(r.responses())},
      {"requests.reset", n(r.reset)},
      {"requests.closed", n(r.closed)},
      {"requests.timeout", n(r.timeout)},
      {"requests.connect_failed", n(r.connect_failed)},
      {"requests.unfinished", n(r.unfinished)},
      {"latency_ms.count", n(p.latency.count())},
      {"latency_ms.mean", p.latency.mean() / 1e6},
      {"latency_ms.p50", ms(p.latency.valueAtPercentile(50))},
      {"latency_ms.p90", ms(p.latency.valueAtPercentile(90))},
      {"latency_ms.p99", ms(p.latency.valueAtPercentile(99))},
      {"latency_ms.p99.9", ms(p.latency.valueAtPercentile(99.9))},
      {"latency_ms.max", ms(p.latency.max())},
  };
  for (const auto& [status, count] : r.by_status) {
    out.emplace_back("requests.by_status." + std::to_string(status), n(count));
  }
  for (const auto& [name, count] : p.tls) out.emplace_back("tls." + name, n(count));
  if (p.quic) {
    const sim::run::QuicCounts& q = *p.quic;
    out.insert(out.end(), {{"http3.responses", n(q.responses)},
                           {"http3.quic_attempted", n(q.attempted)},
                           {"http3.quic_established", n(q.established)},
                           {"http3.zero_rtt", n(q.zero_rtt)},
                           {"http3.handshake_timeout", n(q.handshake_timeout)},
                           {"http3.refused", n(q.refused)},
                           {"http3.limited", n(q.limited)},
                           {"http3.fallbacks", n(q.fallbacks)}});
  }
  return out;
}

bool isGroundTruthPath(const std::string& path) {
  return path == "connections.admitted" || path == "connections.limited" ||
         path == "connections.no_filter_chain" || path == "connections.vanished";
}

std::vector<Failure> checkTraffic(const ConformanceCase& test, const sim::run::RunResult* run,
                                  const Observability& observable,
                                  std::vector<std::string>& unchecked) {
  std::vector<Failure> failures;
  for (const auto& expect : test.populations) {
    std::map<std::string, double> observed;
    if (run != nullptr) {
      for (const auto& p : run->populations) {
        if (p.name != expect.population) continue;
        for (const auto& [path, value] : observationsOf(p)) observed[path] = value;
      }
    }
    for (const auto& o : expect.observations) {
      if (!observable.ground_truth && isGroundTruthPath(o.path)) {
        unchecked.push_back("population " + expect.population + ": " + o.path);
        continue;
      }
      auto it = observed.find(o.path);
      // A status no response had is an observation of zero, not a missing one.
      const double value = it == observed.end() ? 0 : it->second;
      if (!o.matcher.matches(value)) {
        failures.push_back({o.location, "population " + expect.population + ": " + o.path,
                            o.matcher.describe(), describeNumber(value)});
      }
    }
  }
  for (const auto& b : test.backend) {
    std::vector<const sim::run::BackendRequest*> seen;
    if (run != nullptr) {
      for (const auto& req : run->backend_requests) {
        if (run->populations[req.population].name == b.population) seen.push_back(&req);
      }
    }
    const std::string label = "backend, from population " + b.population;
    if (b.received && !b.received->matches(static_cast<double>(seen.size()))) {
      failures.push_back({b.location, label + ": requests received", b.received->describe(),
                          describeNumber(static_cast<double>(seen.size()))});
    }
    if (!b.method && !b.path && !b.client_ip && b.headers.empty()) continue;
    if (b.request >= seen.size()) {
      failures.push_back({b.location, label, "request #" + std::to_string(b.request),
                          std::to_string(seen.size()) + " request(s) received"});
      continue;
    }
    const auto& req = *seen[b.request];
    const std::string where = label + ", request #" + std::to_string(b.request);
    if (b.method && !b.method->matches(req.method)) {
      failures.push_back({b.location, where + ": method", b.method->describe(), req.method});
    }
    if (b.path && !b.path->matches(req.path)) {
      failures.push_back({b.location, where + ": path", b.path->describe(), req.path});
    }
    if (b.client_ip && !observable.client_ip) {
      unchecked.push_back(where + ": detected client IP");
    } else if (b.client_ip && !b.client_ip->matches(req.client_ip.toString())) {
      failures.push_back({b.location, where + ": detected client IP", b.client_ip->describe(),
                          req.client_ip.toString()});
    }
    for (const auto& h : b.headers) {
      std::optional<std::string> joined;
      for (const auto& [name, value] : req.headers) {
        if (name.size() != h.name.size() ||
            !std::equal(name.begin(), name.end(), h.name.begin(), [](char x, char y) {
              return std::tolower(static_cast<unsigned char>(x)) ==
                     std::tolower(static_cast<unsigned char>(y));
            })) {
          continue;
        }
        joined = joined ? *joined + "," + value : value;
      }
      if (h.absent) {
        if (joined)
          failures.push_back({h.location, where + ": header " + h.name, "absent", *joined});
      } else if (!joined || !h.value->matches(*joined)) {
        failures.push_back({h.location, where + ": header " + h.name, h.value->describe(),
                            joined ? "\"" + *joined + "\"" : "absent"});
      }
    }
  }
  for (const auto& s : test.stats) {
    if (!observable.stats) {
      unchecked.push_back("stat " + s.name);
      continue;
    }
    double value = 0;
    if (run != nullptr) {
      auto it = run->gateway_stats.find(s.name);
      if (it != run->gateway_stats.end()) value = static_cast<double>(it->second);
    }
    if (!s.matcher.matches(value)) {
      failures.push_back(
          {s.location, "stat " + s.name, s.matcher.describe(), describeNumber(value)});
    }
  }
  return failures;
}

}  // namespace ctplab::conformance
