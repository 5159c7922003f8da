// Gateway listener validation: conflicts keep listeners out of the IR with upstream's messages.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

const Condition* listenerCondition(const testing::Run& r, const std::string& listener,
                                   const std::string& type) {
  for (const auto& g : r.result.gateways) {
    for (const auto& ls : g.listener_statuses) {
      if (ls.name != listener) continue;
      for (const auto& c : ls.conditions) {
        if (c.type == type) return &c;
      }
    }
  }
  return nullptr;
}

TEST(ListenerValidation, SameHostnameOnOnePortConflicts) {
  auto r = testing::runYaml(testing::gatewayWithListeners(R"(
  - {name: a, protocol: HTTP, port: 80, hostname: www.example.com}
  - {name: b, protocol: HTTP, port: 80, hostname: www.example.com}
  - {name: c, protocol: HTTP, port: 80, hostname: api.example.com}
)"));
  const Condition* c = listenerCondition(r, "a", "Conflicted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "HostnameConflict");
  EXPECT_EQ(c->message,
            "All listeners for a given port must use a unique hostname, conflicting listeners: "
            "ns/gw/a, ns/gw/b");
  EXPECT_EQ(listenerCondition(r, "b", "Programmed")->status, "False");
  EXPECT_EQ(r.listener("ns/gw/a"), nullptr);
  EXPECT_NE(r.listener("ns/gw/c"), nullptr);
}

TEST(ListenerValidation, IncompatibleProtocolsOnOnePortConflict) {
  auto r = testing::runYaml(testing::gatewayWithListeners(R"(
  - {name: web, protocol: HTTP, port: 8443}
  - {name: raw, protocol: TCP, port: 8443}
  - {name: dns, protocol: UDP, port: 8443}
)"));
  EXPECT_EQ(listenerCondition(r, "web", "Conflicted")->message,
            "All listeners for a given port must use a compatible protocol, conflicting listeners: "
            "ns/gw/raw, ns/gw/web");
  EXPECT_EQ(listenerCondition(r, "dns", "Conflicted"), nullptr);
  EXPECT_NE(r.listener("ns/gw/dns"), nullptr);
}

TEST(ListenerValidation, MissingSecretKeepsHttpsListenerOut) {
  auto r = testing::runYaml(testing::gatewayWithListeners(R"(
  - name: https
    protocol: HTTPS
    port: 443
    tls: {mode: Terminate, certificateRefs: [{name: nope}]}
)"));
  const Condition* c = listenerCondition(r, "https", "ResolvedRefs");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "InvalidCertificateRef");
  EXPECT_EQ(c->message,
            "No valid secrets exist: certificate refs 0: Secret ns/nope does not exist.");
  EXPECT_EQ(listenerCondition(r, "https", "Accepted")->status, "True");
  EXPECT_EQ(listenerCondition(r, "https", "Programmed")->status, "False");
  EXPECT_EQ(r.listener("ns/gw/https"), nullptr);
}

TEST(ListenerValidation, OtherGatewayClassesAreIgnored) {
  auto r = testing::runYaml(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: other}
spec: {controllerName: example.com/other}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns}
spec: {gatewayClassName: other, listeners: [{name: a, protocol: HTTP, port: 80}]}
)");
  ASSERT_EQ(r.result.gateways.size(), 1u);
  EXPECT_FALSE(r.result.gateways[0].accepted);
  EXPECT_TRUE(r.result.irs.empty());
}

}  // namespace
}  // namespace ctplab::policy
