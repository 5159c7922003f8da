// Attachment of BackendTrafficPolicies in Envoy Gateway's order: policies on route rules, on
// routes, on ListenerSet listeners, on ListenerSets, on Gateway listeners, then on Gateways. The
// first policy to reach a route keeps it; conflicts, overrides and status conditions carry
// upstream's messages. A policy whose translation fails turns the routes it reaches into 500s.
#include <algorithm>
#include <map>
#include <set>

#include "ctplab/policy/resources.h"
#include "policy_targets.h"
#include "ratelimit_translate.h"
#include "route_policy_targets.h"
#include "security_policy_scopes.h"

namespace ctplab::policy {
namespace {

struct RouteKey {
  std::string kind, ns, name;
  auto operator<=>(const RouteKey&) const = default;
};

using Claims = TargetClaims;

using ResolveError = TargetError;

std::string deprecationMessage(const BackendTrafficPolicySpec& spec) {
  std::map<std::string, std::string> fields;
  if (spec.target_ref) fields["spec.targetRef"] = "spec.targetRefs";
  if (spec.has_compression) fields["spec.compression"] = "spec.compressor";
  std::string m;
  for (const auto& [from, to] : fields) {
    m += (m.empty() ? "" : "; ") + from + " is deprecated, use " + to + " instead";
  }
  return m;
}

std::string routePrefix(const Route& route) {
  std::string kind = route.kind;
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kind + "/" + route.meta.ns + "/" + route.meta.name + "/";
}

std::string policyKey(const BackendTrafficPolicy& p) { return p.meta.ns + "/" + p.meta.name; }

bool globalRateLimitEnabled(const TranslationContext& ctx) {
  if (ctx.options.global_rate_limit) return *ctx.options.global_rate_limit;
  const auto& configs = ctx.resources->envoy_gateway_configs;
  if (!configs.empty()) {
    return std::any_of(configs.begin(), configs.end(),
                       [](const EnvoyGatewayConfig& c) { return c.rate_limit; });
  }
  // Upstream's translator tests run with the rate-limit service enabled; a deployment without
  // a `rateLimit` section in its EnvoyGateway config has it disabled.
  return ctx.resources->bundle_format;
}

// The traffic features of one policy as the routes receive them, or the errors that turn those
// routes into 500s (upstream's buildTrafficFeatures, for the features ctplab models).
struct TrafficFeatures {
  std::optional<ir::RateLimit> rate_limit;
  std::vector<std::string> errors;
};

TrafficFeatures buildTrafficFeatures(const TranslationContext& ctx, const BackendTrafficPolicy& p) {
  TrafficFeatures tf;
  BuiltRateLimit rl = buildRateLimit(p, globalRateLimitEnabled(ctx));
  if (rl.error) tf.errors.push_back("RateLimit: " + *rl.error);
  tf.rate_limit = std::move(rl.rate_limit);
  return tf;
}

// Puts the features onto a route no more specific policy reached yet.
void applyToIRRoute(const BackendTrafficPolicy& p, const TrafficFeatures& tf, ir::Route& r) {
  if (!r.traffic_policy.empty()) return;
  if (!tf.errors.empty()) {
    // Upstream leaves the route's traffic unset here, so a less specific policy may still add
    // its features; the 500 stays.
    r.direct_response_500 = true;
    return;
  }
  r.traffic_policy = policyKey(p);
  r.rate_limit = tf.rate_limit;
}

class BtpProcessor {
 public:
  BtpProcessor(TranslationContext& ctx, TranslationResult& result) : ctx_(ctx), result_(result) {}

  void run() {
    const auto& all = ctx_.resources->backend_traffic_policies;
    std::vector<const BackendTrafficPolicy*> sorted;
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
    result_.backend_traffic_policies.reserve(all.size());
    // Route passes take every kind but Gateway (ListenerSet targets find no route there).
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
    if (!ctx_.resources->listener_sets.empty()) {
      for (const auto* p : active_) {
        for (const auto& t : explicitTargets(p->spec.target_ref, p->spec.target_refs, p->meta.ns)) {
          if (t.kind == "ListenerSet" && t.section) processListenerSet(*p, t);
        }
      }
      std::vector<SelectorCandidate> listener_sets;
      for (const auto& ls : ctx_.resources->listener_sets) {
        listener_sets.push_back({"ListenerSet", &ls.meta});
      }
      for (const auto* p : active_) {
        for (const auto& t : targets(*p, listener_sets)) {
          if (t.kind == "ListenerSet" && !t.section) processListenerSet(*p, t);
        }
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
    for (auto& r : result_.backend_traffic_policies) {
      r.status.truncate(ctx_.options.controller_name, r.policy->meta.generation);
    }
    // Upstream lists only handled policies; the rest follow so reports can still show them.
    for (const auto* p : sorted) {
      if (index_.count(p)) continue;
      BackendTrafficPolicyResult r;
      r.policy = p;
      r.admission_errors = admission_[p];
      r.rejected = !r.admission_errors.empty() && ctx_.options.enforce_admission;
      result_.backend_traffic_policies.push_back(std::move(r));
    }
  }

 private:
  std::vector<PolicyTarget> targets(const BackendTrafficPolicy& p,
                                    const std::vector<SelectorCandidate>& candidates) const {
    return resolveTargets(ctx_, "BackendTrafficPolicy", p.meta.ns, p.spec.target_ref,
                          p.spec.target_refs, p.spec.target_selectors, candidates);
  }

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

  BackendTrafficPolicyResult& entry(const BackendTrafficPolicy& p) {
    auto it = index_.find(&p);
    if (it != index_.end()) return result_.backend_traffic_policies[it->second];
    index_[&p] = result_.backend_traffic_policies.size();
    BackendTrafficPolicyResult r;
    r.policy = &p;
    r.admission_errors = admission_[&p];
    r.handled = true;
    result_.backend_traffic_policies.push_back(std::move(r));
    return result_.backend_traffic_policies.back();
  }

  void setAll(BackendTrafficPolicyResult& r, const std::vector<AncestorRef>& ancestors,
              const Condition& c) {
    for (const auto& a : ancestors) r.status.setCondition(a, ctx_.options.controller_name, c);
  }

  void warnDeprecated(BackendTrafficPolicyResult& r, const std::vector<AncestorRef>& ancestors) {
    const std::string dep = deprecationMessage(r.policy->spec);
    if (dep.empty()) return;
    for (const auto& a : ancestors) {
      r.status.addWarning(a, ctx_.options.controller_name, "DeprecatedField", dep,
                          r.policy->meta.generation);
    }
  }

  // Every IR once, also when gateways share a merged IR.
  std::vector<ir::Gateway*> irs() const {
    std::vector<ir::Gateway*> out;
    for (const auto& g : ctx_.gateways) {
      if (std::find(out.begin(), out.end(), g.ir) == out.end()) out.push_back(g.ir);
    }
    return out;
  }

  void processRoute(const BackendTrafficPolicy& p, const PolicyTarget& t) {
    BackendTrafficPolicyResult& r = entry(p);
    auto found = routes_.find({t.kind, t.ns, t.name});
    if (found == routes_.end()) return;
    const Route& route = *found->second;
    const int64_t gen = p.meta.generation;
    Claims& claims = route_claims_[found->first];
    std::optional<ResolveError> error = claimRouteTarget(route, t, claims, "BackendTrafficPolicy");
    const std::vector<AncestorRef> ancestors = routeAncestors(ctx_, route, overrides_);
    if (error) {
      setAll(r, ancestors, {"Accepted", "False", error->reason, error->message, gen});
      return;
    }
    // mergeType is not modelled: the route's own policy applies alone (see the README).
    const TrafficFeatures tf = buildTrafficFeatures(ctx_, p);
    const std::string prefix = routePrefix(route);
    for (ir::Gateway* gir : irs()) {
      for (auto& il : gir->listeners) {
        if (!il.isHTTP()) continue;
        for (auto& ir_route : il.routes) {
          if (t.section && *t.section != ir_route.rule_name) continue;
          if (ir_route.name.rfind(prefix, 0) != 0) continue;
          applyToIRRoute(p, tf, ir_route);
        }
      }
    }
    if (!tf.errors.empty()) {
      setAll(r, ancestors, {"Accepted", "False", "Invalid", errorConditionMessage(tf.errors), gen});
    }
    const auto& ctrl = ctx_.options.controller_name;
    for (const auto& a : ancestors) r.status.setAcceptedIfUnset(a, ctrl, gen);
    warnDeprecated(r, ancestors);
    if (t.section || claims.sections.empty()) return;
    std::string list;
    for (const auto& rule : claims.sections) list += (list.empty() ? "" : " ") + rule;
    setAll(r, ancestors,
           {"Overridden", "True", "Overridden",
            "This policy is being overridden by other backendTrafficPolicy for these route "
            "rules: [" +
                list + "]",
            gen});
  }

  // The policy onto every HTTP route of `g`'s listeners selected by `pick`.
  template <typename Pick>
  std::vector<std::string> applyToListeners(const BackendTrafficPolicy& p, GatewayContext& g,
                                            Pick pick) {
    std::set<std::string> targeted;
    for (const auto& lc : g.listeners) {
      if (pick(lc)) targeted.insert(lc.ir_name);
    }
    const TrafficFeatures tf = buildTrafficFeatures(ctx_, p);
    for (auto& il : g.ir->listeners) {
      if (!il.isHTTP() || targeted.count(il.name) == 0) continue;
      for (auto& ir_route : il.routes) applyToIRRoute(p, tf, ir_route);
    }
    return tf.errors;
  }

  // Conditions after translation of a Gateway or ListenerSet target, in upstream's order.
  void finishListenerTarget(BackendTrafficPolicyResult& r, const AncestorRef& ancestor,
                            const std::vector<std::string>& errs, const Scope& scope,
                            bool warn_before_overridden) {
    const auto& ctrl = ctx_.options.controller_name;
    const int64_t gen = r.policy->meta.generation;
    if (!errs.empty()) {
      r.status.setCondition(ancestor, ctrl,
                            {"Accepted", "False", "Invalid", errorConditionMessage(errs), gen});
    }
    r.status.setAcceptedIfUnset(ancestor, ctrl, gen);
    if (warn_before_overridden) warnDeprecated(r, {ancestor});
    const std::string overridden = formatScopes(overrides_.withDescendants(scope));
    if (!overridden.empty()) {
      r.status.setCondition(
          ancestor, ctrl,
          {"Overridden", "True", "Overridden",
           "This policy is being overridden by other backendTrafficPolicies for " + overridden,
           gen});
    }
    if (!warn_before_overridden) warnDeprecated(r, {ancestor});
  }

  GatewayContext* findGateway(const std::string& ns, const std::string& name) {
    for (auto& gc : ctx_.gateways) {
      if (gc.gateway->meta.ns == ns && gc.gateway->meta.name == name) return &gc;
    }
    return nullptr;
  }

  void processListenerSet(const BackendTrafficPolicy& p, const PolicyTarget& t) {
    BackendTrafficPolicyResult& r = entry(p);
    const ListenerSet* ls = findListenerSet(ctx_, t.ns, t.name);
    if (ls == nullptr) return;
    const std::string gw_ns = ls->parent.ns.value_or(ls->meta.ns);
    GatewayContext* g = findGateway(gw_ns, ls->parent.name);
    if (g == nullptr) return;
    const int64_t gen = p.meta.generation;
    const auto& ctrl = ctx_.options.controller_name;
    const AncestorRef ancestor{kGatewayGroup, "ListenerSet", t.ns, t.name, t.section};
    std::optional<ResolveError> error;
    Claims& claims = listener_set_claims_[t.ns + "/" + t.name];
    if (t.section) {
      const bool exists = std::any_of(ls->listeners.begin(), ls->listeners.end(),
                                      [&](const Listener& l) { return l.name == *t.section; });
      if (!exists) {
        error = {"TargetNotFound",
                 "No section name " + *t.section + " found for ListenerSet " + t.ns + "/" + t.name};
      } else if (!claims.sections.insert(*t.section).second) {
        error = {"Conflicted", "Unable to target Listener " + t.name + "/" + *t.section +
                                   ", another BackendTrafficPolicy has already attached to it"};
      }
    } else if (claims.whole) {
      error = {"Conflicted", "Unable to target ListenerSet " + t.name +
                                 ", another BackendTrafficPolicy has already attached to it"};
    } else {
      claims.whole = true;
    }
    if (error) {
      r.status.setCondition(ancestor, ctrl,
                            {"Accepted", "False", error->reason, error->message, gen});
      return;
    }
    const Scope ls_scope = listenerSetScope(t.ns, t.name);
    Scope scope = ls_scope;
    if (t.section) {
      scope = listenerSetListenerScope(t.ns, t.name, *t.section);
      overrides_.registerListenerSet(ls_scope, gatewayScope(gw_ns, ls->parent.name));
      overrides_.add(ls_scope, scope);
    } else {
      overrides_.add(gatewayScope(gw_ns, ls->parent.name), ls_scope);
    }
    auto errs = applyToListeners(p, *g, [&](const ListenerContext& lc) {
      return lc.listener_set == ls && (!t.section || lc.listener->name == *t.section);
    });
    finishListenerTarget(r, ancestor, errs, scope, false);
  }

  void processGateway(const BackendTrafficPolicy& p, const PolicyTarget& t) {
    BackendTrafficPolicyResult& r = entry(p);
    GatewayContext* g = findGateway(t.ns, t.name);
    if (g == nullptr) return;
    const int64_t gen = p.meta.generation;
    const auto& ctrl = ctx_.options.controller_name;
    const AncestorRef ancestor{kGatewayGroup, "Gateway", t.ns, t.name, t.section};
    std::optional<ResolveError> error;
    Claims& claims = gateway_claims_[g->key()];
    if (t.section) {
      const bool exists =
          std::any_of(g->listeners.begin(), g->listeners.end(), [&](const auto& lc) {
            return lc.listener_set == nullptr && lc.listener->name == *t.section;
          });
      if (!exists) {
        error = {"TargetNotFound",
                 "No section name " + *t.section + " found for Gateway " + t.ns + "/" + t.name};
      } else if (!claims.sections.insert(*t.section).second) {
        error = {"Conflicted", "Unable to target Listener " + t.ns + "/" + t.name + "/" +
                                   *t.section +
                                   ", another BackendTrafficPolicy has already attached to it"};
      }
    } else if (claims.whole) {
      error = {"Conflicted", "Unable to target Gateway " + t.name +
                                 ", another BackendTrafficPolicy has already attached to it"};
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
    auto errs = applyToListeners(p, *g, [&](const ListenerContext& lc) {
      return !t.section || (lc.listener_set == nullptr && lc.listener->name == *t.section);
    });
    finishListenerTarget(r, ancestor, errs, scope, true);
  }

  TranslationContext& ctx_;
  TranslationResult& result_;
  std::vector<const BackendTrafficPolicy*> active_;
  std::map<const BackendTrafficPolicy*, std::vector<std::string>> admission_;
  std::map<const BackendTrafficPolicy*, size_t> index_;  // into backend_traffic_policies
  std::map<RouteKey, const Route*> routes_;
  std::vector<SelectorCandidate> route_candidates_;
  std::map<RouteKey, Claims> route_claims_;
  std::map<std::string, Claims> gateway_claims_, listener_set_claims_;
  ScopeGraph overrides_;
};

}  // namespace

void processBackendTrafficPolicies(TranslationContext& ctx, TranslationResult& result) {
  BtpProcessor(ctx, result).run();
}

}  // namespace ctplab::policy
