// SecurityPolicy attachment, precedence and status (most specific target wins; conflicts,
// overrides, missing sections) and translator errors that turn routes into 500s.
#include <gtest/gtest.h>

#include "ctplab/policy/output.h"
#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::httpRoute;
using testing::kGateway;
using testing::runYaml;
using testing::securityPolicy;

const std::string kAllowAll = "  authorization: {defaultAction: Allow}";

std::string gatewayRef(const std::string& section = "") {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw" +
         (section.empty() ? "" : ", sectionName: " + section) + "}]\n";
}

std::string routeRef(const std::string& name, const std::string& section = "",
                     const std::string& kind = "HTTPRoute") {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: " + kind + ", name: " + name +
         (section.empty() ? "" : ", sectionName: " + section) + "}]\n";
}

const std::string kRule = "  - matches: [{path: {value: /}}]";

std::string sourceOf(const ir::Route* r) {
  if (r == nullptr) return "<no route>";
  return r->authorization ? r->authorization->policy : "";
}

TEST(SecurityPolicyPrecedence, RoutePolicyBeatsGatewayPolicy) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r1", kRule) + httpRoute("r2", kRule) +
                   securityPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kAllowAll) +
                   securityPolicy("narrow", "2026-01-02T00:00:00Z", routeRef("r1") + kAllowAll));
  for (const char* l : {"ns/gw/http-a", "ns/gw/http-b"}) {
    EXPECT_EQ(sourceOf(r.route(l, "httproute/ns/r1/")), "ns/narrow") << l;
    EXPECT_EQ(sourceOf(r.route(l, "httproute/ns/r2/")), "ns/wide") << l;
  }
  EXPECT_EQ(r.spCondition("narrow", "gw", "", "Accepted")->reason, "Accepted");
  EXPECT_EQ(r.spCondition("wide", "gw", "", "Accepted")->reason, "Accepted");
  const Condition* o = r.spCondition("wide", "gw", "", "Overridden");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->message,
            "This policy is being overridden by other securityPolicies for these routes: [ns/r1]");
  // Route-targeted policies are handled first, whatever their age.
  EXPECT_EQ(r.result.security_policies[0].policy->meta.name, "narrow");
}

TEST(SecurityPolicyPrecedence, RuleSectionBeatsWholeRoute) {
  auto r = runYaml(std::string(kGateway) +
                   httpRoute("r",
                             "  - name: a\n    matches: [{path: {value: /a}}]\n"
                             "  - name: b\n    matches: [{path: {value: /b}}]",
                             "http-a") +
                   securityPolicy("whole", "2026-01-01T00:00:00Z", routeRef("r") + kAllowAll) +
                   securityPolicy("rule", "2026-01-02T00:00:00Z", routeRef("r", "a") + kAllowAll));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r/rule/0/")), "ns/rule");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r/rule/1/")), "ns/whole");
  // The ancestor is the route's parentRef, with its sectionName (a Gateway listener).
  EXPECT_EQ(r.spCondition("rule", "gw", "http-a", "Accepted")->reason, "Accepted");
  const Condition* o = r.spCondition("whole", "gw", "http-a", "Overridden");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->message,
            "This policy is being overridden by other securityPolicies for these route rules: [a]");
}

TEST(SecurityPolicyPrecedence, ListenerPolicyBeatsGatewayPolicy) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r1", kRule) + httpRoute("r2", kRule, "http-b") +
              securityPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kAllowAll) +
              securityPolicy("listener", "2026-01-02T00:00:00Z", gatewayRef("http-a") + kAllowAll) +
              securityPolicy("r1-policy", "2026-01-03T00:00:00Z", routeRef("r1") + kAllowAll) +
              securityPolicy("r2-policy", "2026-01-03T00:00:00Z", routeRef("r2") + kAllowAll));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r1/")), "ns/r1-policy");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-b", "httproute/ns/r2/")), "ns/r2-policy");
  EXPECT_EQ(r.spCondition("listener", "gw", "http-a", "Accepted")->reason, "Accepted");
  // A listener policy is displaced by routes attached to the whole Gateway.
  EXPECT_EQ(r.spCondition("listener", "gw", "http-a", "Overridden")->message,
            "This policy is being overridden by other securityPolicies for these routes: [ns/r1]");
  EXPECT_EQ(r.spCondition("wide", "gw", "", "Overridden")->message,
            "This policy is being overridden by other securityPolicies for these gateway "
            "listeners: [ns/gw/http-a] and these routes: [ns/r1 ns/r2]");
}

TEST(SecurityPolicyPrecedence, GatewayPolicyFillsListenersWithoutAMoreSpecificOne) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r1", kRule) +
              securityPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kAllowAll) +
              securityPolicy("listener", "2026-01-02T00:00:00Z", gatewayRef("http-a") + kAllowAll));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r1/")), "ns/listener");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-b", "httproute/ns/r1/")), "ns/wide");
}

TEST(SecurityPolicyPrecedence, ConflictsKeepTheOlderPolicy) {
  auto r = runYaml(std::string(kGateway) +
                   httpRoute("r", "  - name: a\n    matches: [{path: {value: /}}]") +
                   securityPolicy("gw-new", "2026-01-02T00:00:00Z", gatewayRef() + kAllowAll) +
                   securityPolicy("gw-old", "2026-01-01T00:00:00Z", gatewayRef() + kAllowAll) +
                   securityPolicy("l-1", "2026-01-01T00:00:00Z", gatewayRef("http-a") + kAllowAll) +
                   securityPolicy("l-2", "2026-01-01T00:00:00Z", gatewayRef("http-a") + kAllowAll) +
                   securityPolicy("r-1", "2026-01-01T00:00:00Z", routeRef("r") + kAllowAll) +
                   securityPolicy("r-2", "2026-01-01T00:00:00Z", routeRef("r") + kAllowAll) +
                   securityPolicy("a-1", "2026-01-01T00:00:00Z", routeRef("r", "a") + kAllowAll) +
                   securityPolicy("a-2", "2026-01-01T00:00:00Z", routeRef("r", "a") + kAllowAll));
  EXPECT_EQ(r.spCondition("gw-old", "gw", "", "Accepted")->status, "True");
  EXPECT_EQ(r.spCondition("gw-new", "gw", "", "Accepted")->message,
            "Unable to target Gateway gw, another SecurityPolicy has already attached to it");
  EXPECT_EQ(r.spCondition("l-1", "gw", "http-a", "Accepted")->status, "True");
  EXPECT_EQ(r.spCondition("l-2", "gw", "http-a", "Accepted")->message,
            "Unable to target Listener gw/http-a, another SecurityPolicy has already attached to "
            "it");
  EXPECT_EQ(r.spCondition("r-1", "gw", "", "Accepted")->status, "True");
  const Condition* c = r.spCondition("r-2", "gw", "", "Accepted");
  EXPECT_EQ(c->reason, "Conflicted");
  EXPECT_EQ(c->message,
            "Unable to target HTTPRoute r, another SecurityPolicy has already attached to it");
  EXPECT_EQ(r.spCondition("a-2", "gw", "", "Accepted")->message,
            "Unable to target RouteRule r/a, another SecurityPolicy has already attached to it");
  // A conflicted ancestor gets no other condition.
  EXPECT_EQ(r.securityPolicy("r-2")->status.ancestors()[0].conditions.size(), 1u);
}

TEST(SecurityPolicyPrecedence, UnknownSectionsAreTargetNotFound) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r", kRule) +
                   securityPolicy("l", "2026-01-01T00:00:00Z", gatewayRef("nope") + kAllowAll) +
                   securityPolicy("rr", "2026-01-01T00:00:00Z", routeRef("r", "nope") + kAllowAll));
  EXPECT_EQ(r.spCondition("l", "gw", "nope", "Accepted")->reason, "TargetNotFound");
  EXPECT_EQ(r.spCondition("l", "gw", "nope", "Accepted")->message,
            "No section name nope found for Gateway ns/gw");
  EXPECT_EQ(r.spCondition("rr", "gw", "", "Accepted")->message,
            "No section name nope found for HTTPRoute ns/r");
}

TEST(SecurityPolicyPrecedence, UnknownTargetsWriteNoStatus) {
  auto r = runYaml(
      std::string(kGateway) +
      securityPolicy("p", "2026-01-01T00:00:00Z", routeRef("missing") + kAllowAll) +
      securityPolicy("q", "2026-01-01T00:00:00Z",
                     "  targetSelectors: [{kind: HTTPRoute, matchLabels: {a: b}}]\n" + kAllowAll));
  ASSERT_NE(r.securityPolicy("p"), nullptr);
  EXPECT_TRUE(r.securityPolicy("p")->handled);
  EXPECT_TRUE(r.securityPolicy("p")->status.ancestors().empty());
  // Upstream's output lists only policies it handled.
  EXPECT_FALSE(r.securityPolicy("q")->handled);
  std::string out = emitYaml(translationToTree(r.result));
  EXPECT_NE(out.find("name: p\n"), std::string::npos);
  EXPECT_EQ(out.find("name: q\n"), std::string::npos);
}

TEST(SecurityPolicyPrecedence, SelectorsPickLabelledRoutes) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r1", kRule) + httpRoute("r2", kRule) +
              "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: r3, namespace: ns, labels: {team: a}}\n"
              "spec:\n  parentRefs: [{name: gw}]\n  rules:\n" +
              kRule + "\n" +
              securityPolicy(
                  "sel", "2026-01-01T00:00:00Z",
                  "  targetSelectors: [{kind: HTTPRoute, matchLabels: {team: a}}]\n" + kAllowAll));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r3/")), "ns/sel");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r1/")), "");
}

TEST(SecurityPolicyPrecedence, MoreSpecificPolicyWithoutAuthorizationStillWins) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r1", kRule) +
                   securityPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kAllowAll) +
                   securityPolicy("cors", "2026-01-02T00:00:00Z",
                                  routeRef("r1") + "  cors: {allowOrigins: ['https://a.test']}"));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r1/")), "");
  EXPECT_EQ(r.spCondition("cors", "gw", "", "Accepted")->status, "True");
}

TEST(SecurityPolicyPrecedence, DeprecatedTargetRefWarns) {
  auto r = runYaml(std::string(kGateway) +
                   securityPolicy("p", "2026-01-01T00:00:00Z",
                                  "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, "
                                  "name: gw}\n" +
                                      kAllowAll));
  const Condition* w = r.spCondition("p", "gw", "", "Warning");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->reason, "DeprecatedField");
  EXPECT_EQ(w->message, "spec.targetRef is deprecated, use spec.targetRefs instead");
}

const std::string kBadCIDR =
    "  authorization:\n    rules:\n    - action: Allow\n      principal: {clientCIDRs: "
    "[10.0.0.0/33]}";

TEST(SecurityPolicyStatus, InvalidCIDRIsInvalidWith500) {
  auto r = runYaml(std::string(kGateway) + httpRoute("r1", kRule) + httpRoute("r2", kRule) +
                   securityPolicy("route", "2026-01-01T00:00:00Z", routeRef("r1") + kBadCIDR) +
                   securityPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kBadCIDR));
  const Condition* c = r.spCondition("route", "gw", "", "Accepted");
  EXPECT_EQ(c->reason, "Invalid");
  EXPECT_EQ(c->message,
            "Authorization: unable to translate authorization rule: invalid CIDR address: "
            "10.0.0.0/33.");
  // Upstream's Gateway path adds no "Authorization:" prefix.
  EXPECT_EQ(r.spCondition("wide", "gw", "", "Accepted")->message,
            "Unable to translate authorization rule: invalid CIDR address: 10.0.0.0/33.");
  for (const char* prefix : {"httproute/ns/r1/", "httproute/ns/r2/"}) {
    const ir::Route* route = r.route("ns/gw/http-a", prefix);
    ASSERT_NE(route, nullptr);
    EXPECT_TRUE(route->direct_response_500) << prefix;
    EXPECT_FALSE(route->authorization.has_value()) << prefix;
  }
}

TEST(SecurityPolicyStatus, GeoLocationsNeedClientIPDetection) {
  const std::string geo =
      "  authorization:\n    rules:\n    - action: Allow\n      principal: "
      "{clientIPGeoLocations: [{country: US}]}";
  auto r = runYaml(std::string(kGateway) + httpRoute("r1", kRule) +
                   securityPolicy("p", "2026-01-01T00:00:00Z", gatewayRef() + geo));
  const std::string one =
      "Authorization: authorization clientIPGeoLocations requires "
      "ClientTrafficPolicy.spec.clientIPDetection to be configured";
  // Checked per HTTP listener, one line each.
  EXPECT_EQ(r.spCondition("p", "gw", "", "Accepted")->message, one + "\n" + one + ".");
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r1/");
  EXPECT_TRUE(route->direct_response_500);
  ASSERT_TRUE(route->authorization.has_value());
  EXPECT_TRUE(route->authorization->rules.at(0).client_ip_geo_locations);
}

TEST(SecurityPolicyStatus, GeoLocationsNeedEnvoyProxyDatabases) {
  const std::string ctp =
      testing::policy("ctp", "2026-01-01T00:00:00Z",
                      gatewayRef() + "  clientIPDetection: {xForwardedFor: {numTrustedHops: 1}}");
  const std::string geo =
      "  authorization:\n    rules:\n    - action: Allow\n      principal: "
      "{clientIPGeoLocations: [{asn: 64500}]}";
  auto none = runYaml(std::string(kGateway) + ctp + httpRoute("r1", kRule, "http-a") +
                      securityPolicy("p", "2026-01-01T00:00:00Z", routeRef("r1") + geo));
  EXPECT_EQ(none.spCondition("p", "gw", "http-a", "Accepted")->message,
            "Authorization: authorization clientIPGeoLocations requires "
            "EnvoyProxy.spec.geoIP.provider to be configured.");
  const std::string proxy =
      "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyProxy\n"
      "metadata: {name: proxy, namespace: ns}\nspec:\n  geoIP:\n    provider:\n      type: "
      "MaxMind\n      maxMind: {cityDbSource: {local: {path: /db/city.mmdb}}}\n";
  std::string gw = std::string(kGateway);
  gw.replace(gw.find("gatewayClassName: eg"), 20,
             "gatewayClassName: eg\n  infrastructure: {parametersRef: {group: "
             "gateway.envoyproxy.io, kind: EnvoyProxy, name: proxy}}");
  auto city_only = runYaml(gw + proxy + ctp + httpRoute("r1", kRule, "http-a") +
                           securityPolicy("p", "2026-01-01T00:00:00Z", routeRef("r1") + geo));
  EXPECT_EQ(city_only.spCondition("p", "gw", "http-a", "Accepted")->message,
            "Authorization: authorization clientIPGeoLocations.asn requires "
            "EnvoyProxy.spec.geoIP.provider.maxMind.asnDbSource.");
}

TEST(SecurityPolicyTCP, GatewayPolicyReachesTCPRoutesAndTCPRouteRulesAreChecked) {
  const std::string tcp_route =
      "---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n"
      "metadata: {name: t, namespace: ns}\nspec:\n  parentRefs: [{name: gw, sectionName: tcp}]\n"
      "  rules:\n  - backendRefs: [{name: b, port: 9000}]\n";
  auto wide =
      runYaml(std::string(kGateway) + tcp_route +
              securityPolicy("wide", "2026-01-01T00:00:00Z",
                             gatewayRef() + "  authorization:\n    rules:\n    - action: Allow\n"
                                            "      principal: {clientCIDRs: [10.0.0.0/8]}"));
  const ir::Route* route = wide.route("ns/gw/tcp", "tcproute/ns/t");
  ASSERT_NE(route, nullptr);
  ASSERT_TRUE(route->authorization.has_value());
  EXPECT_EQ(route->authorization->rules.at(0).client_cidrs.at(0), "10.0.0.0/8");

  auto headers =
      runYaml(std::string(kGateway) + tcp_route +
              securityPolicy("p", "2026-01-01T00:00:00Z",
                             routeRef("t", "", "TCPRoute") +
                                 "  authorization:\n    rules:\n    - action: Allow\n"
                                 "      principal: {headers: [{name: x, values: [y]}]}"));
  EXPECT_EQ(headers.spCondition("p", "gw", "tcp", "Accepted")->message,
            "Invalid SecurityPolicy for TCP route: rule 0: headers not supported for TCP.");
  EXPECT_FALSE(headers.route("ns/gw/tcp", "tcproute/ns/t")->authorization.has_value());
}

TEST(SecurityPolicyOutput, RoutesCarryPathMatchAndUpstreamAuthorizationShape) {
  auto r = runYaml(
      std::string(kGateway) +
      httpRoute("r1", "  - matches: [{path: {type: Exact, value: /x}}]", "http-a") +
      securityPolicy("p", "2026-01-01T00:00:00Z",
                     routeRef("r1") +
                         "  authorization:\n    rules:\n    - action: Deny\n"
                         "      operation: {methods: [POST]}\n"
                         "      principal: {clientCIDRs: [10.1.2.3/24, '2001:DB8::7/32']}"));
  std::string out = emitYaml(translationToTree(r.result));
  const std::string expected = R"(      routes:
      - hostname: '*'
        name: httproute/ns/r1/rule/0/match/0/*
        pathMatch:
          distinct: false
          exact: /x
          name: ''
        security:
          authorization:
            defaultAction: Deny
            rules:
            - action: Deny
              name: securitypolicy/ns/p/authorization/rule/0
              operation:
                methods:
                - POST
              principal:
                clientCIDRs:
                - cidr: 10.1.2.0/24
                  distinct: false
                  invert: false
                  isIPv6: false
                  maskLen: 24
                - cidr: 2001:db8::/32
                  distinct: false
                  invert: false
                  isIPv6: true
                  maskLen: 32
)";
  EXPECT_NE(out.find(expected), std::string::npos) << out;
  EXPECT_NE(out.find("securityPolicies:\n- apiVersion: gateway.envoyproxy.io/v1alpha1"),
            std::string::npos);
}

}  // namespace
}  // namespace ctplab::policy
