// A route (or one of its rules) as the target of a SecurityPolicy or BackendTrafficPolicy: the
// first policy of a kind claims it, and the route's managed parents become the status ancestors.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ctplab/policy/status.h"
#include "policy_targets.h"
#include "security_policy_scopes.h"
#include "translation_context.h"

namespace ctplab::policy {

// What earlier policies of one kind already claimed on a route, Gateway or ListenerSet
// (upstream's "attached" bookkeeping): the whole object, or sections (rule or listener names).
struct TargetClaims {
  bool whole = false;
  std::set<std::string> sections;
};

struct TargetError {
  std::string reason, message;
};

// TargetNotFound for a rule name the route lacks; Conflicted when an earlier policy of
// `policy_kind` holds the rule or the whole route. Otherwise records the claim.
std::optional<TargetError> claimRouteTarget(const Route& route, const PolicyTarget& target,
                                            TargetClaims& claims, const std::string& policy_kind);

// The Gateways and ListenerSets this controller manages among the route's parents, as status
// ancestors; each is recorded in `overrides` as less specific than the route.
std::vector<AncestorRef> routeAncestors(TranslationContext& ctx, const Route& route,
                                        ScopeGraph& overrides);

const ListenerSet* findListenerSet(const TranslationContext& ctx, const std::string& ns,
                                   const std::string& name);

}  // namespace ctplab::policy
