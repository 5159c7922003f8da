// HTTPRoute path matches in the IR and upstream's route precedence order per listener.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

using testing::httpRoute;
using testing::kGateway;
using testing::runYaml;

std::vector<std::string> pathsOf(const ir::Listener& l) {
  std::vector<std::string> out;
  for (const auto& r : l.routes) {
    if (!r.path_match) {
      out.push_back("any");
      continue;
    }
    const char* kind = r.path_match->kind == ir::PathMatch::Kind::kExact   ? "exact "
                       : r.path_match->kind == ir::PathMatch::Kind::kRegex ? "regex "
                                                                           : "prefix ";
    out.push_back(kind + r.path_match->value);
  }
  return out;
}

TEST(RouteOrder, ExactThenRegexThenPrefixLongestFirst) {
  auto r = runYaml(std::string(kGateway) +
                   httpRoute("r",
                             "  - matches: [{path: {value: /}}]\n"
                             "  - matches: [{path: {type: PathPrefix, value: /api}}]\n"
                             "  - {}\n"
                             "  - matches: [{path: {type: RegularExpression, value: /a.*}}, "
                             "{path: {type: Exact, value: /api/v1}}]\n"
                             "  - matches: [{path: {value: /api/v1/long}}, {path: {type: Exact, "
                             "value: /a}}]\n"
                             "  - matches: [{headers: [{name: x, value: y}]}]",
                             "http-a"));
  const ir::Listener* l = r.listener("ns/gw/http-a");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(pathsOf(*l), (std::vector<std::string>{"exact /api/v1", "exact /a", "regex /a.*",
                                                   "prefix /api/v1/long", "prefix /api", "prefix /",
                                                   "any", "any"}));
  // Catch-all and path-less routes keep attachment order among themselves.
  EXPECT_EQ(l->routes[5].name, "httproute/ns/r/rule/0/match/0/*");
  EXPECT_EQ(l->routes[6].name, "httproute/ns/r/rule/2/match/-1/*");
  EXPECT_EQ(l->routes[7].name, "httproute/ns/r/rule/5/match/0/*");
}

TEST(RouteOrder, EqualMatchesKeepRouteOrderByCreationTime) {
  auto route = [](const std::string& name, const std::string& created) {
    return "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
           "metadata: {name: " +
           name + ", namespace: ns, creationTimestamp: \"" + created +
           "\"}\nspec:\n  parentRefs: [{name: gw, sectionName: http-a}]\n  rules:\n"
           "  - matches: [{path: {value: /same}}]\n";
  };
  auto r = runYaml(std::string(kGateway) + route("newer", "2026-01-02T00:00:00Z") +
                   route("older", "2026-01-01T00:00:00Z"));
  const ir::Listener* l = r.listener("ns/gw/http-a");
  ASSERT_EQ(l->routes.size(), 2u);
  EXPECT_EQ(l->routes[0].name, "httproute/ns/older/rule/0/match/0/*");
}

TEST(RouteOrder, PathDefaultsAndRuleNames) {
  auto r = runYaml(
      std::string(kGateway) +
      httpRoute("r", "  - name: first\n    matches: [{path: {type: PathPrefix}}]", "http-a"));
  const ir::Route* route = r.route("ns/gw/http-a", "httproute/ns/r/");
  ASSERT_NE(route, nullptr);
  ASSERT_TRUE(route->path_match.has_value());
  EXPECT_EQ(route->path_match->kind, ir::PathMatch::Kind::kPrefix);
  EXPECT_EQ(route->path_match->value, "/");
  EXPECT_EQ(route->rule_name, "first");
}

TEST(RouteOrder, GRPCMethodMatchesBecomePaths) {
  auto r = runYaml(std::string(kGateway) +
                   "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n"
                   "metadata: {name: g, namespace: ns}\nspec:\n"
                   "  parentRefs: [{name: gw, sectionName: http-a}]\n  rules:\n"
                   "  - matches:\n    - method: {service: pkg.Svc, method: Get}\n"
                   "    - method: {service: pkg.Svc}\n"
                   "    - method: {type: RegularExpression, method: 'Get.*'}\n");
  const ir::Listener* l = r.listener("ns/gw/http-a");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(pathsOf(*l),
            (std::vector<std::string>{"exact /pkg.Svc/Get",
                                      "regex /(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*/Get.*",
                                      "prefix /pkg.Svc"}));
}

}  // namespace
}  // namespace ctplab::policy
