// BackendTrafficPolicy rate limits: translation onto the IR (default bucket, unit multiples,
// selectors), attachment precedence (route rule > route > listener > Gateway), conflicts,
// overrides, status conditions, 500s for invalid policies, and the translate output shape.
#include <gtest/gtest.h>

#include "ctplab/policy/output.h"
#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::backendTrafficPolicy;
using testing::httpRoute;
using testing::kGateway;
using testing::runYaml;

const std::string kRule = "  - matches: [{path: {value: /}}]";

std::string gatewayRef(const std::string& section = "") {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw" +
         (section.empty() ? "" : ", sectionName: " + section) + "}]\n";
}

std::string routeRef(const std::string& name, const std::string& section = "") {
  return "  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: " + name +
         (section.empty() ? "" : ", sectionName: " + section) + "}]\n";
}

std::string local(const std::string& rules) {
  return "  rateLimit:\n    local:\n      rules:\n" + rules;
}

const std::string kTenPerHour = local("      - limit: {requests: 10, unit: Hour}");

std::string sourceOf(const ir::Route* r) {
  if (r == nullptr) return "<no route>";
  return r->rate_limit ? r->rate_limit->policy : "";
}

TEST(BackendTrafficPolicyRateLimit, DefaultBucketAndDistinctSourceRule) {
  auto r = runYaml(
      std::string(kGateway) + httpRoute("r", kRule) +
      backendTrafficPolicy(
          "p", "2026-01-01T00:00:00Z",
          routeRef("r") + local("      - limit: {requests: 10, unit: Hour}\n"
                                "      - clientSelectors:\n"
                                "        - sourceCIDR: {type: Distinct, value: 10.1.2.3/8}\n"
                                "          headers: [{name: x-org-id, value: foo}]\n"
                                "        limit: {requests: 3, unit: Hour}")));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_NE(route, nullptr);
  ASSERT_TRUE(route->rate_limit && route->rate_limit->local);
  const ir::LocalRateLimit& l = *route->rate_limit->local;
  EXPECT_EQ(l.default_limit.requests, 10u);
  EXPECT_EQ(l.default_limit.unit, "Hour");
  ASSERT_EQ(l.rules.size(), 1u);
  EXPECT_EQ(l.rules[0].name, "ns/p/rule/1");
  ASSERT_TRUE(l.rules[0].cidr_match);
  EXPECT_EQ(l.rules[0].cidr_match->cidr, "10.0.0.0/8");
  EXPECT_TRUE(l.rules[0].cidr_match->distinct);
  ASSERT_EQ(l.rules[0].header_matches.size(), 1u);
  EXPECT_EQ(l.rules[0].header_matches[0].exact.value_or(""), "foo");
  EXPECT_EQ(r.btpCondition("p", "gw", "", "Accepted")->reason, "Accepted");
}

TEST(BackendTrafficPolicyRateLimit, NoDefaultRuleMeansUnlimitedDefault) {
  auto r = runYaml(
      std::string(kGateway) + httpRoute("r", kRule) +
      backendTrafficPolicy("p", "2026-01-01T00:00:00Z",
                           routeRef("r") + local("      - clientSelectors: [{methods: "
                                                 "[{value: POST}]}]\n"
                                                 "        limit: {requests: 1, unit: Minute}")));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->rate_limit && route->rate_limit->local);
  EXPECT_EQ(route->rate_limit->local->default_limit.requests, 4294967295u);
  EXPECT_EQ(route->rate_limit->local->default_limit.unit, "Second");
  EXPECT_EQ(route->rate_limit->local->rules.at(0).method_matches.at(0).exact.value_or(""), "POST");
}

struct InvalidCase {
  std::string rules;
  std::string message;
};

TEST(BackendTrafficPolicyRateLimit, TranslationErrorsInvalidateAndAnswer500) {
  const InvalidCase cases[] = {
      {"      - limit: {requests: 1, unit: Second}\n      - limit: {requests: 2, unit: Second}",
       "RateLimit: local rateLimit can not have more than one rule without clientSelectors."},
      {"      - limit: {requests: 1, unit: Minute}\n"
       "      - clientSelectors: [{methods: [{value: GET}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: local rateLimit rule limit unit must be a multiple of the default limit unit."},
      {"      - clientSelectors: [{headers: [{name: x, type: Distinct, invert: true}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: unable to translate rateLimit.Invert is not applicable for distinct header "
       "match type."},
      {"      - clientSelectors: [{headers: [{name: x, type: Distinct, value: v}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: unable to translate rateLimit. Either the header.Type is not valid or the "
       "header is missing a value."},
      {"      - clientSelectors: [{headers: [{name: x, type: RegularExpression, value: '(a'}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: regex \"(a\" is invalid: error parsing regexp: missing closing ): `(a`."},
      {"      - clientSelectors: [{sourceCIDR: {value: 10.0.0.0/33}}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: unable to translate rateLimit: invalid CIDR address: 10.0.0.0/33."},
      {"      - clientSelectors: [{queryParams: [{name: q, type: Distinct, invert: true}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: unable to translate rateLimit.Invert is not applicable for distinct query "
       "parameter match type."},
      {"      - clientSelectors: [{queryParams: [{name: q}]}]\n"
       "        limit: {requests: 1, unit: Second}",
       "RateLimit: value is required for Exact query parameter match."},
      {"      - clientSelectors: [{headers: []}]\n        limit: {requests: 1, unit: Second}",
       "RateLimit: unable to translate rateLimit. At least one of the header or method or path "
       "or sourceCIDR or queryParameters must be specified."},
  };
  for (const auto& c : cases) {
    auto r =
        runYaml(std::string(kGateway) + httpRoute("r", kRule) +
                backendTrafficPolicy("p", "2026-01-01T00:00:00Z", routeRef("r") + local(c.rules)));
    const Condition* a = r.btpCondition("p", "gw", "", "Accepted");
    ASSERT_NE(a, nullptr) << c.rules;
    EXPECT_EQ(a->status, "False");
    EXPECT_EQ(a->reason, "Invalid");
    EXPECT_EQ(a->message, c.message);
    const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
    ASSERT_NE(route, nullptr);
    EXPECT_TRUE(route->direct_response_500);
    EXPECT_FALSE(route->rate_limit);
  }
}

TEST(BackendTrafficPolicyRateLimit, GlobalNeedsTheRateLimitService) {
  const std::string spec =
      routeRef("r") +
      "  rateLimit:\n    global:\n      rules:\n"
      "      - clientSelectors: [{headers: [{name: x-user, type: Distinct}]}]\n"
      "        limit: {requests: 5, unit: Minute}";
  const std::string yaml = std::string(kGateway) + httpRoute("r", kRule) +
                           backendTrafficPolicy("p", "2026-01-01T00:00:00Z", spec);
  auto off = runYaml(yaml);  // plain manifests: no EnvoyGateway rateLimit configured
  EXPECT_EQ(off.btpCondition("p", "gw", "", "Accepted")->message,
            "RateLimit: enable Ratelimit in the EnvoyGateway config to configure global "
            "rateLimit.");
  auto on = runYaml(yaml +
                    "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\n"
                    "rateLimit:\n  backend: {type: Redis, redis: {url: redis:6379}}\n");
  EXPECT_EQ(on.btpCondition("p", "gw", "", "Accepted")->reason, "Accepted");
  const ir::Route* route = on.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_TRUE(route && route->rate_limit && route->rate_limit->global);
  EXPECT_EQ(route->rate_limit->global->rules.at(0).name, "ns/p/rule/0");
  EXPECT_TRUE(route->rate_limit->global->rules.at(0).header_matches.at(0).distinct);
  auto forced = runYaml(yaml, true);
  EXPECT_EQ(forced.btpCondition("p", "gw", "", "Accepted")->reason, "Accepted");
}

TEST(BackendTrafficPolicyPrecedence, RoutePolicyBeatsGatewayPolicy) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r1", kRule) + httpRoute("r2", kRule) +
              backendTrafficPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kTenPerHour) +
              backendTrafficPolicy("narrow", "2026-01-02T00:00:00Z", routeRef("r1") + kTenPerHour));
  for (const char* l : {"ns/gw/http-a", "ns/gw/http-b"}) {
    EXPECT_EQ(sourceOf(r.route(l, "httproute/ns/r1/")), "ns/narrow") << l;
    EXPECT_EQ(sourceOf(r.route(l, "httproute/ns/r2/")), "ns/wide") << l;
  }
  const Condition* o = r.btpCondition("wide", "gw", "", "Overridden");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->message,
            "This policy is being overridden by other backendTrafficPolicies for these routes: "
            "[ns/r1]");
  EXPECT_EQ(r.result.backend_traffic_policies[0].policy->meta.name, "narrow");
}

TEST(BackendTrafficPolicyPrecedence, RuleSectionBeatsWholeRoute) {
  auto r = runYaml(
      std::string(kGateway) +
      httpRoute("r",
                "  - name: a\n    matches: [{path: {value: /a}}]\n"
                "  - name: b\n    matches: [{path: {value: /b}}]",
                "http-a") +
      backendTrafficPolicy("whole", "2026-01-01T00:00:00Z", routeRef("r") + kTenPerHour) +
      backendTrafficPolicy("rule", "2026-01-02T00:00:00Z", routeRef("r", "a") + kTenPerHour));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r/rule/0/")), "ns/rule");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r/rule/1/")), "ns/whole");
  EXPECT_EQ(r.btpCondition("rule", "gw", "http-a", "Accepted")->reason, "Accepted");
  const Condition* o = r.btpCondition("whole", "gw", "http-a", "Overridden");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->message,
            "This policy is being overridden by other backendTrafficPolicy for these route "
            "rules: [a]");
}

TEST(BackendTrafficPolicyPrecedence, ListenerSectionBeatsGatewayAndConflictsGoToTheYounger) {
  auto r = runYaml(
      std::string(kGateway) + httpRoute("r1", kRule, "http-a") + httpRoute("r2", kRule, "http-b") +
      backendTrafficPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kTenPerHour) +
      backendTrafficPolicy("wide-late", "2026-01-05T00:00:00Z", gatewayRef() + kTenPerHour) +
      backendTrafficPolicy("listener", "2026-01-02T00:00:00Z", gatewayRef("http-a") + kTenPerHour) +
      backendTrafficPolicy("listener-late", "2026-01-03T00:00:00Z",
                           gatewayRef("http-a") + kTenPerHour) +
      backendTrafficPolicy("missing", "2026-01-04T00:00:00Z", gatewayRef("nope") + kTenPerHour));
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-a", "httproute/ns/r1/")), "ns/listener");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http-b", "httproute/ns/r2/")), "ns/wide");
  EXPECT_EQ(r.btpCondition("wide", "gw", "", "Overridden")->message,
            "This policy is being overridden by other backendTrafficPolicies for these gateway "
            "listeners: [ns/gw/http-a]");
  const Condition* c = r.btpCondition("listener-late", "gw", "http-a", "Accepted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, "Conflicted");
  EXPECT_EQ(c->message,
            "Unable to target Listener ns/gw/http-a, another BackendTrafficPolicy has already "
            "attached to it");
  c = r.btpCondition("wide-late", "gw", "", "Accepted");
  EXPECT_EQ(c->message,
            "Unable to target Gateway gw, another BackendTrafficPolicy has already attached to it");
  c = r.btpCondition("missing", "gw", "nope", "Accepted");
  EXPECT_EQ(c->reason, "TargetNotFound");
  EXPECT_EQ(c->message, "No section name nope found for Gateway ns/gw");
}

TEST(BackendTrafficPolicyPrecedence, RouteConflictsAndMissingRules) {
  auto r = runYaml(
      std::string(kGateway) + httpRoute("r", "  - name: a\n    matches: [{path: {value: /}}]") +
      backendTrafficPolicy("first", "2026-01-01T00:00:00Z", routeRef("r") + kTenPerHour) +
      backendTrafficPolicy("second", "2026-01-02T00:00:00Z", routeRef("r") + kTenPerHour) +
      backendTrafficPolicy("rule-missing", "2026-01-03T00:00:00Z",
                           routeRef("r", "zz") + kTenPerHour));
  ASSERT_NE(r.btpCondition("second", "gw", "", "Accepted"), nullptr);
  ASSERT_NE(r.btpCondition("rule-missing", "gw", "", "Accepted"), nullptr);
  EXPECT_EQ(
      r.btpCondition("second", "gw", "", "Accepted")->message,
      "Unable to target HTTPRoute r, another BackendTrafficPolicy has already attached to it");
  EXPECT_EQ(r.btpCondition("rule-missing", "gw", "", "Accepted")->message,
            "No section name zz found for HTTPRoute ns/r");
}

TEST(BackendTrafficPolicyPrecedence, InvalidRoutePolicyLeavesRouteToGatewayPolicyButKeeps500) {
  auto r = runYaml(
      std::string(kGateway) + httpRoute("r", kRule) +
      backendTrafficPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kTenPerHour) +
      backendTrafficPolicy("bad", "2026-01-02T00:00:00Z",
                           routeRef("r") + local("      - limit: {requests: 1, unit: Second}\n"
                                                 "      - limit: {requests: 1, unit: Second}")));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_NE(route, nullptr);
  EXPECT_TRUE(route->direct_response_500);
  EXPECT_EQ(sourceOf(route), "ns/wide");
}

TEST(BackendTrafficPolicyPrecedence, ListenerSetPolicyBeatsGatewayPolicy) {
  const std::string gateway =
      "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
      "metadata: {name: gw, namespace: ns}\nspec:\n  gatewayClassName: eg\n"
      "  allowedListeners: {namespaces: {from: Same}}\n"
      "  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n"
      "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"
      "metadata: {name: ls, namespace: ns}\nspec:\n  parentRef: {name: gw}\n"
      "  listeners:\n  - {name: extra, protocol: HTTP, port: 8080}\n"
      "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
      "metadata: {name: via-ls, namespace: ns}\nspec:\n"
      "  parentRefs: [{kind: ListenerSet, name: ls}]\n  rules:\n" +
      kRule + "\n";
  const std::string ls_ref =
      "  targetRefs: [{group: gateway.networking.k8s.io, kind: ListenerSet, name: ls}]\n";
  auto r =
      runYaml(gateway + httpRoute("direct", kRule, "http") +
              backendTrafficPolicy("wide", "2026-01-01T00:00:00Z", gatewayRef() + kTenPerHour) +
              backendTrafficPolicy("ls-wide", "2026-01-02T00:00:00Z", ls_ref + kTenPerHour) +
              backendTrafficPolicy("ls-late", "2026-01-03T00:00:00Z", ls_ref + kTenPerHour));
  EXPECT_EQ(sourceOf(r.route("ns/gw/ns/ls/extra", "httproute/ns/via-ls/")), "ns/ls-wide");
  EXPECT_EQ(sourceOf(r.route("ns/gw/http", "httproute/ns/direct/")), "ns/wide");
  const Condition* a = r.btpCondition("ls-wide", "ls", "", "Accepted");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->reason, "Accepted");
  const Condition* c = r.btpCondition("ls-late", "ls", "", "Accepted");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->message,
            "Unable to target ListenerSet ls, another BackendTrafficPolicy has already attached to "
            "it");
  const Condition* o = r.btpCondition("wide", "gw", "", "Overridden");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->message,
            "This policy is being overridden by other backendTrafficPolicies for these "
            "listenersets: [ns/ls]");
}

TEST(BackendTrafficPolicyOutput, TranslateShowsStatusAndTrafficRateLimit) {
  auto r =
      runYaml(std::string(kGateway) + httpRoute("r", kRule) +
              backendTrafficPolicy(
                  "p", "2026-01-01T00:00:00Z",
                  routeRef("r") + local("      - limit: {requests: 10, unit: Hour}\n"
                                        "      - clientSelectors:\n"
                                        "        - path: {value: /api/}\n"
                                        "          headers: [{name: x-a, value: b, invert: true}]\n"
                                        "        limit: {requests: 3, unit: Hour}\n"
                                        "        shadowMode: true")));
  const std::string out = emitYaml(translationToTree(r.result));
  EXPECT_NE(out.find("backendTrafficPolicies:"), std::string::npos) << out;
  EXPECT_NE(out.find("        traffic:\n"
                     "          rateLimit:\n"
                     "            local:\n"
                     "              default:\n"
                     "                requests: 10\n"
                     "                unit: Hour\n"
                     "              rules:\n"
                     "              - headerMatches:\n"
                     "                - distinct: false\n"
                     "                  exact: b\n"
                     "                  invert: true\n"
                     "                  name: x-a\n"
                     "                limit:\n"
                     "                  requests: 3\n"
                     "                  unit: Hour\n"
                     "                name: ns/p/rule/1\n"
                     "                pathMatch:\n"
                     "                  distinct: false\n"
                     "                  name: ''\n"
                     "                  safeRegex: ^/api(/.*|\\?.*|#.*|;.*|$)\n"
                     "                shadowMode: true\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace ctplab::policy
