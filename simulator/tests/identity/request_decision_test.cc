// The e2e rows AZ-1..AZ-8 and XFF-1 (spec e2e-behaviors.md) through the request decision: the
// detected client IP, the authorization rule that decided, the status, the forwarded headers.
#include "ctplab/simulator/identity/request_decision.h"

#include <gtest/gtest.h>

#include "ctplab/simulator/identity/decision_output.h"
#include "identity/identity_fixture.h"

namespace ctplab::sim::identity {
namespace {

using testing::buildGateway;
using testing::ip;
using testing::policyOn;
using testing::request;
using testing::shippedFile;

constexpr const char* kNs = "gateway-conformance-infra";

std::string route(const std::string& name, const std::string& path) {
  return "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
         "metadata: {name: " +
         name + ", namespace: gateway-conformance-infra}\n" +
         "spec:\n  parentRefs: [{name: same-namespace}]\n"
         "  rules:\n  - matches: [{path: {type: Exact, value: " +
         path + "}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n";
}

std::string securityPolicy(const std::string& name, const std::string& route_name,
                           const std::string& authorization) {
  return "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\n"
         "metadata: {name: " +
         name + ", namespace: gateway-conformance-infra}\n" +
         "spec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: " +
         route_name + "}]\n  authorization:\n" + authorization;
}

// AZ-1..AZ-5: numTrustedHops 1 and two routes with their own allow/deny lists.
std::optional<DecisionGateway> authzWithXff() {
  return buildGateway({
      shippedFile("conformance/cases/resources/same-namespace-gateway.yaml"),
      policyOn(kNs, "same-namespace",
               "  clientIPDetection: {xForwardedFor: {numTrustedHops: 1}}\n"),
      route("r1", "/protected1"),
      route("r2", "/protected2"),
      securityPolicy("sp1", "r1",
                     "    defaultAction: Allow\n    rules:\n"
                     "    - {action: Deny, principal: {clientCIDRs: [192.168.1.0/24]}}\n"
                     "    - {action: Allow, principal: {clientCIDRs: [192.168.1.0/24, "
                     "192.168.2.0/24]}}\n"
                     "    - {action: Allow, principal: {clientCIDRs: [192.168.2.0/24]}}\n"),
      securityPolicy("sp2", "r2",
                     "    defaultAction: Deny\n    rules:\n"
                     "    - {action: Allow, principal: {clientCIDRs: [10.0.1.0/24, "
                     "10.0.2.0/24]}}\n"),
  });
}

std::string stepText(const RequestDecision& d, Step::Kind kind) {
  for (const auto& s : d.steps) {
    if (s.kind == kind) return s.text;
  }
  return "";
}

RequestDecision viaXff(const DecisionGateway& g, const std::string& path, const std::string& xff,
                       const std::string& peer = "10.0.0.5") {
  return decideRequest(g, request(peer, path, {{"X-Forwarded-For", xff}}));
}

TEST(RequestDecisionTest, Az1FirstMatchingRuleDenies) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.1.1");
  EXPECT_EQ(d.client_ip, ip("192.168.1.1"));
  EXPECT_EQ(d.outcome.status, 403);
  EXPECT_EQ(d.outcome.body, "RBAC: access denied");
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kAuthorization);
  EXPECT_EQ(d.authorization, RequestDecision::Authorization::kDenied);
  const std::string authz = stepText(d, Step::Kind::kAuthorization);
  EXPECT_EQ(authz.rfind("authz 192.168.1.1: rules[0] ", 0), 0u) << authz;
  EXPECT_NE(authz.find("(Deny) matched clientCIDR 192.168.1.0/24 -> deny"), std::string::npos)
      << authz;
}

TEST(RequestDecisionTest, Az2FirstRouteAllowedIp) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.2.1");
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kForwarded);
  EXPECT_EQ(d.outcome.status, 200);
  const std::string authz = stepText(d, Step::Kind::kAuthorization);
  EXPECT_NE(authz.find("rules[1] "), std::string::npos) << authz;
  EXPECT_NE(authz.find("(Allow) matched clientCIDR 192.168.2.0/24 -> allow"), std::string::npos)
      << authz;
}

TEST(RequestDecisionTest, Az3FirstRouteDefaultAllow) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.3.1");
  EXPECT_EQ(d.outcome.status, 200);
  EXPECT_EQ(d.authorization, RequestDecision::Authorization::kAllowed);
}

TEST(RequestDecisionTest, Az4SecondRouteAllowedIp) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  EXPECT_EQ(viaXff(*g, "/protected2", "10.0.1.1").outcome.status, 200);
}

TEST(RequestDecisionTest, Az5SecondRouteDefaultDeny) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected2", "192.168.3.1");
  EXPECT_EQ(d.outcome.status, 403);
  EXPECT_NE(stepText(d, Step::Kind::kAuthorization).find("defaultAction Deny"), std::string::npos);
}

// AZ-6..AZ-8: trustedCIDRs, the test client's peer inside a trusted range.
std::optional<DecisionGateway> authzWithTrustedCidrs() {
  return buildGateway({
      shippedFile("conformance/cases/resources/same-namespace-gateway.yaml"),
      policyOn(kNs, "same-namespace",
               "  clientIPDetection:\n    xForwardedFor:\n"
               "      trustedCIDRs: [172.0.0.0/8, 10.0.0.0/8, '::/0']\n"),
      route("r1", "/protected1"),
      securityPolicy("sp1", "r1",
                     "    defaultAction: Allow\n    rules:\n"
                     "    - {action: Deny, principal: {clientCIDRs: [192.168.1.0/24]}}\n"),
  });
}

TEST(RequestDecisionTest, Az6AllowedIpNoProxy) {
  auto g = authzWithTrustedCidrs();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.2.1");
  EXPECT_EQ(d.client_ip, ip("192.168.2.1"));
  EXPECT_EQ(d.outcome.status, 200);
}

TEST(RequestDecisionTest, Az7AllowedIpWithTrustedProxies) {
  auto g = authzWithTrustedCidrs();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.2.1,172.16.1.17,10.0.1.12");
  EXPECT_EQ(d.client_ip, ip("192.168.2.1"));
  EXPECT_EQ(d.outcome.status, 200);
}

TEST(RequestDecisionTest, Az8DeniedIpWithUntrustedProxy) {
  auto g = authzWithTrustedCidrs();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.2.1,192.168.1.1,10.0.1.12");
  EXPECT_EQ(d.client_ip, ip("192.168.1.1"));
  EXPECT_EQ(d.outcome.status, 403);
}

TEST(RequestDecisionTest, TrustedCidrsIgnoreXffFromAnUntrustedPeer) {
  auto g = authzWithTrustedCidrs();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.2.1", "198.51.100.9");
  EXPECT_EQ(d.client_ip, ip("198.51.100.9"));
}

TEST(RequestDecisionTest, Xff1DisabledAppendForwardsXffUntouched) {
  auto g = buildGateway({
      shippedFile("conformance/cases/resources/same-namespace-gateway.yaml"),
      policyOn(kNs, "same-namespace",
               "  clientIPDetection:\n    xForwardedFor:\n"
               "      numTrustedHops: 1\n      disableXForwardedForAppend: true\n"),
  });
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/disable-xff-append", "1.2.3.4");
  EXPECT_EQ(d.outcome.status, 200);
  EXPECT_EQ(d.client_ip, ip("1.2.3.4"));
  const auto* xff = proxy::http1::findHeader(d.forwarded_headers, "x-forwarded-for");
  ASSERT_NE(xff, nullptr);
  EXPECT_EQ(xff->value, "1.2.3.4");
}

TEST(RequestDecisionTest, WithoutDisableThePeerIsAppended) {
  auto g = buildGateway({
      shippedFile("conformance/cases/resources/same-namespace-gateway.yaml"),
      policyOn(kNs, "same-namespace",
               "  clientIPDetection: {xForwardedFor: {numTrustedHops: 1}}\n"),
  });
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/", "1.2.3.4");
  const auto* xff = proxy::http1::findHeader(d.forwarded_headers, "x-forwarded-for");
  ASSERT_NE(xff, nullptr);
  EXPECT_EQ(xff->value, "1.2.3.4,10.0.0.5");
}

TEST(RequestDecisionTest, CustomHeaderFailClosedAnswers403BeforeRouting) {
  auto g = buildGateway({
      shippedFile("conformance/cases/resources/same-namespace-gateway.yaml"),
      policyOn(kNs, "same-namespace",
               "  clientIPDetection: {customHeader: {name: X-Real-IP, failClosed: true}}\n"),
  });
  ASSERT_TRUE(g);
  const auto d = decideRequest(*g, request("10.0.0.5", "/"));
  EXPECT_EQ(d.outcome.status, 403);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kClientIpDetection);
  EXPECT_FALSE(d.client_ip);
  EXPECT_TRUE(d.route.empty());
  const auto ok = decideRequest(*g, request("10.0.0.5", "/", {{"x-real-ip", "192.0.2.1"}}));
  EXPECT_EQ(ok.client_ip, ip("192.0.2.1"));
  EXPECT_EQ(ok.outcome.status, 200);
}

TEST(RequestDecisionTest, NoRouteIs404FromTheRouter) {
  auto g = buildGateway({shippedFile("scenarios/identity/gateway-base.yaml")});
  ASSERT_TRUE(g);
  auto r = request("10.0.0.5", "/");
  r.host = "other.example.com";
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.outcome.status, 404);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kRouter);
  EXPECT_EQ(d.authorization, RequestDecision::Authorization::kNotReached);
}

TEST(RequestDecisionTest, TcpRouteAuthorizationJudgesThePeer) {
  auto g = buildGateway({R"(
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tcp, namespace: ns}
spec:
  gatewayClassName: eg
  listeners:
  - {name: tcp, protocol: TCP, port: 9000, allowedRoutes: {kinds: [{kind: TCPRoute}]}}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: r, namespace: ns}
spec:
  parentRefs: [{name: tcp}]
  rules: [{backendRefs: [{name: backend, port: 8080}]}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: sp, namespace: ns}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: TCPRoute, name: r}]
  authorization:
    defaultAction: Deny
    rules: [{action: Allow, principal: {clientCIDRs: [192.168.254.0/24]}}]
)"});
  ASSERT_TRUE(g);
  auto denied = request("203.0.113.7", "/");
  denied.port = 9000;
  const auto d = decideRequest(*g, denied);
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kClosed);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kAuthorization);
  auto allowed = request("192.168.254.9", "/");
  allowed.port = 9000;
  const auto a = decideRequest(*g, allowed);
  EXPECT_EQ(a.outcome.kind, Outcome::Kind::kForwarded);
  EXPECT_EQ(a.client_ip, ip("192.168.254.9"));
}

TEST(RequestDecisionTest, TextAndJsonAreStable) {
  auto g = authzWithXff();
  ASSERT_TRUE(g);
  const auto d = viaXff(*g, "/protected1", "192.168.1.1");
  const std::string text = decisionToText(d);
  EXPECT_EQ(text, decisionToText(viaXff(*g, "/protected1", "192.168.1.1")));
  EXPECT_EQ(text.rfind("1. client 10.0.0.5 sends GET /protected1", 0), 0u) << text;
  EXPECT_NE(text.find("=> 403 RBAC: access denied, answered by authorization"), std::string::npos)
      << text;
  const std::string json = decisionToJson(d);
  EXPECT_NE(json.find("\"decided_by\": \"authorization\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"client_ip\": \"192.168.1.1\""), std::string::npos) << json;
}

}  // namespace
}  // namespace ctplab::sim::identity
