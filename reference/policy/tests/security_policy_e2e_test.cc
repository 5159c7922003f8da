// The AZ-1..AZ-8 bundles of the upstream e2e checklist: the IR must carry each SecurityPolicy's
// rules on the right route, with the route's path match and the listener's client-IP detection,
// so that first-match evaluation of the detected client IP gives the expected status.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

constexpr const char* kListener = "gateway-conformance-infra/same-namespace/http";

const std::string kBase = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: same-namespace, namespace: gateway-conformance-infra}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: http-with-authorization-client-ip-1, namespace: gateway-conformance-infra}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /protected1}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: http-with-authorization-client-ip-2, namespace: gateway-conformance-infra}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /protected2}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: http-public, namespace: gateway-conformance-infra}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: infra-backend-v1, port: 8080}]
)";

std::string ctp(const std::string& xff) {
  return "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: ClientTrafficPolicy\n"
         "metadata: {name: enable-client-ip-detection, namespace: gateway-conformance-infra}\n"
         "spec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: "
         "same-namespace}]\n  clientIPDetection: {xForwardedFor: " +
         xff + "}\n";
}

std::string sp(const std::string& name, const std::string& route, const std::string& authz) {
  return "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\n"
         "metadata: {name: " +
         name +
         ", namespace: gateway-conformance-infra}\nspec:\n  targetRefs: [{group: "
         "gateway.networking.k8s.io, kind: HTTPRoute, name: " +
         route + "}]\n  authorization:\n" + authz + "\n";
}

const std::string kPolicy1 =
    "    defaultAction: Allow\n    rules:\n"
    "    - action: Deny\n      principal: {clientCIDRs: [192.168.1.0/24]}\n"
    "    - action: Allow\n      principal: {clientCIDRs: [192.168.1.0/24, 192.168.2.0/24]}\n"
    "    - action: Allow\n      principal: {clientCIDRs: [192.168.2.0/24]}";
const std::string kPolicy2 =
    "    defaultAction: Deny\n    rules:\n"
    "    - action: Allow\n      principal: {clientCIDRs: [10.0.1.0/24, 10.0.2.0/24]}";
const std::string kTrustedPolicy =
    "    defaultAction: Allow\n    rules:\n"
    "    - action: Deny\n      principal: {clientCIDRs: [192.168.1.0/24]}";

bool inCIDR(const std::string& ip, const std::string& cidr) {
  const size_t slash = cidr.find('/');
  std::array<unsigned char, 4> a{}, n{};
  if (inet_pton(AF_INET, ip.c_str(), a.data()) != 1 ||
      inet_pton(AF_INET, cidr.substr(0, slash).c_str(), n.data()) != 1) {
    return false;
  }
  const int bits = std::stoi(cidr.substr(slash + 1));
  for (int b = 0; b < bits; ++b) {
    const unsigned mask = 0x80u >> (b % 8);
    if ((a[static_cast<size_t>(b / 8)] & mask) != (n[static_cast<size_t>(b / 8)] & mask)) {
      return false;
    }
  }
  return true;
}

// First matching rule decides (spec 5.1); the status the proxy answers with.
int statusFor(const ir::Authorization& a, const std::string& client_ip) {
  for (const auto& rule : a.rules) {
    for (const auto& cidr : rule.client_cidrs) {
      if (inCIDR(client_ip, cidr)) return rule.action == "Allow" ? 200 : 403;
    }
  }
  return a.default_action == "Allow" ? 200 : 403;
}

// The IR route a request for `path` reaches: the first in IR order whose path matches.
const ir::Route* routeFor(const ir::Listener& l, const std::string& path) {
  for (const auto& r : l.routes) {
    if (!r.path_match) return &r;
    const auto& m = *r.path_match;
    if (m.kind == ir::PathMatch::Kind::kExact && path == m.value) return &r;
    if (m.kind == ir::PathMatch::Kind::kPrefix && path.rfind(m.value, 0) == 0) return &r;
  }
  return nullptr;
}

int request(const testing::Run& run, const std::string& path, const std::string& client_ip) {
  const ir::Listener* l = run.listener(kListener);
  if (l == nullptr) return -1;
  const ir::Route* r = routeFor(*l, path);
  if (r == nullptr) return 404;
  if (r->direct_response_500) return 500;
  return r->authorization ? statusFor(*r->authorization, client_ip) : 200;
}

TEST(AuthorizationE2E, ClientIPRulesOnTwoRoutes) {
  auto run = testing::runYaml(
      kBase + ctp("{numTrustedHops: 1}") +
      sp("authorization-client-ip-1", "http-with-authorization-client-ip-1", kPolicy1) +
      sp("authorization-client-ip-2", "http-with-authorization-client-ip-2", kPolicy2));
  ASSERT_FALSE(run.loaded.diagnostics.hasErrors());
  const ir::Listener* l = run.listener(kListener);
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(l->client_ip_detection && l->client_ip_detection->xff);
  EXPECT_EQ(l->client_ip_detection->xff->num_trusted_hops, 1u);
  // The exact matches sort before the catch-all route.
  ASSERT_EQ(l->routes.size(), 3u);
  EXPECT_EQ(l->routes[2].name, "httproute/gateway-conformance-infra/http-public/rule/0/match/-1/*");
  EXPECT_FALSE(l->routes[2].authorization.has_value());

  const ir::Route* p1 = routeFor(*l, "/protected1");
  ASSERT_NE(p1, nullptr);
  ASSERT_TRUE(p1->path_match.has_value());
  EXPECT_EQ(p1->path_match->kind, ir::PathMatch::Kind::kExact);
  ASSERT_TRUE(p1->authorization.has_value());
  EXPECT_EQ(p1->authorization->policy, "gateway-conformance-infra/authorization-client-ip-1");
  ASSERT_EQ(p1->authorization->rules.size(), 3u);
  EXPECT_EQ(p1->authorization->rules[0].action, "Deny");
  EXPECT_EQ(p1->authorization->rules[1].client_cidrs,
            (std::vector<std::string>{"192.168.1.0/24", "192.168.2.0/24"}));

  EXPECT_EQ(request(run, "/protected1", "192.168.1.1"), 403);  // AZ-1
  EXPECT_EQ(request(run, "/protected1", "192.168.2.1"), 200);  // AZ-2
  EXPECT_EQ(request(run, "/protected1", "192.168.3.1"), 200);  // AZ-3
  EXPECT_EQ(request(run, "/protected2", "10.0.1.1"), 200);     // AZ-4
  EXPECT_EQ(request(run, "/protected2", "192.168.3.1"), 403);  // AZ-5
  EXPECT_EQ(request(run, "/public", "192.168.3.1"), 200);
  for (const auto& r : run.result.security_policies) {
    ASSERT_EQ(r.status.ancestors().size(), 1u);
    EXPECT_EQ(r.status.ancestors()[0].ref.name, "same-namespace");
    EXPECT_EQ(r.status.ancestors()[0].find("Accepted")->status, "True");
  }
}

TEST(AuthorizationE2E, TrustedCIDRsDetection) {
  auto run = testing::runYaml(kBase + ctp("{trustedCIDRs: [172.0.0.0/8, 10.0.0.0/8, '::/0']}") +
                              sp("authorization-client-ip-trusted-cidrs",
                                 "http-with-authorization-client-ip-1", kTrustedPolicy));
  ASSERT_FALSE(run.loaded.diagnostics.hasErrors());
  const ir::Listener* l = run.listener(kListener);
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(l->client_ip_detection && l->client_ip_detection->xff &&
              l->client_ip_detection->xff->trusted_cidrs);
  EXPECT_EQ(*l->client_ip_detection->xff->trusted_cidrs,
            (std::vector<std::string>{"172.0.0.0/8", "10.0.0.0/8", "::/0"}));
  // Client IPs as trustedCIDRs detection yields them (right-to-left skip of trusted hops).
  EXPECT_EQ(request(run, "/protected1", "192.168.2.1"), 200);  // AZ-6, AZ-7
  EXPECT_EQ(request(run, "/protected1", "192.168.1.1"), 403);  // AZ-8
  EXPECT_FALSE(routeFor(*l, "/protected2")->authorization.has_value());
  const Condition* c =
      run.spCondition("authorization-client-ip-trusted-cidrs", "same-namespace", "", "Accepted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, "True");
}

}  // namespace
}  // namespace ctplab::policy
