// Puts one SecurityPolicy's authorization and JWT authentication onto IR routes the way Envoy
// Gateway's translateSecurityPolicyForRoute / ForListeners do, with their errors. Internal to the
// engine.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "translation_context.h"

namespace ctplab::policy {

// HTTP routes whose security features a policy already set this translation: the first (most
// specific) policy to reach a route keeps it, even when it carries no authorization.
using SecuredRoutes = std::set<const ir::Route*>;

// Upstream's validation of a TCPRoute-targeted policy; the error text without the
// "invalid SecurityPolicy for TCP route: " prefix.
std::optional<std::string> tcpRouteValidationError(const SecurityPolicy& policy);

// A policy on `route` (all its rules, or the rule named `section`). Returns error lines
// ("Authorization: ..."); routes reached while the policy has errors answer 500.
std::vector<std::string> applyToRoute(TranslationContext& ctx, const SecurityPolicy& policy,
                                      const Route& route, const std::optional<std::string>& section,
                                      SecuredRoutes& secured);

// A policy on gateway `g` (every listener, or the Gateway listener named `section`): every route
// there not reached by a more specific policy.
std::vector<std::string> applyToGateway(const TranslationContext& ctx, const SecurityPolicy& policy,
                                        GatewayContext& g,
                                        const std::optional<std::string>& section,
                                        SecuredRoutes& secured);

}  // namespace ctplab::policy
