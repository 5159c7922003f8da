// First-match-wins IP allow/deny lists (spec 5.1) and the upstream e2e shapes AZ-1..AZ-8, TCPZ-1.
#include "ctplab/proxy/authz/authz_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_addresses.h"

namespace ctplab::proxy::authz {
namespace {

using test::ip;

AuthzRule rule(std::string name, Action action, std::vector<std::string> cidrs) {
  AuthzRule r;
  r.name = std::move(name);
  r.action = action;
  r.client_cidrs = std::move(cidrs);
  return r;
}

AuthzPolicy compileOk(AuthzConfig config) {
  auto result = AuthzPolicy::compile(std::move(config));
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return std::move(result).value();
}

// The route /protected1 policy of AZ-1..AZ-3, the spec's worked example.
AuthzConfig workedExample() {
  AuthzConfig c;
  c.default_action = Action::kAllow;
  c.rules = {rule("deny-192-168-1", Action::kDeny, {"192.168.1.0/24"}),
             rule("allow-both", Action::kAllow, {"192.168.1.0/24", "192.168.2.0/24"}),
             rule("allow-192-168-2", Action::kAllow, {"192.168.2.0/24"})};
  return c;
}

TEST(AuthzPolicy, WorkedExampleFirstMatchingRuleDecides) {
  const AuthzPolicy p = compileOk(workedExample());
  // AZ-1: the deny rule comes first, although the next rule allows the same range.
  Decision d = p.evaluateHttp(ip("192.168.1.1"), "GET", "/protected1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, DecidedBy::kRule);
  EXPECT_EQ(d.rule, 0u);
  EXPECT_EQ(d.rule_name, "deny-192-168-1");
  // AZ-2: rule 1, not rule 2.
  d = p.evaluateHttp(ip("192.168.2.1"), "GET", "/protected1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, 1u);
  EXPECT_EQ(d.rule_name, "allow-both");
  // AZ-3: no rule, default Allow.
  d = p.evaluateHttp(ip("192.168.3.1"), "GET", "/protected1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, DecidedBy::kDefaultAction);
  EXPECT_FALSE(d.rule);
  EXPECT_TRUE(d.rule_name.empty());
}

TEST(AuthzPolicy, DefaultDenyWithAllowList) {
  AuthzConfig c;  // AZ-4/AZ-5: route /protected2
  c.default_action = Action::kDeny;
  c.rules = {rule("allow-10", Action::kAllow, {"10.0.1.0/24", "10.0.2.0/24"})};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_TRUE(p.evaluateHttp(ip("10.0.1.1"), "GET", "/protected2").allowed);
  EXPECT_TRUE(p.evaluateHttp(ip("10.0.2.255"), "GET", "/protected2").allowed);
  const Decision d = p.evaluateHttp(ip("192.168.3.1"), "GET", "/protected2");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, DecidedBy::kDefaultAction);
  EXPECT_FALSE(p.evaluateHttp(ip("10.0.3.1"), "GET", "/protected2").allowed);
}

TEST(AuthzPolicy, DetectedClientIpsOfTheTrustedCidrCases) {
  // AZ-6..AZ-8: the policy sees the address client-IP detection chose, never the peer.
  AuthzConfig c;
  c.default_action = Action::kAllow;
  c.rules = {rule("deny-192-168-1", Action::kDeny, {"192.168.1.0/24"})};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_TRUE(p.evaluateHttp(ip("192.168.2.1"), "GET", "/protected1").allowed);   // AZ-6, AZ-7
  EXPECT_FALSE(p.evaluateHttp(ip("192.168.1.1"), "GET", "/protected1").allowed);  // AZ-8
}

TEST(AuthzPolicy, TcpRoutePolicies) {
  // TCPZ-1: default Deny with one allowed /24, and a route open to everyone of both families.
  AuthzConfig narrow;
  narrow.default_action = Action::kDeny;
  narrow.rules = {rule("allow-254", Action::kAllow, {"192.168.254.0/24"})};
  const AuthzPolicy p = compileOk(std::move(narrow));
  EXPECT_TRUE(p.evaluateTcp(ip("192.168.254.17")).allowed);
  EXPECT_FALSE(p.evaluateTcp(ip("10.244.0.5")).allowed);
  EXPECT_FALSE(p.evaluateTcp(ip("fd00::5")).allowed);

  AuthzConfig open;
  open.default_action = Action::kDeny;
  open.rules = {rule("allow-all", Action::kAllow, {"0.0.0.0/0", "::/0"})};
  const AuthzPolicy q = compileOk(std::move(open));
  EXPECT_TRUE(q.evaluateTcp(ip("10.244.0.5")).allowed);
  EXPECT_TRUE(q.evaluateTcp(ip("fd00::5")).allowed);
  EXPECT_TRUE(q.evaluateTcp(ip("255.255.255.255")).allowed);
}

TEST(AuthzPolicy, NoRulesFollowTheDefaultAction) {
  const AuthzPolicy none = compileOk({});
  EXPECT_EQ(none.defaultAction(), Action::kDeny);
  EXPECT_FALSE(none.evaluateHttp(ip("10.0.0.1"), "GET", "/").allowed);
  EXPECT_FALSE(none.evaluateTcp(ip("::1")).allowed);
  AuthzConfig allow;
  allow.default_action = Action::kAllow;
  const AuthzPolicy open = compileOk(std::move(allow));
  EXPECT_TRUE(open.evaluateTcp(ip("::1")).allowed);
}

TEST(AuthzPolicy, Ipv6AndFamilies) {
  AuthzConfig c;
  c.default_action = Action::kAllow;
  c.rules = {rule("deny-doc", Action::kDeny, {"2001:db8::/32"}),
             rule("allow-host", Action::kAllow, {"2001:db8::1/128"}),
             rule("deny-v4", Action::kDeny, {"0.0.0.0/0"})};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_EQ(p.evaluateTcp(ip("2001:db8::1")).rule, 0u);  // the earlier, wider rule wins
  EXPECT_TRUE(p.evaluateTcp(ip("2001:db9::1")).allowed);
  EXPECT_EQ(p.evaluateTcp(ip("203.0.113.9")).rule, 2u);
  // An IPv4-mapped address is IPv6: the IPv4 /0 does not contain it.
  const Decision mapped = p.evaluateTcp(ip("::ffff:203.0.113.9"));
  EXPECT_TRUE(mapped.allowed);
  EXPECT_EQ(mapped.decided_by, DecidedBy::kDefaultAction);
}

TEST(AuthzPolicy, OperationConditionsNeedBothIpAndRequest) {
  AuthzConfig c;
  c.default_action = Action::kAllow;
  AuthzRule admin = rule("deny-admin-writes", Action::kDeny, {"10.0.0.0/8"});
  admin.methods = {"POST", "DELETE"};
  admin.path = PathMatch{PathMatch::Type::kPrefix, "/admin"};
  AuthzRule exact = rule("deny-login", Action::kDeny, {});
  exact.path = PathMatch{PathMatch::Type::kExact, "/login"};
  exact.client_cidrs = {"0.0.0.0/0"};
  c.rules = {admin, exact, rule("allow-10-1", Action::kAllow, {"10.1.0.0/16"}),
             rule("deny-10", Action::kDeny, {"10.0.0.0/8"})};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "POST", "/admin/users").rule, 0u);
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "POST", "/admin?a=b").rule, 0u);
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "POST", "/adminx").rule, 2u);      // whole segments
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "GET", "/admin/users").rule, 2u);  // method differs
  EXPECT_EQ(p.evaluateHttp(ip("10.2.2.3"), "GET", "/admin/users").rule, 3u);
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "GET", "/login?next=/").rule, 1u);  // query ignored
  EXPECT_EQ(p.evaluateHttp(ip("10.1.2.3"), "GET", "/login/").rule, 2u);
  EXPECT_EQ(p.evaluateHttp(ip("11.0.0.1"), "POST", "/admin").decided_by, DecidedBy::kDefaultAction);
  EXPECT_EQ(p.evaluateHttp(ip("11.0.0.1"), "GET", "/login").rule, 1u);
  // A connection has no method or path: operation rules never match it.
  EXPECT_EQ(p.evaluateTcp(ip("10.1.2.3")).rule, 2u);
  EXPECT_EQ(p.evaluateTcp(ip("11.0.0.1")).decided_by, DecidedBy::kDefaultAction);
}

TEST(AuthzPolicy, PathTypesFollowTheRbacMatcher) {
  auto decide = [](PathMatch path, std::string_view request_path) {
    AuthzConfig c;
    c.default_action = Action::kAllow;
    AuthzRule r = rule("r", Action::kDeny, {"0.0.0.0/0"});
    r.path = std::move(path);
    c.rules = {r};
    return compileOk(std::move(c)).evaluateHttp(ip("192.0.2.1"), "GET", request_path).allowed;
  };
  using T = PathMatch::Type;
  EXPECT_FALSE(decide({T::kExact, "/login"}, "/login;jsessionid=1"));
  EXPECT_FALSE(decide({T::kExact, "/login"}, "/login#top"));
  EXPECT_TRUE(decide({T::kExact, "/login"}, "/login2"));
  EXPECT_FALSE(decide({T::kPrefix, "/api/"}, "/api"));
  EXPECT_FALSE(decide({T::kPrefix, "/"}, "/anything"));
  EXPECT_FALSE(decide({T::kRegex, "/v[0-9]+/.*"}, "/v2/users"));
  EXPECT_TRUE(decide({T::kRegex, "/v[0-9]+/.*"}, "/x/v2/users"));  // a full match
  EXPECT_TRUE(decide({T::kRegex, "/v[0-9]+"}, "/v2?debug=1"));     // the query is part of :path
  EXPECT_TRUE(decide({T::kPrefix, "/api", true}, "/api/x"));       // inverted
  EXPECT_FALSE(decide({T::kPrefix, "/api", true}, "/other"));
  AuthzConfig bad;
  AuthzRule r = rule("r", Action::kDeny, {"0.0.0.0/0"});
  r.path = PathMatch{T::kRegex, "(unclosed"};
  bad.rules = {r};
  auto compiled = AuthzPolicy::compile(std::move(bad));
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().message.find("rules[0].operation.path.value: invalid regular"),
            std::string::npos);
}

TEST(AuthzPolicy, UnmodelledConditionsFailClosedOnlyWhenTheyCouldDecide) {
  AuthzConfig c;
  c.default_action = Action::kAllow;
  AuthzRule jwt = rule("allow-admins", Action::kAllow, {"10.0.0.0/8"});
  jwt.unmodelled = {UnmodelledCondition::kJwt};
  AuthzRule headers = rule("deny-bots", Action::kDeny, {});
  headers.unmodelled = {UnmodelledCondition::kHeaders};
  headers.methods = {"PUT"};
  c.rules = {rule("allow-10-1", Action::kAllow, {"10.1.0.0/16"}), jwt, headers};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_EQ(p.evaluateHttp(ip("10.1.0.1"), "GET", "/").rule, 0u);  // decided before rule 1
  const Decision d = p.evaluateHttp(ip("10.2.0.1"), "GET", "/");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, DecidedBy::kUnmodelledRule);
  EXPECT_EQ(d.rule, 1u);
  EXPECT_TRUE(p.evaluateHttp(ip("192.0.2.1"), "GET", "/").allowed);  // rule 2 needs PUT
  EXPECT_EQ(p.evaluateHttp(ip("192.0.2.1"), "PUT", "/").rule, 2u);
  EXPECT_EQ(p.evaluateHttp(ip("192.0.2.1"), "PUT", "/").decided_by, DecidedBy::kUnmodelledRule);
  // Even an Allow rule denies: the reference cannot tell whether it would have matched.
  EXPECT_FALSE(p.evaluateTcp(ip("10.9.9.9")).allowed);
}

TEST(AuthzPolicy, CompileErrorsNameTheField) {
  auto expectError = [](AuthzConfig c, const std::string& message) {
    auto r = AuthzPolicy::compile(std::move(c));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, message);
  };
  AuthzConfig bad_cidr;
  bad_cidr.rules = {rule("a", Action::kAllow, {"10.0.0.0/8"}),
                    rule("b", Action::kAllow, {"10.0.0.0/8", "10.0.0.0/33"})};
  expectError(bad_cidr, "rules[1].principal.clientCIDRs[1]: invalid CIDR \"10.0.0.0/33\"");
  AuthzConfig no_principal;
  no_principal.rules = {rule("a", Action::kAllow, {})};
  no_principal.rules[0].methods = {"GET"};
  expectError(no_principal, "rules[0]: at least one of principal or cel must be specified");
  AuthzConfig methods;
  methods.rules = {rule("a", Action::kAllow, {"::/0"})};
  methods.rules[0].methods.assign(17, "GET");
  expectError(methods, "rules[0].operation.methods: must have at most 16 items");
  methods.rules[0].methods = {""};
  expectError(methods, "rules[0].operation.methods: empty method");
  AuthzConfig long_name;
  long_name.rules = {rule(std::string(254, 'n'), Action::kAllow, {"::/0"})};
  expectError(long_name, "rules[0].name: must be at most 253 characters");
}

TEST(AuthzPolicy, BareAddressesAreHostRoutes) {
  AuthzConfig c;
  c.rules = {rule("one", Action::kAllow, {"192.0.2.7", "2001:db8::7"})};
  const AuthzPolicy p = compileOk(std::move(c));
  EXPECT_TRUE(p.evaluateTcp(ip("192.0.2.7")).allowed);
  EXPECT_FALSE(p.evaluateTcp(ip("192.0.2.8")).allowed);
  EXPECT_TRUE(p.evaluateTcp(ip("2001:db8::7")).allowed);
  EXPECT_EQ(p.ruleCidrs(0)[0].toString(), "192.0.2.7/32");
}

}  // namespace
}  // namespace ctplab::proxy::authz
