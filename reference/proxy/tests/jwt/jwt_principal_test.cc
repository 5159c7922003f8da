// principal.jwt of an authorization rule (spec 5.2): provider, claims (String / StringArray,
// nested) and scopes (scope / scp, string or list), all ANDed.
#include "ctplab/proxy/jwt/jwt_principal.h"

#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace ctplab::proxy::jwt {
namespace {

using testing::at;
using testing::bearer;
using testing::claims;
using testing::compile;
using testing::kNow;
using testing::oneProvider;
using testing::request;
using testing::rsaKey;

Outcome verified(nlohmann::json extra) {
  JwtSpec spec = oneProvider();
  spec.optional = true;
  Authenticator auth(compile(spec));
  const Outcome o = auth.authenticate(at(kNow), bearer(rsaKey().sign(claims(std::move(extra)))));
  EXPECT_TRUE(o.allowed());
  return o;
}

JwtPrincipal principal(std::vector<JwtClaimMatch> claims, std::vector<std::string> scopes = {}) {
  return {"example", std::move(claims), std::move(scopes)};
}

TEST(JwtPrincipal, StringClaimsMatchAnyListedValue) {
  const Outcome o = verified({{"org", "acme"}, {"level", 3}, {"admin", true}});
  EXPECT_TRUE(
      matchesJwtPrincipal(principal({{"sub", ClaimValueType::kString, {"bob", "alice"}}}), o));
  EXPECT_FALSE(matchesJwtPrincipal(principal({{"sub", ClaimValueType::kString, {"bob"}}}), o));
  EXPECT_FALSE(matchesJwtPrincipal(principal({{"nope", ClaimValueType::kString, {"x"}}}), o));
  // Only JSON strings compare as String.
  EXPECT_FALSE(matchesJwtPrincipal(principal({{"level", ClaimValueType::kString, {"3"}}}), o));
  EXPECT_FALSE(matchesJwtPrincipal(principal({{"admin", ClaimValueType::kString, {"true"}}}), o));
  // Claims are ANDed.
  EXPECT_TRUE(matchesJwtPrincipal(principal({{"sub", ClaimValueType::kString, {"alice"}},
                                             {"org", ClaimValueType::kString, {"acme"}}}),
                                  o));
  EXPECT_FALSE(matchesJwtPrincipal(principal({{"sub", ClaimValueType::kString, {"alice"}},
                                              {"org", ClaimValueType::kString, {"other"}}}),
                                   o));
}

TEST(JwtPrincipal, NestedAndStringArrayClaims) {
  const Outcome o = verified({{"user", {{"roles", {"admin", "dev"}}, {"name", "Alice"}}}});
  EXPECT_TRUE(matchesJwtPrincipal(
      principal({{"user.roles", ClaimValueType::kStringArray, {"ops", "dev"}}}), o));
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"user.roles", ClaimValueType::kStringArray, {"ops"}}}), o));
  EXPECT_TRUE(
      matchesJwtPrincipal(principal({{"user.name", ClaimValueType::kString, {"Alice"}}}), o));
  // A list never equals a String value, a string never contains a StringArray value.
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"user.roles", ClaimValueType::kString, {"admin"}}}), o));
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"user.name", ClaimValueType::kStringArray, {"Alice"}}}), o));
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"user.name.first", ClaimValueType::kString, {"A"}}}), o));
}

TEST(JwtPrincipal, ScopesFromScopeOrScp) {
  const Outcome spaced = verified({{"scope", "read  write"}});
  EXPECT_TRUE(matchesJwtPrincipal(principal({}, {"read"}), spaced));
  EXPECT_TRUE(matchesJwtPrincipal(principal({}, {"read", "write"}), spaced));
  EXPECT_FALSE(matchesJwtPrincipal(principal({}, {"read", "admin"}), spaced));
  EXPECT_FALSE(matchesJwtPrincipal(principal({}, {"read write"}), spaced));
  const Outcome scp_list = verified({{"scp", {"read", "write"}}});
  EXPECT_TRUE(matchesJwtPrincipal(principal({}, {"write"}), scp_list));
  const Outcome scp_string = verified({{"scp", "write"}});
  EXPECT_TRUE(matchesJwtPrincipal(principal({}, {"write"}), scp_string));
  // Scopes may come from either claim, each checked on its own.
  const Outcome both = verified({{"scope", "read"}, {"scp", "write"}});
  EXPECT_TRUE(matchesJwtPrincipal(principal({}, {"read", "write"}), both));
  // Once normalized, `scope` is a list: a String claim rule on it no longer matches.
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"scope", ClaimValueType::kString, {"read"}}}), both));
  // Claims and scopes together.
  EXPECT_TRUE(matchesJwtPrincipal(
      principal({{"sub", ClaimValueType::kString, {"alice"}}}, {"read"}), both));
  EXPECT_FALSE(
      matchesJwtPrincipal(principal({{"sub", ClaimValueType::kString, {"bob"}}}, {"read"}), both));
}

TEST(JwtPrincipal, OnlyThePrincipalsProviderCounts) {
  const Outcome o = verified({});
  JwtPrincipal other = principal({{"sub", ClaimValueType::kString, {"alice"}}});
  other.provider = "other";
  EXPECT_FALSE(matchesJwtPrincipal(other, o));
  // An optional request without a token has no payload: no JWT principal matches.
  JwtSpec spec = oneProvider();
  spec.optional = true;
  Authenticator auth(compile(spec));
  const Outcome anonymous = auth.authenticate(at(kNow), request());
  ASSERT_TRUE(anonymous.allowed());
  EXPECT_FALSE(matchesJwtPrincipal(principal({}, {}), anonymous));
  EXPECT_FALSE(matchesJwtPrincipal(principal({}, {}), static_cast<const nlohmann::json*>(nullptr)));
}

}  // namespace
}  // namespace ctplab::proxy::jwt
