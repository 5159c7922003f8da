// Attachment of SecurityPolicies in Envoy Gateway's order: policies on route rules, on routes,
// on Gateway listeners, then on Gateways. The most specific policy keeps a route; conflicts,
// overrides and status conditions carry upstream's messages.
#include <algorithm>
#include <map>
#include <set>

#include "ctplab/policy/resources.h"
#include "policy_targets.h"
#include "route_policy_targets.h"
#include "security_policy_apply.h"
#include "security_policy_scopes.h"

namespace ctplab::policy {
namespace {

struct RouteKey {
  std::string kind, ns, name;
  auto operator<=>(const RouteKey&) const = default;
};

// What earlier policies already claimed on one route or gateway (upstream's attached flags).
using RouteClaims = TargetClaims;
struct GatewayClaims {
  bool whole = false;
  std::set<std::string> listeners;
};

using ResolveError = TargetError;

std::string deprecationMessage(const SecurityPolicySpec& spec) {
  std::map<std::string, std::string> fields;
  if (spec.target_ref) fields["spec.targetRef"] = "spec.targetRefs";
  if (spec.ext_auth_grpc_backend_ref) {
    fields["spec.extAuth.grpc.backendRef"] = "spec.extAuth.grpc.backendRefs";
  }
  if (spec.ext_auth_http_backend_ref) {
    fields["spec.extAuth.http.backendRef"] = "spec.extAuth.http.backendRefs";
  }
  std::string m;
  for (const auto& [from, to] : fields) {
    m += (m.empty() ? "" : "; ") + from + " is deprecated, use " + to + " instead";
  }
  return m;
}

class SecurityPolicyProcessor {
 public:
  SecurityPolicyProcessor(TranslationContext& ctx, TranslationResult& result)
      : ctx_(ctx), result_(result) {}

  void run() {
    const auto& all = ctx_.resources->security_policies;
    std::vector<const SecurityPolicy*> sorted;
    for (const auto& p : all) sorted.push_back(&p);
    const bool keep_input_order = ctx_.resources->bundle_format;
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
      return processedBefore(a->meta, b->meta, keep_input_order);
    });
    for (const auto* p : sorted) {
      admission_[p] = admissionErrors(p->spec);
      if (admission_[p].empty() || !ctx_.options.enforce_admission) active_.push_back(p);
    }
    collectRoutes();
    result_.security_policies.reserve(all.size());
    for (const auto* p : active_) {
      for (const auto& t : explicitTargets(p->spec.target_ref, p->spec.target_refs, p->meta.ns)) {
        if (t.kind != "Gateway" && t.section) processRoute(*p, t);
      }
    }
    for (const auto* p : active_) {
      for (const auto& t : targets(*p, route_candidates_)) {
        if (t.kind != "Gateway" && !t.section) processRoute(*p, t);
      }
    }
    for (const auto* p : active_) {
      for (const auto& t : explicitTargets(p->spec.target_ref, p->spec.target_refs, p->meta.ns)) {
        if (t.kind == "Gateway" && t.section) processGateway(*p, t);
      }
    }
    std::vector<SelectorCandidate> gateways;
    for (const auto& g : ctx_.gateways) gateways.push_back({"Gateway", &g.gateway->meta});
    for (const auto* p : active_) {
      for (const auto& t : targets(*p, gateways)) {
        if (t.kind == "Gateway" && !t.section) processGateway(*p, t);
      }
    }
    for (auto& r : result_.security_policies) {
      r.status.truncate(ctx_.options.controller_name, r.policy->meta.generation);
    }
    // Upstream lists only handled policies; the rest follow so reports can still show them.
    for (const auto* p : sorted) {
      if (index_.count(p)) continue;
      SecurityPolicyResult r;
      r.policy = p;
      r.admission_errors = admission_[p];
      r.rejected = !r.admission_errors.empty() && ctx_.options.enforce_admission;
      result_.security_policies.push_back(std::move(r));
    }
  }

 private:
  std::vector<PolicyTarget> targets(const SecurityPolicy& p,
                                    const std::vector<SelectorCandidate>& candidates) const {
    return resolveTargets(ctx_, "SecurityPolicy", p.meta.ns, p.spec.target_ref, p.spec.target_refs,
                          p.spec.target_selectors, candidates);
  }

  // Routes with a parentRef to a Gateway (or ListenerSet) of this controller: the ones upstream's
  // translator keeps and policies can target.
  void collectRoutes() {
    for (const Route* r : orderedRoutes(*ctx_.resources)) {
      bool managed = false;
      for (const auto& parent : r->parents)
        managed = managed || resolveParentRef(ctx_, *r, parent).managed;
      if (!managed) continue;
      routes_[{r->kind, r->meta.ns, r->meta.name}] = r;
      route_candidates_.push_back({r->kind, &r->meta});
    }
  }

  SecurityPolicyResult& entry(const SecurityPolicy& p) {
    auto it = index_.find(&p);
    if (it != index_.end()) return result_.security_policies[it->second];
    index_[&p] = result_.security_policies.size();
    SecurityPolicyResult r;
    r.policy = &p;
    r.admission_errors = admission_[&p];
    r.handled = true;
    result_.security_policies.push_back(std::move(r));
    return result_.security_policies.back();
  }

  void setAll(SecurityPolicyResult& r, const std::vector<AncestorRef>& ancestors, Condition c) {
    for (const auto& a : ancestors) r.status.setCondition(a, ctx_.options.controller_name, c);
  }

  void processRoute(const SecurityPolicy& p, const PolicyTarget& t) {
    SecurityPolicyResult& r = entry(p);
    auto found = routes_.find({t.kind, t.ns, t.name});
    if (found == routes_.end()) return;
    const Route& route = *found->second;
    const int64_t gen = p.meta.generation;
    RouteClaims& claims = route_claims_[found->first];
    std::optional<ResolveError> error = claimRouteTarget(route, t, claims, "SecurityPolicy");
    const std::vector<AncestorRef> ancestors = routeAncestors(ctx_, route, overrides_);
    if (error) {
      setAll(r, ancestors, {"Accepted", "False", error->reason, error->message, gen});
      return;
    }
    if (route.kind == "TCPRoute") {
      if (auto e = tcpRouteValidationError(p)) {
        setAll(r, ancestors,
               {"Accepted", "False", "Invalid",
                errorConditionMessage({"invalid SecurityPolicy for TCP route: " + *e}), gen});
        return;
      }
    }
    auto errs = applyToRoute(ctx_, p, route, t.section, secured_);
    if (!errs.empty()) {
      setAll(r, ancestors, {"Accepted", "False", "Invalid", errorConditionMessage(errs), gen});
    }
    const auto& ctrl = ctx_.options.controller_name;
    for (const auto& a : ancestors) r.status.setAcceptedIfUnset(a, ctrl, gen);
    if (std::string dep = deprecationMessage(p.spec); !dep.empty()) {
      for (const auto& a : ancestors) r.status.addWarning(a, ctrl, "DeprecatedField", dep, gen);
    }
    if (t.section || claims.sections.empty()) return;
    std::string list;
    for (const auto& rule : claims.sections) list += (list.empty() ? "" : " ") + rule;
    setAll(r, ancestors,
           {"Overridden", "True", "Overridden",
            "This policy is being overridden by other securityPolicies for these route rules: [" +
                list + "]",
            gen});
  }

  void processGateway(const SecurityPolicy& p, const PolicyTarget& t) {
    SecurityPolicyResult& r = entry(p);
    GatewayContext* g = nullptr;
    for (auto& gc : ctx_.gateways) {
      if (gc.gateway->meta.ns == t.ns && gc.gateway->meta.name == t.name) g = &gc;
    }
    if (g == nullptr) return;
    const int64_t gen = p.meta.generation;
    const auto& ctrl = ctx_.options.controller_name;
    const AncestorRef ancestor{kGatewayGroup, "Gateway", t.ns, t.name, t.section};
    std::optional<ResolveError> error;
    GatewayClaims& claims = gateway_claims_[g->key()];
    if (t.section) {
      const bool exists =
          std::any_of(g->listeners.begin(), g->listeners.end(), [&](const auto& lc) {
            return lc.listener_set == nullptr && lc.listener->name == *t.section;
          });
      if (!exists) {
        error = {"TargetNotFound",
                 "No section name " + *t.section + " found for Gateway " + t.ns + "/" + t.name};
      } else if (!claims.listeners.insert(*t.section).second) {
        error = {"Conflicted", "Unable to target Listener " + t.name + "/" + *t.section +
                                   ", another SecurityPolicy has already attached to it"};
      }
    } else if (claims.whole) {
      error = {"Conflicted", "Unable to target Gateway " + t.name +
                                 ", another SecurityPolicy has already attached to it"};
    } else {
      claims.whole = true;
    }
    if (error) {
      r.status.setCondition(ancestor, ctrl,
                            {"Accepted", "False", error->reason, error->message, gen});
      return;
    }
    const Scope scope =
        t.section ? gatewayListenerScope(t.ns, t.name, *t.section) : gatewayScope(t.ns, t.name);
    if (t.section) overrides_.add(gatewayScope(t.ns, t.name), scope);
    auto errs = applyToGateway(ctx_, p, *g, t.section, secured_);
    if (!errs.empty()) {
      r.status.setCondition(ancestor, ctrl,
                            {"Accepted", "False", "Invalid", errorConditionMessage(errs), gen});
    }
    r.status.setAcceptedIfUnset(ancestor, ctrl, gen);
    std::string overridden = formatScopes(overrides_.withDescendants(scope));
    if (!overridden.empty()) {
      r.status.setCondition(
          ancestor, ctrl,
          {"Overridden", "True", "Overridden",
           "This policy is being overridden by other securityPolicies for " + overridden, gen});
    }
    if (std::string dep = deprecationMessage(p.spec); !dep.empty()) {
      r.status.addWarning(ancestor, ctrl, "DeprecatedField", dep, gen);
    }
  }

  TranslationContext& ctx_;
  TranslationResult& result_;
  std::vector<const SecurityPolicy*> active_;
  std::map<const SecurityPolicy*, std::vector<std::string>> admission_;
  std::map<const SecurityPolicy*, size_t> index_;  // into result_.security_policies
  std::map<RouteKey, const Route*> routes_;
  std::vector<SelectorCandidate> route_candidates_;
  std::map<RouteKey, RouteClaims> route_claims_;
  std::map<std::string, GatewayClaims> gateway_claims_;
  ScopeGraph overrides_;
  SecuredRoutes secured_;
};

}  // namespace

void processSecurityPolicies(TranslationContext& ctx, TranslationResult& result) {
  SecurityPolicyProcessor(ctx, result).run();
}

}  // namespace ctplab::policy
