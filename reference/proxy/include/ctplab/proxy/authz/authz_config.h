// An IP allow/deny list as a SecurityPolicy's `authorization` states it (spec 5.1): ordered rules
// with an action, client CIDRs and optional operation conditions, plus the default action.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/jwt/jwt_principal.h"

namespace ctplab::proxy::authz {

enum class Action { kAllow, kDeny };
std::string_view actionName(Action action);  // "Allow" / "Deny", as the API spells them

// operation.path, matched against the request's whole :path as Envoy Gateway's RBAC matcher
// does: Exact and PathPrefix (whole segments) end where the path does or at `?`, `#` or `;`
// (PathPrefix also at `/`; "/" matches everything); RegularExpression is an RE2 full match of the
// whole :path, query included. `invert` matches the paths that do not match.
struct PathMatch {
  enum class Type { kExact, kPrefix, kRegex };
  Type type = Type::kPrefix;
  std::string value;
  bool invert = false;
};

// Rule conditions this reference does not evaluate yet. A rule carrying any of them is kept (its
// position still matters) and decides "deny" whenever it might have matched; see AuthzPolicy.
enum class UnmodelledCondition { kJwt, kHeaders, kClientIpGeoLocations, kCel };
std::string_view conditionName(UnmodelledCondition condition);  // "jwt", "headers", ...

struct AuthzRule {
  std::string name;  // optional (empty: unnamed)
  Action action = Action::kDeny;
  // principal.clientCIDRs as written ("10.0.0.0/8", "2001:db8::/32"; a bare address is a host
  // route). Any one containing the client IP matches. Empty: no client-IP condition.
  std::vector<std::string> client_cidrs;
  // operation.methods, compared exactly ("GET"). Empty: any method.
  std::vector<std::string> methods;
  std::optional<PathMatch> path;  // operation.path; unset: any path
  // principal.jwt: matched against the payload the JWT filter verified for this request.
  std::optional<jwt::JwtPrincipal> jwt;
  std::vector<UnmodelledCondition> unmodelled;
};

struct AuthzConfig {
  std::vector<AuthzRule> rules;          // evaluated in order; the first match decides
  std::optional<Action> default_action;  // unset: Deny
};

}  // namespace ctplab::proxy::authz
