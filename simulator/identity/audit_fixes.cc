// Fix search: each candidate setting is applied to a copy of the IR and the port's attempts are
// run again; the first candidate that leaves nothing to report is the fix.
#include "audit_fixes.h"

#include <deque>
#include <optional>

#include "fix_candidates.h"

namespace ctplab::sim::identity::audit {
namespace {

namespace ir = policy::ir;

struct Counts {
  size_t paths = 0;
  size_t direct = 0;
  bool built = false;
};

class Search {
 public:
  Search(const ir::Gateway& g, uint32_t port, const std::vector<PathPlan>& paths,
         const std::vector<DirectPlan>& direct)
      : g_(g), port_(port), paths_(paths), direct_(direct) {}

  Counts evaluate(const Setting& s) {
    Counts c;
    auto gateway = DecisionGateway::build(applied(g_, port_, s));
    if (!gateway) return c;
    c.built = true;
    const auto& plans = s.hops_send_proxy ? withProxyHops() : paths_;
    for (const auto& f : runAttempts(gateway.value(), plans, direct_).findings) {
      ++(f.direct ? c.direct : c.paths);
    }
    return c;
  }

 private:
  // The same plans with every hiding last L4 hop sending PROXY v2 (copies; the topology stays).
  const std::vector<PathPlan>& withProxyHops() {
    if (proxy_plans_) return *proxy_plans_;
    proxy_plans_.emplace(paths_);
    for (auto& p : *proxy_plans_) {
      if (!hidesSource(p)) continue;
      hop_copies_.push_back(*p.hops.back());
      hop_copies_.back().proxy_protocol = scenario::Hop::ProxyProtocol::kV2;
      p.hops.back() = &hop_copies_.back();
    }
    return *proxy_plans_;
  }

  const ir::Gateway& g_;
  uint32_t port_;
  const std::vector<PathPlan>& paths_;
  const std::vector<DirectPlan>& direct_;
  std::optional<std::vector<PathPlan>> proxy_plans_;
  std::deque<scenario::Hop> hop_copies_;  // deque: pointers into it stay valid
};
// Where a direct connection should be allowed from: what each path's honest request arrives
// from (the last hop's egress, or the clients themselves when nothing rewrites the source).
std::string allowedSources(const std::vector<PathPlan>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::string range = p.path->clients;
    for (const auto* h : p.hops) {
      const bool keeps = h->kind == scenario::Hop::Kind::kL4LoadBalancer && h->preserve_source;
      if (!keeps) range = h->egress_cidr;
    }
    bool seen = false;
    for (const auto& r : out) seen = seen || r == range;
    if (!seen) out.push_back(range);
  }
  return listText(out);
}
}  // namespace

PortFix findFix(const ir::Gateway& gateway, uint32_t port, const std::vector<PathPlan>& paths,
                const std::vector<DirectPlan>& direct) {
  const Current cur = currentOf(gateway, port);
  Search search(gateway, port, paths, direct);
  std::optional<Setting> all_clean, paths_clean;
  size_t paths_clean_direct = 0;  // direct findings left under paths_clean
  size_t tried = 0;
  for (const auto& s : allCandidates(cur, paths)) {
    const Counts c = search.evaluate(s);
    if (!c.built) continue;
    ++tried;
    if (c.paths == 0 && !paths_clean) {
      paths_clean = s;
      paths_clean_direct = c.direct;
    }
    if (c.paths == 0 && c.direct == 0) {
      all_clean = s;
      break;
    }
  }
  PortFix fix;
  const std::string restrict =
      "restrict direct access: let only " + allowedSources(paths) + " connect to port " +
      std::to_string(port) +
      " (a NetworkPolicy, firewall or the load balancer's source ranges); no clientIPDetection "
      "or proxyProtocol setting stops a client that skips the hops";
  if (all_clean) {
    fix.paths = fix.direct = fixText(*all_clean, cur);
  } else if (paths_clean) {
    fix.paths = fixText(*paths_clean, cur);
    fix.direct = restrict + (fix.paths.empty() ? "" : "; and " + fix.paths);
    // The setting that repairs the paths leaves a client that skips the hops able to forge
    // (e.g. PROXY protocol turned on while the port is reachable directly): the path fix alone
    // would trade one hole for another, so it says so.
    if (!fix.paths.empty() && paths_clean_direct > 0) fix.paths += "; and " + restrict;
  } else {
    fix.paths = "none of the " + std::to_string(tried) +
                " clientIPDetection/proxyProtocol settings tried is right for every path on port " +
                std::to_string(port) +
                " (a hop that rewrites the source without PROXY protocol or X-Forwarded-For hides "
                "the client; paths that need different settings need different listener ports)";
    fix.direct = restrict;
  }
  return fix;
}

}  // namespace ctplab::sim::identity::audit
