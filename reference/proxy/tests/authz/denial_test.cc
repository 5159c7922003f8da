// What a decision turns into: the 403 local reply, the TCP close, counters and the trace line.
#include "ctplab/proxy/authz/denial.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/proxy/authz/authz_policy.h"
#include "ctplab/proxy/authz/authz_stats.h"
#include "ctplab/proxy/authz/trace.h"
#include "test_addresses.h"

namespace ctplab::proxy::authz {
namespace {

using test::ip;

AuthzPolicy examplePolicy() {
  AuthzConfig c;
  c.default_action = Action::kAllow;
  AuthzRule deny;
  deny.name = "deny-192-168-1";
  deny.action = Action::kDeny;
  deny.client_cidrs = {"192.168.1.0/24"};
  AuthzRule allow;
  allow.action = Action::kAllow;
  allow.client_cidrs = {"192.168.1.0/24", "192.168.2.0/24"};
  AuthzRule put;
  put.name = "put-needs-jwt";
  put.action = Action::kAllow;
  put.client_cidrs = {"10.0.0.0/8"};
  put.methods = {"PUT"};
  put.path = PathMatch{PathMatch::Type::kPrefix, "/api"};
  put.unmodelled = {UnmodelledCondition::kJwt, UnmodelledCondition::kHeaders};
  c.rules = {deny, allow, put};
  return std::move(AuthzPolicy::compile(std::move(c))).value();
}

TEST(AuthzDenial, HttpDenyIsA403WithEnvoysBody) {
  const AuthzPolicy p = examplePolicy();
  const auto denial = httpDenial(p.evaluateHttp(ip("192.168.1.1"), "GET", "/protected1"));
  ASSERT_TRUE(denial);
  EXPECT_EQ(denial->head.status, 403);
  EXPECT_EQ(denial->body, "RBAC: access denied");
  EXPECT_EQ(denial->head.headers,
            (http1::HeaderList{{"content-type", "text/plain"}, {"content-length", "19"}}));
  EXPECT_EQ(denial->details, "rbac_access_denied_matched_policy[deny-192-168-1]");
  EXPECT_FALSE(httpDenial(p.evaluateHttp(ip("192.168.2.1"), "GET", "/")));
}

TEST(AuthzDenial, DefaultDenyNamesNoPolicy) {
  const AuthzPolicy p = std::move(AuthzPolicy::compile({})).value();
  const auto denial = httpDenial(p.evaluateHttp(ip("10.0.0.1"), "GET", "/"));
  ASSERT_TRUE(denial);
  EXPECT_EQ(denial->details, "rbac_access_denied_matched_policy[none]");
}

TEST(AuthzDenial, TcpDenyClosesWithoutData) {
  const AuthzPolicy p = examplePolicy();
  EXPECT_EQ(tcpVerdict(p.evaluateTcp(ip("192.168.1.1"))), TcpVerdict::kCloseWithoutData);
  EXPECT_EQ(tcpVerdict(p.evaluateTcp(ip("192.168.2.1"))), TcpVerdict::kForward);
}

TEST(AuthzStats, CountsEveryDecisionUnderEnvoysNames) {
  const AuthzPolicy p = examplePolicy();
  AuthzStats stats;
  for (const char* client : {"192.168.1.1", "192.168.2.1", "192.168.3.1", "10.0.0.1"}) {
    stats.record(p.evaluateHttp(ip(client), "PUT", "/api/x"));
  }
  std::vector<std::pair<std::string, uint64_t>> seen;
  stats.forEach([&](std::string_view name, uint64_t value) { seen.emplace_back(name, value); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, uint64_t>>{{"rbac.allowed", 2},
                                                                 {"rbac.denied", 2}}));
}

TEST(AuthzTrace, SaysWhichRuleAndCidrDecided) {
  const AuthzPolicy p = examplePolicy();
  auto trace = [&](const char* client, const char* method = "GET") {
    const IpAddress a = ip(client);
    return traceLine(p, a, p.evaluateHttp(a, method, "/api/v1"));
  };
  EXPECT_EQ(trace("192.168.1.1"),
            "authz 192.168.1.1: rules[0] \"deny-192-168-1\" (Deny) matched clientCIDR "
            "192.168.1.0/24 -> deny");
  EXPECT_EQ(trace("192.168.2.1"),
            "authz 192.168.2.1: rules[1] (Allow) matched clientCIDR 192.168.2.0/24 -> allow");
  EXPECT_EQ(trace("192.168.3.1"),
            "authz 192.168.3.1: no rule matched, defaultAction Allow -> allow");
  EXPECT_EQ(trace("10.1.1.1", "PUT"),
            "authz 10.1.1.1: rules[2] \"put-needs-jwt\" (Allow) needs jwt,headers (not "
            "evaluated) after clientCIDR 10.0.0.0/8, methods PUT, path prefix /api -> deny "
            "(fail closed)");
  const AuthzPolicy unset = std::move(AuthzPolicy::compile({})).value();
  EXPECT_EQ(traceLine(unset, ip("::1"), unset.evaluateTcp(ip("::1"))),
            "authz ::1: no rule matched, defaultAction Deny (unset) -> deny");
}

}  // namespace
}  // namespace ctplab::proxy::authz
