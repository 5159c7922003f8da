// API-server admission rules (spec section 1.5): exact messages, one test per rule.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

std::vector<std::string> errorsFor(const std::string& spec) {
  auto r = testing::runYaml(testing::policy("p", "2026-01-01T00:00:00Z", spec));
  EXPECT_FALSE(r.loaded.diagnostics.hasErrors());
  return admissionErrors(r.loaded.resources.client_traffic_policies.at(0).spec);
}

const std::string kRef =
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]\n";

bool has(const std::vector<std::string>& errs, const std::string& msg) {
  for (const auto& e : errs) {
    if (e.find(msg) != std::string::npos) return true;
  }
  return false;
}

struct Case {
  const char* name;
  std::string spec;
  const char* message;
};

TEST(Admission, CelRules) {
  const Case cases[] = {
      {"T1 none", "  path: {}", "either targetRef or targetRefs must be used"},
      {"T2", "  targetRef: {group: foo, kind: Gateway, name: gw}",
       "this policy can only have a targetRef.group of gateway.networking.k8s.io"},
      {"T3", "  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: gw}",
       "this policy can only have a targetRef.kind of Gateway or ListenerSet"},
      {"T4", "  targetRefs: [{group: foo, kind: Gateway, name: gw}]",
       "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io"},
      {"T5", "  targetRefs: [{group: gateway.networking.k8s.io, kind: Service, name: gw}]",
       "this policy can only have a targetRefs[*].kind of Gateway or ListenerSet"},
      {"S1", "  targetSelectors: [{group: foo, kind: Gateway}]",
       "group must be gateway.networking.k8s.io"},
      {"S2", "  targetSelectors: [{kind: Gateway, namespaces: {from: Selector}}]",
       "selector must be specified when from is Selector"},
      {"C1", kRef + "  clientIPDetection: {}",
       "exactly one of xForwardedFor, customHeader, or directSourceIP must be set"},
      {"C2",
       kRef +
           "  clientIPDetection: {xForwardedFor: {numTrustedHops: 1, trustedCIDRs: [10.0.0.0/8]}}",
       "only one of numTrustedHops or trustedCIDRs must be set"},
      {"V1", kRef + "  tls: {minVersion: \"1.3\", ciphers: [AES128-SHA]}",
       "setting ciphers has no effect if the minimum possible TLS version is 1.3"},
      {"V2", kRef + "  tls: {minVersion: \"1.3\", maxVersion: \"1.2\"}",
       "minVersion must be smaller or equal to maxVersion"},
      {"V2 max only", kRef + "  tls: {maxVersion: \"1.1\"}",
       "minVersion must be smaller or equal to maxVersion"},
      {"V3", kRef + "  tls: {clientValidation: {mode: Request, allowExpiredCertificate: true}}",
       "allowExpiredCertificate can only be set when mode is VerifyIfGiven or RequireAndVerify"},
      {"H1", kRef + "  headers: {xForwardedClientCert: {certDetailsToAdd: [Subject]}}",
       "certDetailsToAdd can only be set when mode is AppendForward or SanitizeSet"},
      {"H2", kRef + "  headers: {preserveXRequestID: true, requestID: Preserve}",
       "preserveXRequestID and requestID cannot both be set."},
      {"K1", kRef + "  connection: {connectionLimit: {closeDelay: 10s}}",
       "closeDelay can only be configured when value is set"},
      {"P1", kRef + "  http2: {connectionKeepalive: {interval: 10s, timeout: 10s}}",
       "timeout must be less than interval"},
      {"value >= 1", kRef + "  connection: {connectionLimit: {value: 0}}",
       "spec.connection.connectionLimit.value in body should be greater than or equal to 1"},
      {"quantity pattern", kRef + "  connection: {bufferLimit: 500m}",
       "spec.connection.bufferLimit in body should match '^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$'"},
      {"cidr pattern",
       kRef + "  clientIPDetection: {xForwardedFor: {trustedCIDRs: [192.0124.1.0/24]}}",
       "spec.clientIPDetection.xForwardedFor.trustedCIDRs[0]: Invalid value: \"192.0124.1.0/24\""},
      {"certDetailsToAdd enum",
       kRef + "  headers: {xForwardedClientCert: {mode: SanitizeSet, certDetailsToAdd: [Serial]}}",
       "spec.headers.xForwardedClientCert.certDetailsToAdd[0]: Unsupported value: \"Serial\""},
      {"fingerprints enum", kRef + "  tls: {fingerprints: [JA5]}",
       "spec.tls.fingerprints[0]: Unsupported value: \"JA5\""},
      {"trustedCIDRs min items", kRef + "  clientIPDetection: {xForwardedFor: {trustedCIDRs: []}}",
       "spec.clientIPDetection.xForwardedFor.trustedCIDRs in body should have at least 1 items"},
      {"crl refs min items", kRef + "  tls: {clientValidation: {crl: {refs: []}}}",
       "spec.tls.clientValidation.crl.refs in body should have at least 1 items"},
      {"health check path", kRef + "  healthCheck: {path: ''}",
       "spec.healthCheck.path in body should be at least 1 chars long"},
      {"enum", kRef + "  path: {escapedSlashesAction: Maybe}",
       "spec.path.escapedSlashesAction: Unsupported value: \"Maybe\""},
  };
  for (const auto& c : cases) {
    auto errs = errorsFor(c.spec);
    EXPECT_TRUE(has(errs, c.message)) << c.name << ": expected " << c.message;
  }
}

TEST(Admission, HeaderFilterSchema) {
  auto errs = errorsFor(kRef +
                        "  headers:\n    earlyRequestHeaders:\n"
                        "      set: [{name: '', value: a}, {name: 'x:y', value: b}]\n"
                        "      add: [{name: ok, value: ''}, {name: dup, value: 1}, "
                        "{name: dup, value: 2}]\n"
                        "      remove: ['a/b']\n");
  EXPECT_TRUE(has(errs,
                  "spec.headers.earlyRequestHeaders.set[0].name: Invalid value: \"\": "
                  "spec.headers.earlyRequestHeaders.set[0].name in body should be at least "
                  "1 chars long"));
  EXPECT_TRUE(has(errs, "spec.headers.earlyRequestHeaders.set[1].name: Invalid value: \"x:y\""));
  EXPECT_TRUE(has(errs, "spec.headers.earlyRequestHeaders.add[0].value: Invalid value: \"\""));
  EXPECT_TRUE(has(errs, "spec.headers.earlyRequestHeaders.add[2]: Duplicate value"));
  EXPECT_TRUE(has(errs, "spec.headers.earlyRequestHeaders.remove[0]: Invalid value: \"a/b\""));
  EXPECT_TRUE(errorsFor(kRef + "  headers:\n    lateResponseHeaders:\n"
                               "      set: [{name: X-Ok_1, value: v}]\n      remove: [x-gone]\n")
                  .empty());
}

TEST(Admission, ValidPoliciesPass) {
  EXPECT_TRUE(errorsFor(kRef).empty());
  EXPECT_TRUE(errorsFor("  targetSelectors: [{kind: HTTPRoute}]").empty());
  EXPECT_TRUE(errorsFor(kRef + "  clientIPDetection: {directSourceIP: {}}").empty());
  EXPECT_TRUE(errorsFor(kRef + "  tls: {minVersion: \"1.2\", maxVersion: \"1.3\"}").empty());
}

TEST(Admission, EnforcedAdmissionSkipsTranslation) {
  testing::Run r;
  loadText(
      std::string(testing::kGateway) + testing::policy("p", "2026-01-01T00:00:00Z", "  path: {}"),
      "t.yaml", r.loaded);
  TranslateOptions o;
  o.enforce_admission = true;
  r.result = translate(r.loaded.resources, o);
  ASSERT_NE(r.policy("p"), nullptr);
  EXPECT_TRUE(r.policy("p")->rejected);
  EXPECT_TRUE(r.policy("p")->status.ancestors().empty());
}

}  // namespace
}  // namespace ctplab::policy
