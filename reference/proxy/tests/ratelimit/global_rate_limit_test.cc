// Global rate limit data plane: which descriptors a request sends, the fixed-window store's
// counts at window edges, and decisions from the service's answer or its failure.
#include "ctplab/proxy/ratelimit/global_rate_limit.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ctplab/proxy/ratelimit/global_rate_limit_stats.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_store.h"
#include "test_addresses.h"

namespace ctplab::proxy::ratelimit {
namespace {

// A minute boundary: 1'780'272'000 is a multiple of 60 (and of 3600).
constexpr TimePoint kMinute = TimePoint::fromUnixSeconds(1'780'272'000);

using test::ip;

http1::RequestHead request(std::string target, http1::HeaderList headers = {}) {
  http1::RequestHead head;
  head.method = "GET";
  head.target = std::move(target);
  head.headers = std::move(headers);
  return head;
}

GlobalRateLimitRule rule(uint32_t requests, Unit unit, ClientSelectors selectors = {}) {
  GlobalRateLimitRule r;
  r.limit = {requests, unit};
  r.selectors = std::move(selectors);
  return r;
}

GlobalRateLimitConfig config(std::vector<GlobalRateLimitRule> rules) {
  GlobalRateLimitSpec spec;
  spec.rules = std::move(rules);
  spec.route_scope = "httproute/default/api/rule/0/match/0";
  spec.shared_scope = "default/limits";
  auto created = GlobalRateLimitConfig::create(spec);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  return std::move(created).value();
}

ClientSelectors perIp(std::string cidr) {
  ClientSelectors s;
  s.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kDistinct, std::move(cidr)};
  return s;
}

ClientSelectors perHeader(std::string name) {
  ClientSelectors s;
  s.headers.push_back({std::move(name), MatchType::kDistinct, "", false});
  return s;
}

TEST(GlobalDescriptors, NoRuleMatchesNoDescriptorsAndNotLimited) {
  ClientSelectors admin;
  admin.path = PathSelector{PathSelector::Type::kPrefix, "/admin", false};
  const auto c = config({rule(1, Unit::kSecond, admin)});
  const auto d = globalDescriptors(c, request("/public"), ip("10.0.0.1"));
  EXPECT_TRUE(d.empty());
  const GlobalDecision decision = decideGlobal(c, d, GlobalCheckReply{true, {}});
  EXPECT_TRUE(decision.allowed);
  EXPECT_FALSE(decision.failed);  // the service was never asked
  http1::HeaderList headers;
  appendGlobalRateLimitHeaders(decision, headers);
  EXPECT_TRUE(headers.empty());
}

TEST(GlobalDescriptors, EveryMatchingRuleIsChecked) {
  const auto c = config({rule(100, Unit::kMinute), rule(5, Unit::kSecond, perIp("10.0.0.0/8")),
                         rule(7, Unit::kHour, perHeader("X-User"))});
  const auto d = globalDescriptors(c, request("/", {{"x-user", "alice"}}), ip("10.1.2.3"));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].key, "httproute/default/api/rule/0/match/0/rule/0");
  EXPECT_EQ(d[1].key, "httproute/default/api/rule/0/match/0/rule/1/remote_address=10.1.2.3");
  EXPECT_EQ(d[2].key, "httproute/default/api/rule/0/match/0/rule/2/header:x-user=alice");
  EXPECT_EQ(d[1].limit, (Limit{5, Unit::kSecond}));
  EXPECT_EQ(d[2].rule, 2u);
  // Outside the CIDR and without the header, only the selector-less rule applies.
  const auto other = globalDescriptors(c, request("/"), ip("192.0.2.1"));
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].rule, 0u);
}

TEST(GlobalDescriptors, SharedRulesUseThePolicyScope) {
  GlobalRateLimitRule shared = rule(10, Unit::kSecond);
  shared.shared = true;
  const auto c = config({shared, rule(10, Unit::kSecond)});
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].key, "default/limits/rule/0");
  EXPECT_EQ(d[1].key, "httproute/default/api/rule/0/match/0/rule/1");
}

TEST(GlobalDescriptors, DistinctValuesAreEscapedSoKeysStayUnambiguous) {
  const auto c = config({rule(1, Unit::kSecond, perHeader("x-user"))});
  const auto a = globalDescriptors(c, request("/", {{"x-user", "a/rule/1"}}), ip("10.0.0.1"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].key, "httproute/default/api/rule/0/match/0/rule/0/header:x-user=a%2Frule%2F1");
}

TEST(GlobalDescriptors, SelectorErrorsUseTheLocalMessages) {
  GlobalRateLimitSpec spec;
  ClientSelectors bad;
  bad.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kExact, "10.0.0.0/33"};
  spec.rules = {rule(1, Unit::kSecond), rule(1, Unit::kSecond, bad)};
  auto created = GlobalRateLimitConfig::create(spec);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().message,
            "rules[1].clientSelectors.sourceCIDR.value: invalid CIDR \"10.0.0.0/33\"");
}

TEST(FixedWindowStore, CountsExactlyWithinAWindowAndResetsAtItsEdge) {
  FixedWindowStore store;
  const std::vector<GlobalDescriptor> d = {{0, "k", {3, Unit::kMinute}, false}};
  const TimePoint t = kMinute + Duration::seconds(59);
  for (uint32_t i = 0; i < 3; ++i) {
    const auto reply = store.hit(d, kMinute + Duration::seconds(i));
    EXPECT_FALSE(reply.statuses[0].over_limit);
    EXPECT_EQ(reply.statuses[0].remaining, 2 - i);
    EXPECT_EQ(reply.statuses[0].reset_seconds, 60 - i);
  }
  const auto fourth = store.hit(d, t);
  EXPECT_TRUE(fourth.statuses[0].over_limit);
  EXPECT_EQ(fourth.statuses[0].remaining, 0u);
  EXPECT_EQ(fourth.statuses[0].reset_seconds, 1);
  // 1 ns before the edge still counts in the old window; at the edge a new one starts.
  EXPECT_TRUE(store.hit(d, kMinute + Duration::seconds(60) - Duration::nanoseconds(1))
                  .statuses[0]
                  .over_limit);
  const auto fresh = store.hit(d, kMinute + Duration::seconds(60));
  EXPECT_FALSE(fresh.statuses[0].over_limit);
  EXPECT_EQ(fresh.statuses[0].remaining, 2u);
  EXPECT_EQ(fresh.statuses[0].reset_seconds, 60);
}

TEST(FixedWindowStore, WindowsAlignToTheUnitNotToTheFirstHit) {
  FixedWindowStore store;
  const std::vector<GlobalDescriptor> d = {{0, "k", {1, Unit::kMinute}, false}};
  EXPECT_FALSE(store.hit(d, kMinute + Duration::seconds(59)).statuses[0].over_limit);
  // Two requests one second apart, in two windows: both allowed (a fixed window's burst).
  const auto next = store.hit(d, kMinute + Duration::seconds(60));
  EXPECT_FALSE(next.statuses[0].over_limit);
  EXPECT_EQ(next.statuses[0].reset_seconds, 60);
}

TEST(FixedWindowStore, DistinctKeysCountSeparatelyAndEndedWindowsAreDropped) {
  FixedWindowStore store;
  const auto c = config({rule(1, Unit::kSecond, perIp("0.0.0.0/0"))});
  const auto a = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  const auto b = globalDescriptors(c, request("/"), ip("10.0.0.2"));
  EXPECT_FALSE(store.hit(a, kMinute).statuses[0].over_limit);
  EXPECT_FALSE(store.hit(b, kMinute).statuses[0].over_limit);
  EXPECT_TRUE(store.hit(a, kMinute).statuses[0].over_limit);
  EXPECT_EQ(store.counters(), 2u);
  // A second later both windows are over: a new hit drops them.
  EXPECT_FALSE(store.hit(a, kMinute + Duration::seconds(1)).statuses[0].over_limit);
  EXPECT_EQ(store.counters(), 1u);
}

TEST(FixedWindowStore, ShadowModeCountsButAnswersOk) {
  FixedWindowStore store;
  const std::vector<GlobalDescriptor> d = {{0, "k", {0, Unit::kSecond}, true}};
  const auto reply = store.hit(d, kMinute);
  EXPECT_FALSE(reply.statuses[0].over_limit);
  EXPECT_TRUE(reply.statuses[0].shadow_limited);
}

TEST(FixedWindowStore, AnswersThroughTheAsynchronousInterface) {
  FixedWindowStore store;
  GlobalRateLimitStore& generic = store;
  const std::vector<GlobalDescriptor> d = {{0, "k", {1, Unit::kSecond}, false}};
  int calls = 0;
  generic.check(d, kMinute, [&](GlobalCheckReply reply) {
    ++calls;
    EXPECT_EQ(reply.statuses.size(), 1u);
  });
  EXPECT_EQ(calls, 1);
}

TEST(GlobalDecision, OverLimitWhenAnyDescriptorIsAndHeadersShowTheLeastRemaining) {
  const auto c = config({rule(100, Unit::kMinute), rule(2, Unit::kSecond, perIp("0.0.0.0/0"))});
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  FixedWindowStore store;
  GlobalRateLimitStats stats;
  std::vector<GlobalDecision> decisions;
  for (int i = 0; i < 3; ++i) {
    decisions.push_back(decideGlobal(c, d, store.hit(d, kMinute + Duration::milliseconds(10))));
    stats.record(decisions.back());
  }
  EXPECT_TRUE(decisions[0].allowed);
  EXPECT_EQ(decisions[0].descriptor, 1);
  EXPECT_EQ(decisions[0].limit, "2, 100;w=60, 2;w=1");
  EXPECT_EQ(decisions[0].remaining, 1u);
  EXPECT_EQ(decisions[0].reset_seconds, 1);
  EXPECT_TRUE(decisions[1].allowed);
  EXPECT_FALSE(decisions[2].allowed);
  EXPECT_EQ(decisions[2].status, 429);
  EXPECT_EQ(stats.ok, 2u);
  EXPECT_EQ(stats.over_limit, 1u);

  const auto reply = globalLimitedReply(decisions[2]);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->head.status, 429);
  EXPECT_TRUE(reply->body.empty());
  const http1::HeaderList expected = {{"content-length", "0"},
                                      {"x-envoy-ratelimited", "true"},
                                      {"x-ratelimit-limit", "2, 100;w=60, 2;w=1"},
                                      {"x-ratelimit-remaining", "0"},
                                      {"x-ratelimit-reset", "1"}};
  ASSERT_EQ(reply->head.headers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(reply->head.headers[i].name, expected[i].name);
    EXPECT_EQ(reply->head.headers[i].value, expected[i].value);
  }
  EXPECT_FALSE(globalLimitedReply(decisions[0]).has_value());
}

TEST(GlobalDecision, ServiceFailureFailsOpenAndIsCounted) {
  const auto c = config({rule(1, Unit::kSecond)});
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  GlobalRateLimitStats stats;
  const GlobalDecision decision = decideGlobal(c, d, GlobalCheckReply{true, {}});
  stats.record(decision);
  EXPECT_TRUE(decision.allowed);
  EXPECT_TRUE(decision.failed_open);
  EXPECT_EQ(stats.error, 1u);
  EXPECT_EQ(stats.failure_mode_allowed, 1u);
  http1::HeaderList headers;
  appendGlobalRateLimitHeaders(decision, headers);
  EXPECT_TRUE(headers.empty());
}

TEST(GlobalDecision, FailClosedAnswers500) {
  GlobalRateLimitSpec spec;
  spec.rules = {rule(1, Unit::kSecond)};
  spec.fail_closed = true;
  const auto c = GlobalRateLimitConfig::create(spec).value();
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  const GlobalDecision decision = decideGlobal(c, d, GlobalCheckReply{true, {}});
  EXPECT_FALSE(decision.allowed);
  EXPECT_FALSE(decision.failed_open);
  const auto reply = globalLimitedReply(decision);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->head.status, 500);
}

TEST(GlobalDecision, HeadersCanBeDisabled) {
  GlobalRateLimitSpec spec;
  spec.rules = {rule(5, Unit::kSecond)};
  spec.disable_rate_limit_headers = true;
  const auto c = GlobalRateLimitConfig::create(spec).value();
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  FixedWindowStore store;
  const GlobalDecision decision = decideGlobal(c, d, store.hit(d, kMinute));
  http1::HeaderList headers;
  appendGlobalRateLimitHeaders(decision, headers);
  EXPECT_TRUE(headers.empty());
}

TEST(GlobalDecision, ShadowModeNeverLimits) {
  GlobalRateLimitRule shadow = rule(0, Unit::kSecond);
  shadow.shadow_mode = true;
  const auto c = config({shadow});
  const auto d = globalDescriptors(c, request("/"), ip("10.0.0.1"));
  FixedWindowStore store;
  const GlobalDecision decision = decideGlobal(c, d, store.hit(d, kMinute));
  EXPECT_TRUE(decision.allowed);
  EXPECT_TRUE(decision.shadow_limited);
}

}  // namespace
}  // namespace ctplab::proxy::ratelimit
