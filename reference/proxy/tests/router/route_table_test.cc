#include "ctplab/proxy/router/route_table.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::router {
namespace {

using policy::ir::PathMatch;

policy::ir::Route route(std::string name, std::string host, std::optional<PathMatch> match,
                        bool direct_500 = false) {
  policy::ir::Route r;
  r.name = std::move(name);
  r.hostname = std::move(host);
  r.path_match = std::move(match);
  r.direct_response_500 = direct_500;
  return r;
}

policy::ir::AuthorizationRule irRule(std::string action, std::vector<std::string> cidrs) {
  policy::ir::AuthorizationRule r;
  r.action = std::move(action);
  r.client_cidrs = std::move(cidrs);
  return r;
}

policy::ir::Authorization irAuthz(std::vector<policy::ir::AuthorizationRule> rules,
                                  std::string default_action, std::string source) {
  policy::ir::Authorization a;
  a.rules = std::move(rules);
  a.default_action = std::move(default_action);
  a.policy = std::move(source);
  return a;
}

PathMatch exact(std::string v) { return {PathMatch::Kind::kExact, std::move(v)}; }
PathMatch prefix(std::string v) { return {PathMatch::Kind::kPrefix, std::move(v)}; }
PathMatch regex(std::string v) { return {PathMatch::Kind::kRegex, std::move(v)}; }

TEST(PathMatches, PrefixMatchesWholeSegments) {
  EXPECT_TRUE(pathMatches(prefix("/foo"), "/foo"));
  EXPECT_TRUE(pathMatches(prefix("/foo"), "/foo/bar"));
  EXPECT_TRUE(pathMatches(prefix("/foo/"), "/foo"));
  EXPECT_TRUE(pathMatches(prefix("/foo"), "/foo?x=1"));
  EXPECT_FALSE(pathMatches(prefix("/foo"), "/foobar"));
  EXPECT_FALSE(pathMatches(prefix("/foo"), "/Foo"));
  EXPECT_TRUE(pathMatches(prefix("/"), "/anything"));
}

TEST(PathMatches, ExactIgnoresQueryOnly) {
  EXPECT_TRUE(pathMatches(exact("/protected1"), "/protected1"));
  EXPECT_TRUE(pathMatches(exact("/protected1"), "/protected1?a=b"));
  EXPECT_FALSE(pathMatches(exact("/protected1"), "/protected1/"));
  EXPECT_FALSE(pathMatches(exact("/protected1"), "/protected10"));
}

TEST(RouteTable, MostSpecificHostThenFirstMatchingPathInOrder) {
  policy::ir::Listener listener;
  listener.routes = {route("any-root", "*", prefix("/")),
                     route("www-exact", "www.example.com", exact("/a")),
                     route("www-regex", "www.example.com", regex("/r/[0-9]+")),
                     route("www-prefix", "www.example.com", prefix("/")),
                     route("bad", "bad.example.com", std::nullopt, true)};
  auto table = RouteTable::build(listener);
  ASSERT_TRUE(table.ok()) << table.error().message;
  const auto& t = table.value();
  EXPECT_EQ(t.route("www.example.com", "/a").name, "www-exact");
  EXPECT_EQ(t.route("www.example.com", "/r/42").name, "www-regex");
  EXPECT_EQ(t.route("www.example.com", "/r/4x").name, "www-prefix");  // RE2 matches in full
  EXPECT_EQ(t.route("other.test", "/a").name, "any-root");
  EXPECT_EQ(t.route("bad.example.com", "/").kind, RouteDecision::Kind::kDirect500);
  EXPECT_EQ(t.route("www.example.com", "/a").index, 1);
}

TEST(RouteTable, HostWithoutMatchingPathIsNoRouteEvenIfACatchAllExists) {
  // Envoy selects the virtual host first; a less specific host's routes are never consulted.
  policy::ir::Listener listener;
  listener.routes = {route("any", "*", prefix("/")),
                     route("www", "www.example.com", exact("/only"))};
  auto table = RouteTable::build(listener);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().route("www.example.com", "/other").kind, RouteDecision::Kind::kNoRoute);
  policy::ir::Listener empty;
  EXPECT_EQ(RouteTable::build(empty).value().route("x", "/").kind, RouteDecision::Kind::kNoRoute);
}

TEST(RouteTable, InvalidRegexAndAuthorizationAreErrorsNamingTheRoute) {
  policy::ir::Listener listener;
  listener.routes = {route("r1", "*", regex("/(unclosed"))};
  auto table = RouteTable::build(listener);
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("route r1"), std::string::npos);

  policy::ir::Listener with_authz;
  auto r = route("r2", "*", prefix("/"));
  r.authorization = irAuthz({irRule("Deny", {"10.0.0.0/33"})}, "Allow", "");
  with_authz.routes = {r};
  auto bad = RouteTable::build(with_authz);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("route r2"), std::string::npos);

  r.authorization->rules[0].action = "Maybe";
  r.authorization->rules[0].client_cidrs = {"10.0.0.0/8"};
  with_authz.routes = {r};
  EXPECT_NE(RouteTable::build(with_authz).error().message.find("rules[0].action"),
            std::string::npos);
}

TEST(RouteTable, CompilesEachRoutesAuthorization) {
  // AZ-1..AZ-5 (spec e2e table): two routes with their own SecurityPolicy.
  policy::ir::Listener listener;
  auto p1 = route("p1", "*", exact("/protected1"));
  p1.authorization = irAuthz(
      {irRule("Deny", {"192.168.1.0/24"}), irRule("Allow", {"192.168.1.0/24", "192.168.2.0/24"}),
       irRule("Allow", {"192.168.2.0/24"})},
      "Allow", "default/sp1");
  auto p2 = route("p2", "*", exact("/protected2"));
  p2.authorization =
      irAuthz({irRule("Allow", {"10.0.1.0/24", "10.0.2.0/24"})}, "Deny", "default/sp2");
  listener.routes = {p1, p2, route("open", "*", prefix("/"))};
  auto built = RouteTable::build(listener);
  ASSERT_TRUE(built.ok()) << built.error().message;
  const auto& t = built.value();
  auto decide = [&](std::string_view path, std::string_view ip) {
    auto d = t.route("www.example.com", path);
    const auto* policy = t.authorization(d.index);
    if (policy == nullptr) return std::string("no-policy");
    auto decision = policy->evaluateHttp(*IpAddress::parse(ip), "GET", path);
    return std::string(decision.allowed ? "allow" : "deny");
  };
  EXPECT_EQ(decide("/protected1", "192.168.1.1"), "deny");   // AZ-1
  EXPECT_EQ(decide("/protected1", "192.168.2.1"), "allow");  // AZ-2
  EXPECT_EQ(decide("/protected1", "192.168.3.1"), "allow");  // AZ-3
  EXPECT_EQ(decide("/protected2", "10.0.1.1"), "allow");     // AZ-4
  EXPECT_EQ(decide("/protected2", "192.168.3.1"), "deny");   // AZ-5
  EXPECT_EQ(decide("/elsewhere", "192.168.1.1"), "no-policy");
  EXPECT_EQ(t.authorizationSource(1), "default/sp2");
  EXPECT_EQ(t.authorizationSource(2), "");
}

}  // namespace
}  // namespace ctplab::proxy::router
