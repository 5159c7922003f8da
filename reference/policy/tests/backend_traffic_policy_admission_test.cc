// BackendTrafficPolicy decoding (file:line diagnostics) and API-server admission of `rateLimit`
// (exact messages of the CRD's CEL rules and schema markers), plus the SecurityPolicy `jwt`
// provider markers.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::backendTrafficPolicy;
using testing::securityPolicy;

const std::string kRouteRef =
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}]\n";

std::vector<std::string> diagnostics(const std::string& yaml) {
  LoadResult r;
  loadText(yaml, "in.yaml", r);
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.all()) out.push_back(formatDiagnostic(d));
  return out;
}

std::vector<std::string> errorsFor(const std::string& spec) {
  LoadResult r;
  loadText(backendTrafficPolicy("p", "2026-01-01T00:00:00Z", spec), "in.yaml", r);
  EXPECT_FALSE(r.diagnostics.hasErrors()) << formatDiagnostic(r.diagnostics.all().at(0));
  return admissionErrors(r.resources.backend_traffic_policies.at(0).spec);
}

std::vector<std::string> spErrorsFor(const std::string& spec) {
  LoadResult r;
  loadText(securityPolicy("p", "2026-01-01T00:00:00Z", spec), "in.yaml", r);
  EXPECT_FALSE(r.diagnostics.hasErrors()) << formatDiagnostic(r.diagnostics.all().at(0));
  return admissionErrors(r.resources.security_policies.at(0).spec);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

bool has(const std::vector<std::string>& errs, const std::string& msg) {
  for (const auto& e : errs) {
    if (e == msg) return true;
  }
  return false;
}

std::string localRules(const std::string& rules) {
  return kRouteRef + "  rateLimit:\n    local:\n      rules:\n" + rules;
}

TEST(BackendTrafficPolicyDecode, UnknownRateLimitFieldNamesFileLineAndField) {
  auto d = diagnostics(backendTrafficPolicy(
      "p", "2026-01-01T00:00:00Z",
      localRules("      - limit: {requests: 1, unit: Second}\n"
                 "        clientSelectors:\n        - sourceCIRD: {value: 10.0.0.0/8}")));
  ASSERT_EQ(d.size(), 1u) << joined(d);
  EXPECT_EQ(d[0],
            "in.yaml:12:11: error: BackendTrafficPolicy ns/p: "
            "spec.rateLimit.local.rules[0].clientSelectors[0].sourceCIRD: unknown field "
            "\"sourceCIRD\"");
}

TEST(BackendTrafficPolicyDecode, WrongTypesAndMissingLimit) {
  auto d = diagnostics(backendTrafficPolicy(
      "p", "2026-01-01T00:00:00Z",
      localRules("      - limit: {requests: many, unit: Second}\n      - shadowMode: true")));
  ASSERT_EQ(d.size(), 2u) << joined(d);
  EXPECT_EQ(d[0],
            "in.yaml:10:27: error: BackendTrafficPolicy ns/p: "
            "spec.rateLimit.local.rules[0].limit.requests: expected an integer, found \"many\"");
  EXPECT_EQ(d[1],
            "in.yaml:11:9: error: BackendTrafficPolicy ns/p: spec.rateLimit.local.rules[1].limit: "
            "missing required field (limit)");
}

TEST(BackendTrafficPolicyDecode, MethodTypeIsNotAnAPIFieldButOnlyWarns) {
  auto d = diagnostics(backendTrafficPolicy(
      "p", "2026-01-01T00:00:00Z",
      localRules("      - limit: {requests: 1, unit: Second}\n"
                 "        clientSelectors: [{methods: [{type: Exact, value: GET}]}]")));
  ASSERT_EQ(d.size(), 1u) << joined(d);
  EXPECT_NE(d[0].find("warning: BackendTrafficPolicy ns/p: "
                      "spec.rateLimit.local.rules[0].clientSelectors[0].methods[0].type: not a "
                      "field of the API"),
            std::string::npos)
      << d[0];
}

TEST(BackendTrafficPolicyDecode, UnmodelledFeaturesAreEchoedNotChecked) {
  const std::string yaml =
      backendTrafficPolicy("p", "2026-01-01T00:00:00Z",
                           kRouteRef +
                               "  timeout: {http: {requestTimeout: 5s, surprise: 1}}\n"
                               "  retry: {numRetries: 3}\n  loadBalancer: {type: Random}");
  EXPECT_TRUE(diagnostics(yaml).empty()) << joined(diagnostics(yaml));
  auto d = diagnostics(
      backendTrafficPolicy("p", "2026-01-01T00:00:00Z", kRouteRef + "  retries: {numRetries: 3}"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].find("in.yaml:7:3: error: BackendTrafficPolicy ns/p: spec.retries: unknown "
                      "field \"retries\""),
            std::string::npos);
}

TEST(BackendTrafficPolicyAdmission, ValidLocalAndGlobalPass) {
  auto errs =
      errorsFor(kRouteRef +
                "  rateLimit:\n    local:\n      rules:\n"
                "      - limit: {requests: 10, unit: Hour}\n"
                "      - clientSelectors: [{sourceCIDR: {type: Distinct, value: 0.0.0.0/0}}]\n"
                "        limit: {requests: 3, unit: Hour}\n"
                "    global:\n      rules:\n"
                "      - clientSelectors: [{headers: [{name: x-user, type: Distinct}]}]\n"
                "        limit: {requests: 5, unit: Minute}\n"
                "        cost: {response: {from: Number, number: 2}}");
  EXPECT_TRUE(errs.empty()) << joined(errs);
}

TEST(BackendTrafficPolicyAdmission, LocalRejectsResponseCostAndFromMetadata) {
  auto errs = errorsFor(localRules(
      "      - limit: {requests: 1, unit: Second, fromMetadata: {namespace: a, key: b}}\n"
      "        cost: {response: {from: Number, number: 1}}"));
  EXPECT_TRUE(has(errs,
                  "spec.rateLimit.local.rules: Invalid value: \"array\": response cost is not "
                  "supported for Local Rate Limits"))
      << joined(errs);
  EXPECT_TRUE(has(errs,
                  "spec.rateLimit.local.rules: Invalid value: \"array\": limit fromMetadata is not "
                  "supported for Local Rate Limits"))
      << joined(errs);
}

TEST(BackendTrafficPolicyAdmission, RuleCountsAndSelectorBounds) {
  std::string rules;
  for (int i = 0; i < 17; ++i) rules += "      - limit: {requests: 1, unit: Second}\n";
  auto errs = errorsFor(localRules(rules));
  EXPECT_TRUE(has(errs, "spec.rateLimit.local.rules: Too many: 17: must have at most 16 items"))
      << joined(errs);
  std::string selectors;
  for (int i = 0; i < 9; ++i) selectors += "        - methods: [{value: GET}]\n";
  errs =
      errorsFor(localRules("      - limit: {requests: 1, unit: Second}\n"
                           "        clientSelectors:\n" +
                           selectors));
  EXPECT_TRUE(has(errs,
                  "spec.rateLimit.local.rules[0].clientSelectors: Too many: 9: must have at most 8 "
                  "items"))
      << joined(errs);
}

TEST(BackendTrafficPolicyAdmission, SelectorNeedsACondition) {
  auto errs = errorsFor(
      localRules("      - limit: {requests: 1, unit: Second}\n        clientSelectors: [{}]"));
  EXPECT_TRUE(
      has(errs,
          "spec.rateLimit.local.rules[0].clientSelectors[0]: Invalid value: \"object\": at "
          "least one of headers, methods, path, sourceCIDR or queryParams must be specified"))
      << joined(errs);
}

TEST(BackendTrafficPolicyAdmission, EnumsAndLimits) {
  auto errs = errorsFor(
      kRouteRef +
      "  rateLimit:\n    type: Both\n    global:\n      rules:\n"
      "      - limit: {requests: 5000000000, unit: Fortnight}\n"
      "        xRateLimitHeaders: On\n"
      "        clientSelectors:\n"
      "        - headers: [{name: x, type: Prefix, value: a}]\n"
      "          methods: [{value: FETCH}]\n"
      "          sourceCIDR: {type: Range, value: 10.0.0.0/8}\n"
      "        cost: {request: {from: Header, number: 1, metadata: {namespace: a, key: b}}}");
  const char* expected[] = {
      "spec.rateLimit.type: Unsupported value: \"Both\": supported values: \"Global\", \"Local\"",
      "spec.rateLimit.global.rules[0].clientSelectors[0].headers[0].type: Unsupported value: "
      "\"Prefix\": supported values: \"Exact\", \"RegularExpression\", \"Distinct\"",
      "spec.rateLimit.global.rules[0].clientSelectors[0].methods[0].value: Unsupported value: "
      "\"FETCH\": supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", "
      "\"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"",
      "spec.rateLimit.global.rules[0].clientSelectors[0].sourceCIDR.type: Unsupported value: "
      "\"Range\": supported values: \"Exact\", \"Distinct\"",
      "spec.rateLimit.global.rules[0].limit.requests: Invalid value: 5000000000: "
      "spec.rateLimit.global.rules[0].limit.requests in body should be less than or equal to "
      "4294967295",
      "spec.rateLimit.global.rules[0].limit.unit: Unsupported value: \"Fortnight\": supported "
      "values: \"Second\", \"Minute\", \"Hour\", \"Day\", \"Week\", \"Month\", \"Year\"",
      "spec.rateLimit.global.rules[0].cost.request: Invalid value: \"object\": only one of "
      "number or metadata can be specified",
      "spec.rateLimit.global.rules[0].cost.request.from: Unsupported value: \"Header\": "
      "supported values: \"Number\", \"Metadata\"",
      "spec.rateLimit.global.rules[0].xRateLimitHeaders: Unsupported value: \"On\": supported "
      "values: \"Off\", \"DraftVersion03\"",
  };
  for (const char* e : expected) EXPECT_TRUE(has(errs, e)) << e << "\n--\n" << joined(errs);
}

TEST(BackendTrafficPolicyAdmission, TargetsAndSpecRules) {
  auto errs = errorsFor(
      "  targetRefs: [{group: gateway.networking.k8s.io, kind: Service, name: s}]\n"
      "  mergeType: Replace\n  compression: [{type: Gzip}]\n  compressor: [{type: Gzip}]\n"
      "  requestBuffer: {limit: 1Mi}\n  httpUpgrade: [{type: websocket}]");
  const char* expected[] = {
      "spec: Invalid value: \"object\": this policy can only have a targetRefs[*].kind of "
      "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute/UDPRoute/TLSRoute",
      "spec.mergeType: Invalid value: \"object\": Replace is not a valid MergeType for "
      "BackendTrafficPolicySpec",
      "spec: Invalid value: \"object\": mergeType can only be used with xRoute targets",
      "spec: Invalid value: \"object\": either compression or compressor can be set, not both",
      "spec: Invalid value: \"object\": requestBuffer cannot be used together with httpUpgrade",
  };
  for (const char* e : expected) EXPECT_TRUE(has(errs, e)) << e << "\n--\n" << joined(errs);
  errs = errorsFor("  rateLimit: {}");
  EXPECT_TRUE(
      has(errs, "spec: Invalid value: \"object\": either targetRef or targetRefs must be used"));
}

TEST(SecurityPolicyJWTAdmission, ProviderMarkers) {
  auto errs = spErrorsFor(kRouteRef +
                          "  jwt:\n    optional: true\n    failOpen: true\n    providers:\n"
                          "    - name: both\n      remoteJWKS: {uri: 'https://a/jwks'}\n"
                          "      localJWKS: {type: Inline, inline: '{}'}\n"
                          "    - name: neither\n      recomputeRoute: true\n"
                          "    - name: mismatch\n      localJWKS: {type: ValueRef, inline: '{}'}");
  const char* expected[] = {
      "spec.jwt: Invalid value: \"object\": optional and failOpen cannot both be set; failOpen "
      "already tolerates a missing JWT",
      "spec.jwt.providers[0]: Invalid value: \"object\": remoteJWKS and localJWKS cannot both be "
      "specified.",
      "spec.jwt.providers[1]: Invalid value: \"object\": claimToHeaders must be specified if "
      "recomputeRoute is enabled.",
      "spec.jwt.providers[1]: Invalid value: \"object\": either remoteJWKS or localJWKS must be "
      "specified.",
      "spec.jwt.providers[2].localJWKS: Invalid value: \"object\": Exactly one of inline or "
      "valueRef must be set with correct type.",
  };
  for (const char* e : expected) EXPECT_TRUE(has(errs, e)) << e << "\n--\n" << joined(errs);
  EXPECT_EQ(errs.size(), std::size(expected)) << joined(errs);
}

TEST(SecurityPolicyJWTAdmission, PrincipalJWTNeedsProviders) {
  auto errs =
      spErrorsFor(kRouteRef +
                  "  authorization:\n    rules:\n    - action: Allow\n"
                  "      principal: {jwt: {provider: p, claims: [{name: sub, values: [a]}]}}");
  EXPECT_TRUE(has(errs,
                  "spec: Invalid value: \"object\": if authorization.rules.principal.jwt is used, "
                  "jwt must be defined"))
      << joined(errs);
}

}  // namespace
}  // namespace ctplab::policy
