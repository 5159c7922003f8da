#include "ctplab/proxy/jwt/jwt_principal.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "jwt/claims.h"

namespace ctplab::proxy::jwt {
namespace {

using nlohmann::json;

bool isOneOf(const json& value, const std::vector<std::string>& values) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return std::find(values.begin(), values.end(), s) != values.end();
}

bool listContainsOneOf(const json* list, const std::vector<std::string>& values) {
  if (list == nullptr || !list->is_array()) return false;
  return std::any_of(list->begin(), list->end(), [&](const json& v) { return isOneOf(v, values); });
}

bool claimMatches(const JwtClaimMatch& claim, const json& payload) {
  const json* value = findClaim(payload, claim.name);
  if (value == nullptr) return false;
  if (claim.value_type == ClaimValueType::kStringArray) {
    return listContainsOneOf(value, claim.values);
  }
  return isOneOf(*value, claim.values);
}

bool scopeGranted(const std::string& scope, const json& payload) {
  const std::vector<std::string> wanted{scope};
  for (const char* key : {"scope", "scp"}) {
    const auto it = payload.find(key);
    if (it != payload.end() && listContainsOneOf(&*it, wanted)) return true;
  }
  return false;
}

}  // namespace

bool matchesJwtPrincipal(const JwtPrincipal& principal, const json* payload) {
  if (payload == nullptr || !payload->is_object()) return false;
  for (const std::string& scope : principal.scopes) {
    if (!scopeGranted(scope, *payload)) return false;
  }
  for (const JwtClaimMatch& claim : principal.claims) {
    if (!claimMatches(claim, *payload)) return false;
  }
  return true;
}

bool matchesJwtPrincipal(const JwtPrincipal& principal, const Outcome& outcome) {
  return matchesJwtPrincipal(principal, outcome.payloadFor(principal.provider));
}

}  // namespace ctplab::proxy::jwt
