#include "route_policy_targets.h"

#include <algorithm>

#include "ctplab/policy/resources.h"

namespace ctplab::policy {

std::optional<TargetError> claimRouteTarget(const Route& route, const PolicyTarget& t,
                                            TargetClaims& claims, const std::string& policy_kind) {
  if (t.section) {
    const bool exists =
        std::any_of(route.rules.begin(), route.rules.end(),
                    [&](const Route::Rule& rule) { return rule.name == t.section; });
    if (!exists) {
      return TargetError{"TargetNotFound", "No section name " + *t.section + " found for " +
                                               t.kind + " " + t.ns + "/" + t.name};
    }
    if (!claims.sections.insert(*t.section).second) {
      return TargetError{"Conflicted", "Unable to target RouteRule " + t.name + "/" + *t.section +
                                           ", another " + policy_kind +
                                           " has already attached to it"};
    }
    return std::nullopt;
  }
  if (claims.whole) {
    return TargetError{"Conflicted", "Unable to target " + t.kind + " " + t.name + ", another " +
                                         policy_kind + " has already attached to it"};
  }
  claims.whole = true;
  return std::nullopt;
}

const ListenerSet* findListenerSet(const TranslationContext& ctx, const std::string& ns,
                                   const std::string& name) {
  for (const auto& ls : ctx.resources->listener_sets) {
    if (ls.meta.ns == ns && ls.meta.name == name) return &ls;
  }
  return nullptr;
}

std::vector<AncestorRef> routeAncestors(TranslationContext& ctx, const Route& route,
                                        ScopeGraph& overrides) {
  std::vector<AncestorRef> ancestors;
  const Scope child = routeScope(route.meta.ns, route.meta.name, route.kind);
  for (const auto& parent : route.parents) {
    if (!resolveParentRef(ctx, route, parent).managed) continue;
    const std::string ns = parent.ns.value_or(route.meta.ns);
    if (parent.kind == "Gateway") {
      overrides.add(parent.section_name
                        ? gatewayListenerScope(ns, parent.name, *parent.section_name)
                        : gatewayScope(ns, parent.name),
                    child);
    } else if (parent.kind == "ListenerSet") {
      const ListenerSet* ls = findListenerSet(ctx, ns, parent.name);
      if (ls == nullptr) continue;
      overrides.registerListenerSet(
          listenerSetScope(ns, parent.name),
          gatewayScope(ls->parent.ns.value_or(ls->meta.ns), ls->parent.name));
      overrides.add(parent.section_name
                        ? listenerSetListenerScope(ns, parent.name, *parent.section_name)
                        : listenerSetScope(ns, parent.name),
                    child);
    } else {
      continue;
    }
    ancestors.push_back({kGatewayGroup, parent.kind, ns, parent.name, parent.section_name});
  }
  return ancestors;
}

}  // namespace ctplab::policy
