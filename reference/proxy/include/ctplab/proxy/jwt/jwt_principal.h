// An authorization rule's `principal.jwt` (spec 5.2) and whether a request's verified JWT
// satisfies it, as the RBAC matchers Envoy Gateway generates evaluate the JWT metadata.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "ctplab/proxy/jwt/authenticator.h"

namespace ctplab::proxy::jwt {

enum class ClaimValueType {
  kString,       // the claim is a string equal to one of the values
  kStringArray,  // the claim is an array with a string element equal to one of the values
};

struct JwtClaimMatch {
  std::string name;  // dotted path for nested claims, e.g. "user.roles"
  ClaimValueType value_type = ClaimValueType::kString;
  std::vector<std::string> values;  // any one
};

struct JwtPrincipal {
  std::string provider;               // the `jwt.providers[].name` that must have verified it
  std::vector<JwtClaimMatch> claims;  // all must match
  std::vector<std::string> scopes;    // all must be granted by `scope` or `scp`
};

// Matches against the payload stored under the principal's provider, i.e. only a token that
// provider verified. Scopes are looked up in `scope` and in `scp`, each a list after the
// authenticator's normalization (a space-separated string becomes its words). A claim compared
// as String must be a JSON string: numbers and booleans never match, and neither do `scope` and
// `scp` once normalized to lists.
bool matchesJwtPrincipal(const JwtPrincipal& principal, const Outcome& outcome);

// The same against a metadata payload directly (nullptr: no verified token; never matches).
bool matchesJwtPrincipal(const JwtPrincipal& principal, const nlohmann::json* payload);

}  // namespace ctplab::proxy::jwt
