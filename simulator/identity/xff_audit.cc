// The audit's driver: resolves the topology against the gateway, runs the attempts, and asks the
// fix search once per port that has findings.
#include "ctplab/simulator/identity/xff_audit.h"

#include <set>

#include "audit_fixes.h"
#include "audit_run.h"
#include "ctplab/common/ip_cidr.h"
#include "ctplab/simulator/identity/decision_output.h"

namespace ctplab::sim::identity {
namespace {

using audit::DirectPlan;
using audit::PathPlan;

IpAddress pick(const IpCidr& cidr, uint64_t index) {
  // Small ranges (a /32, a /30) have no address at `index`: take the last one.
  return cidr.size() > index ? cidr.addressAt(index) : cidr.addressAt(cidr.size() - 1);
}

// Validates ports against the gateway; false (with errors) when a path cannot be audited.
bool resolve(const DecisionGateway& g, const Topology& t, std::vector<PathPlan>& plans,
             std::vector<DirectPlan>& direct, policy::Diagnostics& diags) {
  auto attacker_range = IpCidr::parse(t.direct_from);
  const IpAddress attacker =
      attacker_range ? pick(*attacker_range, 1) : *IpAddress::parse("198.51.100.1");
  bool ok = true;
  for (size_t i = 0; i < t.paths.size(); ++i) {
    const EntryPath& p = t.paths[i];
    const std::string field = "paths[" + std::to_string(i) + "]";
    if (g.port(p.port) == nullptr) {
      diags.error(p.location, field + ".port",
                  "gateway " + g.ir().key + " has no listener on port " + std::to_string(p.port));
      ok = false;
      continue;
    }
    auto clients = IpCidr::parse(p.clients);
    if (!clients) {
      diags.error(p.location, field + ".clients", "not an address range: \"" + p.clients + "\"");
      ok = false;
      continue;
    }
    PathPlan plan;
    plan.path = &p;
    for (const auto& name : p.via) {
      const auto* hop = t.hop(name);
      if (hop == nullptr) {
        diags.error(p.location, field + ".via", "no hop named \"" + name + "\"");
        ok = false;
        continue;
      }
      plan.hops.push_back(hop);
    }
    plan.client = pick(*clients, audit::kClientIndex);
    const RequestDecision honest = decideRequest(g, audit::honestRequest(plan));
    plan.forged = audit::chooseForgedAddress(g, honest, plan.client, attacker);
    plans.push_back(std::move(plan));
  }
  if (!ok || !t.direct_access) return ok;
  std::set<uint32_t> ports;
  for (const auto& plan : plans) {
    if (!ports.insert(plan.path->port).second) continue;
    direct.push_back(DirectPlan{plan.path->port, plan.path, attacker, plan.forged});
  }
  return ok;
}

AuditedPath summarize(const DecisionGateway& g, const PathPlan& plan, const RequestDecision& honest,
                      size_t attempts) {
  AuditedPath a;
  a.name = plan.path->name;
  a.port = plan.path->port;
  a.listener = honest.listener;
  for (const auto& l : g.model().listeners()) {
    if (l.ir->name == honest.listener && l.flow) {
      a.detection = describeClientIpMode(l.flow->clientIp());
    }
  }
  a.client = plan.client.toString();
  a.detected = honest.client_ip ? honest.client_ip->toString() : "";
  a.outcome = outcomeSummary(honest.outcome);
  a.attempts = attempts;
  return a;
}

}  // namespace

std::optional<AuditReport> auditClientIp(const policy::ir::Gateway& gateway,
                                         const Topology& topology,
                                         policy::Diagnostics& diagnostics) {
  auto built = DecisionGateway::build(gateway);
  if (!built) {
    diagnostics.error({topology.file, 0, 0}, "",
                      "gateway " + gateway.key + " cannot be built: " + built.error().message);
    return std::nullopt;
  }
  const DecisionGateway& g = built.value();
  std::vector<PathPlan> plans;
  std::vector<DirectPlan> direct;
  if (!resolve(g, topology, plans, direct, diagnostics)) return std::nullopt;

  AuditReport report;
  report.gateway = gateway.key;
  auto run = audit::runAttempts(g, plans, direct);
  for (size_t i = 0; i < plans.size(); ++i) {
    report.paths.push_back(summarize(g, plans[i], run.baselines[i], run.attempts[i]));
    const auto& o = run.baselines[i].outcome;
    if (o.decided_by == Outcome::DecidedBy::kRouter) {
      report.notes.push_back("path " + plans[i].path->name + ": the honest request gets " +
                             outcomeSummary(o) + " (" + o.detail +
                             "); authorization effects on this path are not judged");
    }
  }
  // One fix search per port with findings; every finding on the port gets its answer.
  std::set<uint32_t> searched;
  std::vector<std::pair<uint32_t, audit::PortFix>> fixes;
  for (const auto& f : run.findings) {
    if (!searched.insert(f.port).second) continue;
    std::vector<PathPlan> port_paths;
    std::vector<DirectPlan> port_direct;
    for (const auto& p : plans) {
      if (p.path->port == f.port) port_paths.push_back(p);
    }
    for (const auto& d : direct) {
      if (d.port == f.port) port_direct.push_back(d);
    }
    fixes.emplace_back(f.port, audit::findFix(gateway, f.port, port_paths, port_direct));
  }
  for (auto& f : run.findings) {
    for (const auto& [port, fix] : fixes) {
      if (port == f.port) f.finding.fix = f.direct ? fix.direct : fix.paths;
    }
    report.findings.push_back(std::move(f.finding));
  }
  return report;
}

}  // namespace ctplab::sim::identity
