// SecurityPolicy `jwt` providers onto the IR (inline key sets, ConfigMap references, remote key
// sets), their translator errors, and principal.jwt details on authorization rules.
#include <gtest/gtest.h>

#include "ctplab/policy/output.h"
#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::httpRoute;
using testing::kGateway;
using testing::runYaml;
using testing::securityPolicy;

const std::string kRule = "  - matches: [{path: {value: /}}]";
const std::string kRouteRef =
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]\n";
const std::string kJWKS = R"({"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0"}]})";

std::string configMap(const std::string& name, const std::string& data) {
  return "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name +
         ", namespace: ns}\ndata: " + data + "\n";
}

std::string withAuthorization(const std::string& provider_block, const std::string& principal) {
  return kRouteRef + "  jwt:\n    providers:\n" + provider_block +
         "  authorization:\n    defaultAction: Deny\n    rules:\n    - action: Allow\n"
         "      principal:\n        jwt: " +
         principal + "\n";
}

TEST(JWTProvider, InlineKeySetAndClaimAuthorization) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r", kRule) +
                   securityPolicy("p", "2026-01-01T00:00:00Z",
                                  withAuthorization(
                                      "    - name: example\n      issuer: https://issuer.example\n"
                                      "      audiences: [api]\n"
                                      "      claimToHeaders: [{header: x-sub, claim: sub}]\n"
                                      "      extractFrom:\n"
                                      "        headers: [{name: x-token, valuePrefix: 'Bearer '}]\n"
                                      "        cookies: [session]\n"
                                      "      localJWKS: {type: Inline, inline: '" +
                                          kJWKS + "'}\n",
                                      "{provider: example, claims: [{name: user.roles, valueType: "
                                      "StringArray, values: [admin]}], scopes: [read]}")));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->jwt);
  ASSERT_EQ(route->jwt->providers.size(), 1u);
  const ir::JWTProvider& p = route->jwt->providers[0];
  EXPECT_EQ(p.name, "example");
  EXPECT_EQ(p.issuer, "https://issuer.example");
  EXPECT_EQ(p.local_jwks.value_or(""), kJWKS);
  EXPECT_FALSE(p.remote_jwks_uri);
  ASSERT_TRUE(p.extract_from);
  EXPECT_EQ(p.extract_from->headers.at(0).value_prefix.value_or(""), "Bearer ");
  EXPECT_EQ(p.claim_to_headers.at(0).header, "x-sub");
  ASSERT_TRUE(route->authorization);
  const ir::AuthorizationRule& rule = route->authorization->rules.at(0);
  ASSERT_TRUE(rule.jwt);
  EXPECT_EQ(rule.jwt->provider, "example");
  EXPECT_TRUE(rule.jwt->provider_configured);
  EXPECT_EQ(rule.jwt->claims.at(0).name, "user.roles");
  EXPECT_EQ(rule.jwt->claims.at(0).value_type, "StringArray");
  EXPECT_EQ(rule.jwt->scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->reason, "Accepted");
  const std::string out = emitYaml(translationToTree(r.result));
  EXPECT_NE(out.find("          jwt:\n            providers:\n            - audiences:\n"),
            std::string::npos)
      << out;
}

TEST(JWTProvider, ConfigMapValueRef) {
  const std::string provider =
      "    - name: cm\n      localJWKS: {type: ValueRef, valueRef: {kind: ConfigMap, name: "
      "keys}}\n";
  const std::string principal = "{provider: cm, scopes: [read]}";
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              configMap("keys", "{other: 'x', jwks: '" + kJWKS + "'}") +
              securityPolicy("p", "2026-01-01T00:00:00Z", withAuthorization(provider, principal)));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->jwt);
  EXPECT_EQ(route->jwt->providers.at(0).local_jwks.value_or(""), kJWKS);

  // Without a "jwks" key the (first) other entry is used.
  r = runYaml(std::string(kGateway) + httpRoute("r", kRule) + configMap("keys", "{a: '{}'}") +
              securityPolicy("p", "2026-01-01T00:00:00Z", withAuthorization(provider, principal)));
  route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->jwt);
  EXPECT_EQ(route->jwt->providers.at(0).local_jwks.value_or(""), "{}");

  r = runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              securityPolicy("p", "2026-01-01T00:00:00Z", withAuthorization(provider, principal)));
  const Condition* a = r.spCondition("p", "gw", "", "Accepted");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->reason, "Invalid");
  EXPECT_EQ(a->message, "JWT: local JWKS ConfigMap ns/keys not found.");
  route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_NE(route, nullptr);
  EXPECT_TRUE(route->direct_response_500);

  r = runYaml(std::string(kGateway) + httpRoute("r", kRule) + configMap("keys", "{}") +
              securityPolicy("p", "2026-01-01T00:00:00Z", withAuthorization(provider, principal)));
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->message,
            "JWT: JWKS data not found in ConfigMap jwks/ns, no \"keys\" key and no other data "
            "found.");
}

TEST(JWTProvider, RemoteKeySetKeepsTheURI) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              securityPolicy("p", "2026-01-01T00:00:00Z",
                             kRouteRef + "  jwt:\n    providers:\n    - name: remote\n"
                                         "      remoteJWKS: {uri: 'https://idp.example/jwks'}"));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->jwt);
  EXPECT_EQ(route->jwt->providers.at(0).remote_jwks_uri.value_or(""), "https://idp.example/jwks");
  EXPECT_FALSE(route->jwt->providers.at(0).local_jwks);
}

TEST(JWTProvider, ProviderValidationMessages) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r", kRule) +
                   securityPolicy("p", "2026-01-01T00:00:00Z",
                                  kRouteRef + "  jwt:\n    providers:\n"
                                              "    - name: a\n      issuer: 'bad issuer:x'\n"
                                              "      remoteJWKS: {uri: 'not-a-uri'}\n"
                                              "    - name: b\n      localJWKS: {type: ValueRef}"));
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->message,
            "JWT: invalid issuer; when issuer contains ':' character, it MUST be a valid URI\n"
            "invalid remote JWKS URI: parse \"not-a-uri\": invalid URI for request\n"
            "valueRef must be set for local JWKS provider: b if type is ValueRef.");
  r = runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              securityPolicy("p", "2026-01-01T00:00:00Z",
                             kRouteRef + "  jwt:\n    providers:\n"
                                         "    - name: dup\n      localJWKS: {inline: '{}'}\n"
                                         "    - name: dup\n      localJWKS: {inline: '{}'}"));
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->message,
            "JWT: provider name dup must be unique.");
}

// Envoy Gateway does not check the provider name of principal.jwt: the rule is accepted and, as
// the payload of an unknown provider never exists, can never match.
TEST(JWTProvider, PrincipalWithUnknownProviderIsAcceptedButNeverMatches) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              securityPolicy("p", "2026-01-01T00:00:00Z",
                             withAuthorization(
                                 "    - name: known\n      localJWKS: {inline: '" + kJWKS + "'}\n",
                                 "{provider: unknown, scopes: [read]}")));
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->reason, "Accepted");
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->authorization);
  ASSERT_TRUE(route->authorization->rules.at(0).jwt);
  EXPECT_FALSE(route->authorization->rules.at(0).jwt->provider_configured);
}

}  // namespace
}  // namespace ctplab::policy
