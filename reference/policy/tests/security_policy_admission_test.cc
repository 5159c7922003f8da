// SecurityPolicy decoding (file:line diagnostics) and API-server admission (spec 5.1, exact
// messages of the CRD's CEL rules and schema markers).
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

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
  loadText(securityPolicy("p", "2026-01-01T00:00:00Z", spec), "in.yaml", r);
  EXPECT_FALSE(r.diagnostics.hasErrors()) << formatDiagnostic(r.diagnostics.all().at(0));
  return admissionErrors(r.resources.security_policies.at(0).spec);
}

bool has(const std::vector<std::string>& errs, const std::string& msg) {
  for (const auto& e : errs) {
    if (e == msg) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

TEST(SecurityPolicyDecode, UnknownAuthorizationFieldNamesFileLineAndField) {
  auto d =
      diagnostics(securityPolicy("p", "2026-01-01T00:00:00Z",
                                 kRouteRef + "  authorization:\n    rules:\n    - actoin: Allow"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0],
            "in.yaml:9:7: error: SecurityPolicy ns/p: spec.authorization.rules[0].actoin: unknown "
            "field \"actoin\"");
  // A missing field is reported where its object starts.
  EXPECT_EQ(d[1],
            "in.yaml:9:7: error: SecurityPolicy ns/p: spec.authorization.rules[0].action: missing "
            "required field (action)");
}

TEST(SecurityPolicyDecode, WrongTypeAndMissingRequiredFields) {
  auto d = diagnostics(securityPolicy(
      "p", "2026-01-01T00:00:00Z",
      kRouteRef + "  authorization:\n    rules:\n    - principal: {clientCIDRs: 10.0.0.0/8}"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0],
            "in.yaml:9:7: error: SecurityPolicy ns/p: spec.authorization.rules[0].action: missing "
            "required field (action)");
  EXPECT_EQ(d[1],
            "in.yaml:9:32: error: SecurityPolicy ns/p: "
            "spec.authorization.rules[0].principal.clientCIDRs: expected a list, found a scalar");
}

TEST(SecurityPolicyDecode, UnmodelledFeaturesAreKeptNotRejected) {
  const std::string spec = kRouteRef +
                           "  cors: {allowOrigins: ['https://a.example']}\n"
                           "  jwt: {providers: [{name: p, remoteJWKS: {uri: 'https://x'}}]}\n"
                           "  basicAuth: {users: {name: u}}\n"
                           "  authorization: {defaultAction: Allow}";
  LoadResult r;
  loadText(securityPolicy("p", "2026-01-01T00:00:00Z", spec), "in.yaml", r);
  EXPECT_TRUE(r.diagnostics.all().empty());
  ASSERT_EQ(r.resources.security_policies.size(), 1u);
  const SecurityPolicy& p = r.resources.security_policies[0];
  EXPECT_TRUE(p.spec.has_jwt);
  EXPECT_TRUE(p.spec.has_http_features);
  EXPECT_NE(p.raw.get("spec")->get("cors"), nullptr);
  EXPECT_EQ(p.spec.authorization->default_action, "Allow");
}

TEST(SecurityPolicyDecode, UnknownSpecFieldIsAnError) {
  auto d = diagnostics(securityPolicy("p", "2026-01-01T00:00:00Z", kRouteRef + "  authz: {}"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "in.yaml:7:3: error: SecurityPolicy ns/p: spec.authz: unknown field \"authz\"");
}

TEST(SecurityPolicyDecode, KubectlMultiDocumentAndBundleKey) {
  LoadResult r;
  loadText(
      "securityPolicies:\n- apiVersion: gateway.envoyproxy.io/v1alpha1\n"
      "  kind: SecurityPolicy\n  metadata: {name: a, namespace: ns}\n  spec:\n" +
          std::string("  ") + kRouteRef + "---\n" +
          securityPolicy("b", "", kRouteRef + "  authorization: {}").substr(4),
      "in.yaml", r);
  EXPECT_TRUE(r.diagnostics.all().empty()) << formatDiagnostic(r.diagnostics.all().at(0));
  ASSERT_EQ(r.resources.security_policies.size(), 2u);
  EXPECT_EQ(r.resources.security_policies[1].meta.name, "b");
  EXPECT_TRUE(r.resources.security_policies[1].spec.authorization.has_value());
}

struct Case {
  const char* name;
  std::string spec;
  std::string message;
};

TEST(SecurityPolicyAdmission, TargetRules) {
  const Case cases[] = {
      {"none", "  authorization: {}",
       "spec: Invalid value: \"object\": either targetRef or "
       "targetRefs must be used"},
      {"group", "  targetRefs: [{group: foo, kind: Gateway, name: gw}]",
       "spec: Invalid value: \"object\": this policy can only have a targetRefs[*].group of "
       "gateway.networking.k8s.io"},
      {"kind", "  targetRefs: [{group: gateway.networking.k8s.io, kind: Service, name: gw}]",
       "spec: Invalid value: \"object\": this policy can only have a targetRefs[*].kind of "
       "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute"},
      {"singular kind", "  targetRef: {group: gateway.networking.k8s.io, kind: UDPRoute, name: u}",
       "spec: Invalid value: \"object\": this policy can only have a targetRef.kind of "
       "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute"},
      {"mergeType",
       "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: g}]\n"
       "  mergeType: StrategicMerge",
       "spec: Invalid value: \"object\": mergeType can only be used with xRoute targets"},
      {"mergeType Replace", kRouteRef + "  mergeType: Replace",
       "spec.mergeType: Invalid value: \"object\": Replace is not a valid MergeType for "
       "SecurityPolicy"},
  };
  for (const auto& c : cases) {
    auto errs = errorsFor(c.spec);
    EXPECT_TRUE(has(errs, c.message)) << c.name << ":\n" << joined(errs);
  }
}

TEST(SecurityPolicyAdmission, AuthorizationRules) {
  const std::string rules = kRouteRef + "  authorization:\n    rules:\n";
  const std::string r0 = "spec.authorization.rules[0]";
  const Case cases[] = {
      {"principal or cel", rules + "    - action: Allow",
       r0 + ": Invalid value: \"object\": at least one of principal or cel must be specified"},
      {"principal kinds", rules + "    - {action: Allow, principal: {}}",
       r0 + ".principal: Invalid value: \"object\": at least one of clientCIDRs, jwt, headers, or "
            "clientIPGeoLocations must be specified"},
      {"action enum", rules + "    - {action: Permit, cel: 'true'}",
       r0 + ".action: Unsupported value: \"Permit\": supported values: \"Allow\", \"Deny\""},
      {"default action enum", kRouteRef + "  authorization: {defaultAction: Reject}",
       "spec.authorization.defaultAction: Unsupported value: \"Reject\": supported values: "
       "\"Allow\", \"Deny\""},
      {"name empty", rules + "    - {name: '', action: Allow, cel: 'true'}",
       r0 + ".name: Invalid value: \"\": " + r0 + ".name in body should be at least 1 chars long"},
      {"name long", rules + "    - {name: " + std::string(254, 'n') + ", action: Allow, cel: x}",
       r0 + ".name: Too long: may not be more than 253 bytes"},
      {"methods empty", rules + "    - {action: Allow, cel: x, operation: {methods: []}}",
       r0 + ".operation.methods: Invalid value: 0: " + r0 +
           ".operation.methods in body should have at least 1 items"},
      {"methods many",
       rules + "    - {action: Allow, cel: x, operation: {methods: [GET, GET, GET, GET, GET, GET, "
               "GET, GET, GET, GET, GET, GET, GET, GET, GET, GET, GET]}}",
       r0 + ".operation.methods: Too many: 17: must have at most 16 items"},
      {"method enum", rules + "    - {action: Allow, cel: x, operation: {methods: [FETCH]}}",
       r0 + ".operation.methods[0]: Unsupported value: \"FETCH\": supported values: \"GET\", "
            "\"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", "
            "\"PATCH\""},
      {"operation empty", rules + "    - {action: Allow, cel: x, operation: {}}",
       r0 + ".operation: Invalid value: \"object\": at least one of methods or path must be "
            "specified"},
      {"cidrs empty", rules + "    - {action: Allow, principal: {clientCIDRs: []}}",
       r0 + ".principal.clientCIDRs: Invalid value: 0: " + r0 +
           ".principal.clientCIDRs in body should have at least 1 items"},
      {"jwt needs providers",
       rules + "    - {action: Allow, principal: {jwt: {provider: p, scopes: [read]}}}",
       "spec: Invalid value: \"object\": if authorization.rules.principal.jwt is used, jwt must be "
       "defined"},
      {"jwt claims or scopes", rules + "    - {action: Allow, principal: {jwt: {provider: p}}}",
       r0 + ".principal.jwt: Invalid value: \"object\": at least one of claims or scopes must be "
            "specified"},
      {"geo fields", rules + "    - {action: Allow, principal: {clientIPGeoLocations: [{}]}}",
       r0 + ".principal.clientIPGeoLocations[0]: Invalid value: \"object\": at least one of "
            "country, region, city, asn, isp, or anonymous must be specified"},
      {"geo country",
       rules + "    - {action: Allow, principal: {clientIPGeoLocations: "
               "[{country: U1}]}}",
       r0 + ".principal.clientIPGeoLocations[0].country: Invalid value: \"U1\": " + r0 +
           ".principal.clientIPGeoLocations[0].country in body should match '^[A-Za-z]{2}$'"},
      {"headers values",
       rules + "    - {action: Allow, principal: {headers: [{name: x, values: "
               "[]}]}}",
       r0 + ".principal.headers[0].values: Invalid value: 0: " + r0 +
           ".principal.headers[0].values in body should have at least 1 items"},
  };
  for (const auto& c : cases) {
    auto errs = errorsFor(c.spec);
    EXPECT_TRUE(has(errs, c.message)) << c.name << ":\n" << joined(errs);
  }
}

TEST(SecurityPolicyAdmission, ClientCIDRsFollowTheCRDPattern) {
  const std::string rules = kRouteRef + "  authorization:\n    rules:\n";
  auto bad = errorsFor(rules +
                       "    - {action: Allow, principal: {clientCIDRs: [192.0124.1.0/24, "
                       "10.0.0.0/8, 'fe80::/10', 10.0.0.1]}}");
  ASSERT_EQ(bad.size(), 2u) << joined(bad);
  EXPECT_EQ(
      bad[0].rfind("spec.authorization.rules[0].principal.clientCIDRs[0]: Invalid value: "
                   "\"192.0124.1.0/24\": spec.authorization.rules[0].principal.clientCIDRs[0] "
                   "in body should match '((25[0-5]|",
                   0),
      0u);
  EXPECT_NE(bad[1].find("clientCIDRs[3]: Invalid value: \"10.0.0.1\""), std::string::npos);
  // The pattern is not anchored and does not bound the prefix length: the translator reports
  // what it lets through (see SecurityPolicyStatus.InvalidCIDRIsInvalidWith500).
  EXPECT_TRUE(
      errorsFor(rules + "    - {action: Allow, principal: {clientCIDRs: [10.0.0.0/33]}}").empty());
}

TEST(SecurityPolicyAdmission, ValidPoliciesPass) {
  EXPECT_TRUE(errorsFor(kRouteRef +
                        "  authorization:\n    defaultAction: Allow\n    rules:\n"
                        "    - name: deny-lan\n      action: Deny\n"
                        "      operation: {methods: [GET, POST], path: {type: Exact, value: /x}}\n"
                        "      principal: {clientCIDRs: [192.168.1.0/24, '2001:db8::/64']}\n"
                        "    - action: Allow\n      cel: request.method == 'GET'")
                  .empty());
  EXPECT_TRUE(errorsFor("  targetSelectors: [{kind: HTTPRoute, matchLabels: {a: b}}]").empty());
}

TEST(SecurityPolicyAdmission, EnforcedAdmissionSkipsTranslation) {
  LoadResult loaded;
  loadText(std::string(testing::kGateway) +
               securityPolicy("p", "2026-01-01T00:00:00Z",
                              "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, "
                              "name: gw}]\n  authorization: {defaultAction: Nope}"),
           "in.yaml", loaded);
  TranslateOptions options;
  options.enforce_admission = true;
  auto result = translate(loaded.resources, options);
  ASSERT_EQ(result.security_policies.size(), 1u);
  EXPECT_TRUE(result.security_policies[0].rejected);
  EXPECT_FALSE(result.security_policies[0].handled);
  EXPECT_TRUE(result.security_policies[0].status.ancestors().empty());
  EXPECT_EQ(loaded.resources.security_policies[0].admission_errors,
            result.security_policies[0].admission_errors);
}

}  // namespace
}  // namespace ctplab::policy
