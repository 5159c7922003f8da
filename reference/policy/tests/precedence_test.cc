// Attachment, precedence and conflicts (spec section 2), one test per rule.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::kGateway;
using testing::policy;
using testing::runYaml;

const std::string kGatewayRef =
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]";
std::string sectionRef(const std::string& s) {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw, "
         "sectionName: " +
         s + "}]";
}

TEST(Precedence, SectionPolicyOverridesGatewayWide) {
  auto r = runYaml(
      std::string(kGateway) +
      policy("wide", "2026-01-01T00:00:00Z", kGatewayRef + "\n  connection: {bufferLimit: 1000}") +
      policy("sec", "2026-01-02T00:00:00Z",
             sectionRef("http-a") + "\n  connection: {bufferLimit: 2000}"));
  ASSERT_NE(r.condition("wide", "", "Overridden"), nullptr);
  EXPECT_EQ(r.condition("wide", "", "Overridden")->message,
            "There are existing ClientTrafficPolicies that are overriding these sections [http-a]");
  EXPECT_EQ(r.condition("wide", "", "Accepted")->status, "True");
  EXPECT_EQ(r.condition("sec", "http-a", "Accepted")->reason, "Accepted");
  EXPECT_EQ(*r.listener("ns/gw/http-a")->connection->buffer_limit_bytes, 2000u);
  EXPECT_EQ(*r.listener("ns/gw/http-b")->connection->buffer_limit_bytes, 1000u);
  EXPECT_EQ(r.listener("ns/gw/http-a")->policy, "ns/sec");
}

TEST(Precedence, OlderGatewayWidePolicyWins) {
  auto r = runYaml(std::string(kGateway) + policy("newer", "2026-01-02T00:00:00Z", kGatewayRef) +
                   policy("older", "2026-01-01T00:00:00Z", kGatewayRef));
  EXPECT_EQ(r.condition("older", "", "Accepted")->status, "True");
  const Condition* c = r.condition("newer", "", "Accepted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "Conflicted");
  EXPECT_EQ(c->message,
            "Unable to target Gateway gw, another ClientTrafficPolicy has already attached to it");
}

TEST(Precedence, SameSectionConflicts) {
  auto r = runYaml(std::string(kGateway) + policy("a", "2026-01-01T00:00:00Z", sectionRef("tcp")) +
                   policy("b", "2026-01-02T00:00:00Z", sectionRef("tcp")));
  EXPECT_EQ(
      r.condition("b", "tcp", "Accepted")->message,
      "Unable to target section of gw, another ClientTrafficPolicy has already attached to it");
}

TEST(Precedence, EqualTimestampsOrderByNamespaceThenName) {
  auto r = runYaml(std::string(kGateway) + policy("zz", "2026-01-01T00:00:00Z", kGatewayRef) +
                   policy("aa", "2026-01-01T00:00:00Z", kGatewayRef));
  EXPECT_EQ(r.condition("aa", "", "Accepted")->status, "True");
  EXPECT_EQ(r.condition("zz", "", "Accepted")->reason, "Conflicted");
}

TEST(Precedence, UnknownSectionIsTargetNotFound) {
  auto r = runYaml(std::string(kGateway) + policy("p", "2026-01-01T00:00:00Z", sectionRef("nope")));
  const Condition* c = r.condition("p", "nope", "Accepted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "TargetNotFound");
  EXPECT_EQ(c->message, "No section name nope found for Gateway ns/gw");
}

TEST(Precedence, UnknownGatewayWritesNoStatus) {
  auto r = runYaml(
      std::string(kGateway) +
      policy("p", "2026-01-01T00:00:00Z",
             "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: other}]"));
  ASSERT_NE(r.policy("p"), nullptr);
  EXPECT_TRUE(r.policy("p")->status.ancestors().empty());
}

TEST(Precedence, SectionPolicyOnSharedHttpPortIsInvalid) {
  auto r = runYaml(testing::gatewayWithListeners(R"(
  - {name: a, protocol: HTTP, port: 80, hostname: a.example.com}
  - {name: b, protocol: HTTP, port: 80, hostname: b.example.com}
)") + policy("p", "2026-01-01T00:00:00Z", sectionRef("a")));
  EXPECT_EQ(
      r.condition("p", "a", "Accepted")->message,
      "ClientTrafficPolicy is being applied to multiple http (non https) listeners (ns/gw/b) on "
      "the same port, which is not allowed.");
}

TEST(Precedence, DeprecatedTargetRefWarns) {
  auto r =
      runYaml(std::string(kGateway) +
              policy("p", "2026-01-01T00:00:00Z",
                     "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}\n"
                     "  enableProxyProtocol: true"));
  const Condition* w = r.condition("p", "", "Warning");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->reason, "DeprecatedField");
  EXPECT_EQ(
      w->message,
      "spec.enableProxyProtocol is deprecated, use spec.proxyProtocol instead; spec.targetRef "
      "is deprecated, use spec.targetRefs instead");
}

TEST(Precedence, AncestorsTruncatedAtSixteen) {
  std::string yaml;
  std::string refs = "  targetRefs:\n";
  for (int i = 1; i <= 18; ++i) {
    std::string n = "gw-" + std::to_string(i);
    yaml += "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: " + n +
            ", namespace: ns}\nspec:\n  gatewayClassName: eg\n  listeners: [{name: l, protocol: "
            "HTTP, port: 80}]\n";
    refs += "  - {group: gateway.networking.k8s.io, kind: Gateway, name: " + n + "}\n";
  }
  auto r = runYaml(yaml + policy("p", "2026-01-01T00:00:00Z", refs));
  const auto& anc = r.policy("p")->status.ancestors();
  ASSERT_EQ(anc.size(), 16u);
  EXPECT_EQ(anc.front().ref.name, "gw-1");
  EXPECT_EQ(anc[1].ref.name, "gw-10");
  EXPECT_EQ(anc.back().ref.name, "gw-7");
  ASSERT_NE(anc.back().find("Aggregated"), nullptr);
}

TEST(Translation, InvalidValuesGiveEnvoyGatewayMessages) {
  auto r = runYaml(std::string(kGateway) +
                   policy("p", "2026-01-01T00:00:00Z",
                          sectionRef("http-b") + "\n  connection: {bufferLimit: 100G}"));
  EXPECT_EQ(
      r.condition("p", "http-b", "Accepted")->message,
      "Connection: BufferLimit value 100G is out of range, must be between 0 and 4294967295.");
  auto r2 =
      runYaml(std::string(kGateway) +
              policy("p", "2026-01-01T00:00:00Z",
                     sectionRef("http-b") + "\n  timeout: {http: {requestReceivedTimeout: 5sec}}"));
  EXPECT_EQ(r2.condition("p", "http-b", "Accepted")->message,
            "Timeout: invalid HTTP RequestReceivedTimeout value 5sec.");
}

TEST(Translation, TcpListenerGetsConnectionSettingsNotHttpOnes) {
  auto r = runYaml(std::string(kGateway) +
                   policy("p", "2026-01-01T00:00:00Z",
                          sectionRef("tcp") + "\n  connection: {connectionLimit: {value: 3}}\n"
                                              "  headers: {withUnderscoresAction: Allow}"));
  const ir::Listener* l = r.listener("ns/gw/tcp");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(*l->connection->limit->value, 3u);
  EXPECT_FALSE(l->headers.has_value());
}

}  // namespace
}  // namespace ctplab::policy

namespace ctplab::policy {
namespace {

TEST(EnvoyProxy, MergedGatewaysShareOneIrAndPortChecks) {
  auto r = testing::runYaml(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
  parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: proxy, namespace: sys}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: {name: proxy, namespace: sys}
spec: {mergeGateways: true, ipFamily: IPv6}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: a, namespace: ns}
spec: {gatewayClassName: eg, listeners: [{name: http, protocol: HTTP, port: 80, hostname: a.example.com}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: b, namespace: ns}
spec: {gatewayClassName: eg, listeners: [{name: http, protocol: HTTP, port: 80, hostname: b.example.com}]}
)" + testing::policy("p", "2026-01-01T00:00:00Z",
                     "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: a}]"));
  ASSERT_EQ(r.result.irs.size(), 1u);
  EXPECT_EQ(r.result.irs[0].key, "eg");
  EXPECT_EQ(r.result.irs[0].listeners.size(), 2u);
  EXPECT_EQ(r.result.irs[0].listeners[0].address, "::");
  EXPECT_EQ(r.condition("p", "", "Accepted")->message,
            "ClientTrafficPolicy is being applied to multiple http (non https) listeners "
            "(ns/b/http) on the same port, which is not allowed.");
}

}  // namespace
}  // namespace ctplab::policy

namespace ctplab::policy {
namespace {

const char* kListenerSetManifests = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns}
spec:
  gatewayClassName: eg
  allowedListeners: {namespaces: {from: Same}}
  listeners:
  - {name: shared, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: ls, namespace: ns}
spec:
  parentRef: {name: gw}
  listeners:
  - {name: shared, protocol: HTTP, port: 81}
  - {name: other, protocol: HTTP, port: 82}
)";

std::string lsRef(const std::string& section) {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: ListenerSet, name: ls" +
         (section.empty() ? std::string() : ", sectionName: " + section) + "}]";
}
const std::string kGwRef =
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]";

TEST(Precedence, ListenerSetWideBeatsGatewayWideRegardlessOfAge) {
  auto r = testing::runYaml(std::string(kListenerSetManifests) +
                            testing::policy("wide", "2026-01-01T00:00:00Z", kGwRef) +
                            testing::policy("lswide", "2026-01-02T00:00:00Z", lsRef("")));
  EXPECT_EQ(r.condition("lswide", "", "Accepted")->status, "True");
  EXPECT_EQ(r.condition("wide", "", "Overridden")->message,
            "There are existing ClientTrafficPolicies that are overriding these sections [other "
            "shared]");
  EXPECT_EQ(r.listener("ns/gw/ns/ls/other")->policy, "ns/lswide");
  EXPECT_EQ(r.listener("ns/gw/shared")->policy, "ns/wide");
}

TEST(Precedence, ListenerSetSectionBeatsListenerSetWide) {
  auto r = testing::runYaml(std::string(kListenerSetManifests) +
                            testing::policy("lswide", "2026-01-01T00:00:00Z", lsRef("")) +
                            testing::policy("lssec", "2026-01-02T00:00:00Z", lsRef("other")));
  EXPECT_EQ(r.condition("lswide", "", "Overridden")->message,
            "There are existing ClientTrafficPolicies that are overriding these sections [other]");
  EXPECT_EQ(r.listener("ns/gw/ns/ls/other")->policy, "ns/lssec");
}

TEST(Precedence, SameNameInGatewayAndListenerSetDoesNotConflict) {
  auto r = testing::runYaml(
      std::string(kListenerSetManifests) +
      testing::policy("gwsec", "2026-01-01T00:00:00Z",
                      "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw, "
                      "sectionName: shared}]") +
      testing::policy("lssec", "2026-01-02T00:00:00Z", lsRef("shared")));
  EXPECT_EQ(r.condition("gwsec", "shared", "Accepted")->status, "True");
  EXPECT_EQ(r.condition("lssec", "shared", "Accepted")->status, "True");
}

TEST(Precedence, UnknownListenerSetSectionIsTargetNotFound) {
  auto r = testing::runYaml(std::string(kListenerSetManifests) +
                            testing::policy("p", "2026-01-01T00:00:00Z", lsRef("nope")));
  EXPECT_EQ(r.condition("p", "nope", "Accepted")->message,
            "ListenerSet ns/ls does not have a listener named \"nope\"");
}

TEST(Precedence, TargetSelectorsMatchLabels) {
  auto r = testing::runYaml(std::string(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: a, namespace: ns, labels: {tier: edge}}
spec: {gatewayClassName: eg, listeners: [{name: l, protocol: HTTP, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: b, namespace: ns}
spec: {gatewayClassName: eg, listeners: [{name: l, protocol: HTTP, port: 80}]}
)") + testing::policy("p", "2026-01-01T00:00:00Z",
                      "  targetSelectors: [{kind: Gateway, matchLabels: {tier: edge}}]"));
  const auto& anc = r.policy("p")->status.ancestors();
  ASSERT_EQ(anc.size(), 1u);
  EXPECT_EQ(anc[0].ref.name, "a");
}

TEST(Precedence, Http3WithClientValidationWarnsAndMergesWithDeprecations) {
  PolicyStatus s;
  AncestorRef a{"gateway.networking.k8s.io", "Gateway", "ns", "gw", std::nullopt};
  s.addWarning(a, "c", "UnsupportedHTTP3ClientValidation", "HTTP/3 was disabled", 1);
  s.addWarning(a, "c", "DeprecatedField", "spec.targetRef is deprecated", 1);
  s.addWarning(a, "c", "DeprecatedField", "spec.targetRef is deprecated", 1);
  const Condition* w = s.ancestors()[0].find("Warning");
  EXPECT_EQ(w->reason, "Warnings");
  EXPECT_EQ(w->message, "HTTP/3 was disabled; spec.targetRef is deprecated");
}

}  // namespace
}  // namespace ctplab::policy
