// Bucket selection, consumption, replies and counters of the local rate limit filter (spec 5.3),
// driven by explicit instants.
#include "ctplab/proxy/ratelimit/local_rate_limiter.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ctplab/proxy/ratelimit/ratelimit_stats.h"
#include "test_addresses.h"

namespace ctplab::proxy::ratelimit {
namespace {

constexpr TimePoint kT0 = TimePoint::fromUnixSeconds(5000);

using test::ip;

http1::RequestHead request(std::string method, std::string target, http1::HeaderList headers = {}) {
  http1::RequestHead head;
  head.method = std::move(method);
  head.target = std::move(target);
  head.headers = std::move(headers);
  return head;
}

LocalRateLimitRule rule(uint32_t requests, Unit unit) {
  LocalRateLimitRule r;
  r.limit = {requests, unit};
  return r;
}

LocalRateLimiter limiter(LocalRateLimitSpec spec,
                         size_t max_distinct = LocalRateLimiter::kDefaultMaxDistinctBuckets) {
  auto config = LocalRateLimitConfig::create(spec);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
  return LocalRateLimiter(std::make_shared<const LocalRateLimitConfig>(std::move(config).value()),
                          max_distinct);
}

LocalRateLimitSpec oneRule(LocalRateLimitRule r) {
  LocalRateLimitSpec spec;
  spec.rules = {std::move(r)};
  return spec;
}

const http1::RequestHead kGet = request("GET", "/");

TEST(LocalRateLimit, DistinctSourceCidrGivesEachClientItsOwnBucket) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kDistinct, "0.0.0.0/0"};
  LocalRateLimiter rl = limiter(oneRule(r));
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("10.0.0.1")).allowed);
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("10.0.0.2")).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, ip("10.0.0.1")).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, ip("10.0.0.2")).allowed);
  EXPECT_EQ(rl.distinctBuckets(), 2u);
  // An IPv6 client is outside the IPv4 range: it uses the (unlimited) default bucket.
  const Decision v6 = rl.decide(kT0, kGet, ip("2001:db8::1"));
  EXPECT_TRUE(v6.allowed);
  EXPECT_EQ(v6.rule, Decision::kDefaultBucket);
}

TEST(LocalRateLimit, DistinctIpv6Clients) {
  LocalRateLimitRule r = rule(1, Unit::kMinute);
  r.selectors.source_cidr =
      SourceCidrSelector{SourceCidrSelector::Type::kDistinct, "2001:db8::/32"};
  LocalRateLimiter rl = limiter(oneRule(r));
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("2001:db8::1")).allowed);
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("2001:db8::2")).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, ip("2001:db8::1")).allowed);
  EXPECT_EQ(rl.decide(kT0, kGet, ip("2001:db9::1")).rule, Decision::kDefaultBucket);
}

TEST(LocalRateLimit, ExactSourceCidrSharesOneBucketForTheRange) {
  LocalRateLimitRule r = rule(2, Unit::kHour);
  r.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kExact, "192.168.0.0/16"};
  LocalRateLimiter rl = limiter(oneRule(r));
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("192.168.1.1")).allowed);
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("192.168.2.2")).allowed);
  const Decision third = rl.decide(kT0, kGet, ip("192.168.3.3"));
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.rule, 0);
  EXPECT_TRUE(rl.decide(kT0, kGet, ip("10.1.1.1")).allowed);
  EXPECT_EQ(rl.distinctBuckets(), 0u);
}

TEST(LocalRateLimit, DistinctHeaderBucketsPerValueAndAbsentHeaderFallsToDefault) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.headers = {{"x-user-id", MatchType::kDistinct, "", false}};
  LocalRateLimitSpec spec = oneRule(r);
  spec.rules.push_back(rule(1, Unit::kHour));  // default bucket
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  EXPECT_TRUE(rl.decide(kT0, request("GET", "/", {{"X-User-Id", "one"}}), c).allowed);
  EXPECT_TRUE(rl.decide(kT0, request("GET", "/", {{"x-user-id", "two"}}), c).allowed);
  EXPECT_FALSE(rl.decide(kT0, request("GET", "/", {{"x-user-id", "one"}}), c).allowed);
  // Only the first line of a repeated header names the bucket.
  EXPECT_FALSE(
      rl.decide(kT0, request("GET", "/", {{"x-user-id", "two"}, {"x-user-id", "three"}}), c)
          .allowed);
  const Decision none = rl.decide(kT0, kGet, c);
  EXPECT_TRUE(none.allowed);
  EXPECT_EQ(none.rule, Decision::kDefaultBucket);
  EXPECT_FALSE(rl.decide(kT0, kGet, c).allowed);
}

TEST(LocalRateLimit, HeaderExactRegexAndInvert) {
  LocalRateLimitRule exact = rule(1, Unit::kHour);
  exact.selectors.headers = {{"x-tier", MatchType::kExact, "free", false}};
  LocalRateLimitRule regex = rule(1, Unit::kHour);
  regex.selectors.headers = {{"x-org", MatchType::kRegex, "team-[0-9]+", false}};
  LocalRateLimitRule invert = rule(1, Unit::kHour);
  invert.selectors.headers = {{"x-vip", MatchType::kExact, "yes", true}};
  LocalRateLimitSpec spec;
  spec.rules = {exact, regex, invert};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  const http1::HeaderList vip = {{"x-vip", "yes"}};
  auto ruleOf = [&](http1::HeaderList headers) {
    headers.push_back({"x-vip", "yes"});  // keeps the inverted rule out unless a test drops it
    return rl.decide(kT0, request("GET", "/", std::move(headers)), c).rule;
  };
  EXPECT_EQ(ruleOf({{"X-Tier", "free"}}), 0);
  EXPECT_EQ(ruleOf({{"x-tier", "Free"}}), Decision::kDefaultBucket);  // values are exact
  EXPECT_EQ(ruleOf({{"x-org", "team-42"}}), 1);
  EXPECT_EQ(ruleOf({{"x-org", "team-42x"}}), Decision::kDefaultBucket);  // full match only
  // Repeated lines are read as one comma-joined value by Envoy's header matcher.
  EXPECT_EQ(ruleOf({{"x-org", "team-1"}, {"x-org", "team-2"}}), Decision::kDefaultBucket);
  // Inverted: any request without x-vip: yes, including one without the header at all.
  EXPECT_EQ(rl.decide(kT0, request("GET", "/", {{"x-vip", "no"}}), c).rule, 2);
  EXPECT_EQ(rl.decide(kT0, kGet, c).rule, 2);
  EXPECT_EQ(rl.decide(kT0, request("GET", "/", vip), c).rule, Decision::kDefaultBucket);
}

TEST(LocalRateLimit, AllSelectorsOfARuleMustHold) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.headers = {{"x-tier", MatchType::kExact, "free", false}};
  r.selectors.methods = {"POST"};
  r.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kExact, "10.0.0.0/8"};
  LocalRateLimiter rl = limiter(oneRule(r));
  const http1::HeaderList free = {{"x-tier", "free"}};
  EXPECT_EQ(rl.decide(kT0, request("GET", "/", free), ip("10.0.0.1")).rule,
            Decision::kDefaultBucket);
  EXPECT_EQ(rl.decide(kT0, request("POST", "/", free), ip("11.0.0.1")).rule,
            Decision::kDefaultBucket);
  EXPECT_EQ(rl.decide(kT0, request("POST", "/"), ip("10.0.0.1")).rule, Decision::kDefaultBucket);
  EXPECT_EQ(rl.decide(kT0, request("POST", "/", free), ip("10.0.0.1")).rule, 0);
}

TEST(LocalRateLimit, MethodsAreAlternativesSharingOneBucket) {
  LocalRateLimitRule r = rule(2, Unit::kHour);
  r.selectors.methods = {"GET", "POST"};
  LocalRateLimiter rl = limiter(oneRule(r));
  const IpAddress c = ip("10.0.0.1");
  EXPECT_TRUE(rl.decide(kT0, request("GET", "/"), c).allowed);
  EXPECT_TRUE(rl.decide(kT0, request("POST", "/"), c).allowed);
  EXPECT_FALSE(rl.decide(kT0, request("GET", "/"), c).allowed);
  EXPECT_EQ(rl.decide(kT0, request("PUT", "/"), c).rule, Decision::kDefaultBucket);
  EXPECT_EQ(rl.decide(kT0, request("get", "/"), c).rule, Decision::kDefaultBucket);
}

TEST(LocalRateLimit, PathMatchesTheWholePathWithQuery) {
  auto pathRule = [](PathSelector::Type type, std::string value, bool invert = false) {
    LocalRateLimitRule r = rule(100, Unit::kHour);
    r.selectors.path = PathSelector{type, std::move(value), invert};
    return r;
  };
  LocalRateLimitSpec spec;
  spec.rules = {pathRule(PathSelector::Type::kExact, "/login"),
                pathRule(PathSelector::Type::kPrefix, "/api"),
                pathRule(PathSelector::Type::kRegex, "/v[0-9]+/.*")};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  auto ruleOf = [&](const char* target) { return rl.decide(kT0, request("GET", target), c).rule; };
  EXPECT_EQ(ruleOf("/login"), 0);
  EXPECT_EQ(ruleOf("/login?next=/"), Decision::kDefaultBucket);
  EXPECT_EQ(ruleOf("/api/users"), 1);
  EXPECT_EQ(ruleOf("/apiary"), 1);  // a string prefix, not whole segments
  EXPECT_EQ(ruleOf("/v2/items?id=3"), 2);
  EXPECT_EQ(ruleOf("/x/v2/items"), Decision::kDefaultBucket);

  LocalRateLimiter inverted =
      limiter(oneRule(pathRule(PathSelector::Type::kPrefix, "/health", true)));
  EXPECT_EQ(inverted.decide(kT0, request("GET", "/healthz"), c).rule, Decision::kDefaultBucket);
  EXPECT_EQ(inverted.decide(kT0, request("GET", "/orders"), c).rule, 0);
}

TEST(LocalRateLimit, QueryParamsExactAndDistinct) {
  LocalRateLimitRule exact = rule(1, Unit::kHour);
  exact.selectors.query_params = {{"plan", MatchType::kExact, "free", false}};
  LocalRateLimitRule distinct = rule(1, Unit::kHour);
  distinct.selectors.query_params = {{"key", MatchType::kDistinct, "", false}};
  LocalRateLimitSpec spec;
  spec.rules = {exact, distinct};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  auto decide = [&](const char* target) { return rl.decide(kT0, request("GET", target), c); };
  EXPECT_EQ(decide("/p?plan=free").rule, 0);
  EXPECT_EQ(decide("/p?x=1&plan=free#frag").rule, 0);
  EXPECT_EQ(decide("/p?plan=paid").rule, Decision::kDefaultBucket);
  EXPECT_EQ(decide("/p?plan").rule, Decision::kDefaultBucket);
  EXPECT_TRUE(decide("/p?key=a").allowed);
  EXPECT_TRUE(decide("/p?key=b").allowed);
  EXPECT_FALSE(decide("/p?key=a").allowed);
  EXPECT_EQ(decide("/p?keys=a").rule, Decision::kDefaultBucket);
}

TEST(LocalRateLimit, StrictestMatchedBucketLimitsAndStopsConsumption) {
  LocalRateLimitRule loose = rule(10, Unit::kSecond);
  loose.selectors.methods = {"GET"};
  LocalRateLimitRule strict = rule(2, Unit::kSecond);
  strict.selectors.headers = {{"x-b", MatchType::kExact, "1", false}};
  LocalRateLimitSpec spec;
  spec.rules = {loose, strict};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  const http1::RequestHead both = request("GET", "/", {{"x-b", "1"}});
  const Decision first = rl.decide(kT0, both, c);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.rule, 1);  // the headers describe the strictest bucket
  EXPECT_EQ(first.limit, 2u);
  EXPECT_TRUE(rl.decide(kT0, both, c).allowed);
  const Decision third = rl.decide(kT0, both, c);
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.rule, 1);
  // Both allowed requests took a token from the loose bucket too; the limited one did not.
  const Decision loose_only = rl.decide(kT0, request("GET", "/"), c);
  EXPECT_EQ(loose_only.rule, 0);
  EXPECT_EQ(loose_only.remaining, 7u);
}

TEST(LocalRateLimit, StrictnessComparesRatesAcrossUnits) {
  LocalRateLimitRule per_minute = rule(30, Unit::kMinute);  // 0.5 per second
  per_minute.selectors.methods = {"GET"};
  LocalRateLimitRule per_second = rule(1, Unit::kSecond);
  per_second.selectors.methods = {"GET"};
  LocalRateLimitSpec spec;
  spec.rules = {per_second, per_minute};
  LocalRateLimiter rl = limiter(spec);
  EXPECT_EQ(rl.decide(kT0, kGet, ip("10.0.0.1")).rule, 1);
}

TEST(LocalRateLimit, RuleMatchesDoNotConsumeTheDefaultBucket) {
  LocalRateLimitRule gets = rule(5, Unit::kSecond);
  gets.selectors.methods = {"GET"};
  LocalRateLimitSpec spec;
  spec.rules = {rule(2, Unit::kSecond), gets};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(rl.decide(kT0, kGet, c).allowed) << i;
  EXPECT_FALSE(rl.decide(kT0, kGet, c).allowed);
  const http1::RequestHead post = request("POST", "/");
  EXPECT_TRUE(rl.decide(kT0, post, c).allowed);
  const Decision second = rl.decide(kT0, post, c);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.remaining, 0u);
  EXPECT_FALSE(rl.decide(kT0, post, c).allowed);
  // Continuous refill: half a second later one of the two default tokens is back.
  EXPECT_TRUE(rl.decide(kT0 + Duration::milliseconds(500), post, c).allowed);
  EXPECT_FALSE(rl.decide(kT0 + Duration::milliseconds(500), post, c).allowed);
}

TEST(LocalRateLimit, ZeroRequestsAlwaysLimits) {
  LocalRateLimitRule r = rule(0, Unit::kSecond);
  r.selectors.methods = {"DELETE"};
  LocalRateLimitSpec spec;
  spec.rules = {r, rule(0, Unit::kSecond)};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  for (int s = 0; s < 3; ++s) {
    const TimePoint now = kT0 + Duration::seconds(s * 100);
    const Decision del = rl.decide(now, request("DELETE", "/"), c);
    EXPECT_FALSE(del.allowed);
    EXPECT_EQ(del.limit, 0u);
    EXPECT_EQ(del.reset_seconds, 1);
    EXPECT_FALSE(rl.decide(now, kGet, c).allowed);
  }
}

TEST(LocalRateLimit, HeaderValuesOnAllowedAndLimitedResponses) {
  LocalRateLimitRule r = rule(2, Unit::kMinute);  // a token every 30 s
  r.selectors.methods = {"GET"};
  LocalRateLimiter rl = limiter(oneRule(r));
  const IpAddress c = ip("10.0.0.1");

  http1::HeaderList headers;
  appendRateLimitHeaders(rl.decide(kT0, kGet, c), headers);
  EXPECT_EQ(headers, (http1::HeaderList{{"x-ratelimit-limit", "2"},
                                        {"x-ratelimit-remaining", "1"},
                                        {"x-ratelimit-reset", "0"}}));
  const Decision second = rl.decide(kT0, kGet, c);
  EXPECT_EQ(second.remaining, 0u);
  EXPECT_EQ(second.reset_seconds, 30);
  const Decision limited = rl.decide(kT0 + Duration::milliseconds(10'500), kGet, c);
  EXPECT_FALSE(limited.allowed);
  EXPECT_EQ(limited.remaining, 0u);
  EXPECT_EQ(limited.reset_seconds, 19);  // 19.5 s, truncated to whole seconds as Envoy does

  auto reply = limitedReply(limited, rl.config());
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->head.status, 429);
  EXPECT_EQ(reply->body, "local_rate_limited");
  EXPECT_EQ(reply->head.headers, (http1::HeaderList{{"content-type", "text/plain"},
                                                    {"content-length", "18"},
                                                    {"x-envoy-ratelimited", "true"},
                                                    {"x-ratelimit-limit", "2"},
                                                    {"x-ratelimit-remaining", "0"},
                                                    {"x-ratelimit-reset", "19"}}));
  EXPECT_FALSE(limitedReply(second, rl.config()).has_value());

  // Requests matching no rule report the default bucket.
  const Decision other = rl.decide(kT0, request("POST", "/"), c);
  EXPECT_EQ(other.limit, 4294967295u);
  EXPECT_EQ(other.remaining, 4294967294u);
  EXPECT_EQ(other.reset_seconds, 0);
}

TEST(LocalRateLimit, DisabledHeadersAndPerRuleOverride) {
  LocalRateLimitRule plain = rule(1, Unit::kHour);
  plain.selectors.methods = {"GET"};
  LocalRateLimitRule forced_on = rule(1, Unit::kHour);
  forced_on.selectors.methods = {"POST"};
  forced_on.rate_limit_headers = true;
  LocalRateLimitSpec spec;
  spec.rules = {plain, forced_on};
  spec.disable_rate_limit_headers = true;
  spec.envoy_ratelimited_header = false;
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");

  rl.decide(kT0, kGet, c);
  const Decision limited = rl.decide(kT0, kGet, c);
  EXPECT_FALSE(limited.rate_limit_headers);
  http1::HeaderList headers;
  appendRateLimitHeaders(limited, headers);
  EXPECT_TRUE(headers.empty());
  EXPECT_EQ(limitedReply(limited, rl.config())->head.headers,
            (http1::HeaderList{{"content-type", "text/plain"}, {"content-length", "18"}}));

  EXPECT_TRUE(rl.decide(kT0, request("POST", "/"), c).rate_limit_headers);
  EXPECT_FALSE(rl.decide(kT0, request("PUT", "/"), c).rate_limit_headers);

  LocalRateLimitRule forced_off = rule(1, Unit::kHour);
  forced_off.selectors.methods = {"GET"};
  forced_off.rate_limit_headers = false;
  LocalRateLimiter enabled = limiter(oneRule(forced_off));
  EXPECT_FALSE(enabled.decide(kT0, kGet, c).rate_limit_headers);
  EXPECT_TRUE(enabled.decide(kT0, request("PUT", "/"), c).rate_limit_headers);
}

TEST(LocalRateLimit, ShadowModeCountsButAllows) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.methods = {"GET"};
  r.shadow_mode = true;
  LocalRateLimiter rl = limiter(oneRule(r));
  RateLimitStats stats;
  const IpAddress c = ip("10.0.0.1");
  for (int i = 0; i < 3; ++i) {
    const Decision d = rl.decide(kT0, kGet, c);
    stats.record(d);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.shadow_limited, i > 0);
    EXPECT_FALSE(limitedReply(d, rl.config()).has_value());
  }
  EXPECT_EQ(stats.enabled, 3u);
  EXPECT_EQ(stats.ok, 1u);
  EXPECT_EQ(stats.rate_limited, 2u);
  EXPECT_EQ(stats.enforced, 0u);
}

TEST(LocalRateLimit, ShadowBucketDoesNotHideAnEnforcedOne) {
  LocalRateLimitRule shadow = rule(1, Unit::kHour);
  shadow.selectors.methods = {"GET"};
  shadow.shadow_mode = true;
  LocalRateLimitRule enforced = rule(2, Unit::kHour);
  enforced.selectors.methods = {"GET"};
  LocalRateLimitSpec spec;
  spec.rules = {shadow, enforced};
  LocalRateLimiter rl = limiter(spec);
  const IpAddress c = ip("10.0.0.1");
  EXPECT_TRUE(rl.decide(kT0, kGet, c).allowed);
  const Decision second = rl.decide(kT0, kGet, c);
  EXPECT_TRUE(second.allowed);
  EXPECT_TRUE(second.shadow_limited);
  EXPECT_EQ(second.rule, 0);
  const Decision third = rl.decide(kT0, kGet, c);
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.rule, 1);
}

TEST(LocalRateLimit, DistinctBucketsAreBoundedLeastRecentlyUsedFirst) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kDistinct, "10.0.0.0/8"};
  LocalRateLimiter rl = limiter(oneRule(r), 2);
  const IpAddress a = ip("10.0.0.1"), b = ip("10.0.0.2"), c = ip("10.0.0.3");
  EXPECT_TRUE(rl.decide(kT0, kGet, a).allowed);
  EXPECT_TRUE(rl.decide(kT0, kGet, b).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, a).allowed);  // a is now the most recent
  EXPECT_TRUE(rl.decide(kT0, kGet, c).allowed);   // evicts b
  EXPECT_EQ(rl.distinctBuckets(), 2u);
  EXPECT_FALSE(rl.decide(kT0, kGet, a).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, c).allowed);
  // b lost its bucket and comes back to a full one (evicting a).
  EXPECT_TRUE(rl.decide(kT0, kGet, b).allowed);
  EXPECT_TRUE(rl.decide(kT0, kGet, a).allowed);
  EXPECT_EQ(rl.distinctBuckets(), 2u);
}

TEST(LocalRateLimit, BucketsRefillThroughTheLimiter) {
  LocalRateLimitRule r = rule(3, Unit::kSecond);
  r.selectors.methods = {"GET"};
  LocalRateLimiter rl = limiter(oneRule(r));
  const IpAddress c = ip("10.0.0.1");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.decide(kT0, kGet, c).allowed);
  EXPECT_FALSE(rl.decide(kT0, kGet, c).allowed);
  const TimePoint full = kT0 + Duration::seconds(1);
  EXPECT_EQ(rl.decide(full - Duration::nanoseconds(1), kGet, c).remaining, 1u);
  // One of the three tokens was taken just before; the rest are back exactly at the boundary.
  EXPECT_EQ(rl.decide(full + Duration::seconds(100), kGet, c).remaining, 2u);
}

TEST(RateLimitStats, EnvoyNamesAndExactCounts) {
  LocalRateLimitRule r = rule(1, Unit::kHour);
  r.selectors.methods = {"GET"};
  LocalRateLimiter rl = limiter(oneRule(r));
  RateLimitStats stats;
  const IpAddress c = ip("10.0.0.1");
  stats.record(rl.decide(kT0, kGet, c));
  stats.record(rl.decide(kT0, kGet, c));
  stats.record(rl.decide(kT0, kGet, c));
  stats.record(rl.decide(kT0, request("POST", "/"), c));
  std::vector<std::pair<std::string, uint64_t>> seen;
  stats.forEach([&](std::string_view name, uint64_t value) { seen.emplace_back(name, value); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, uint64_t>>{
                      {"http_local_rate_limiter.http_local_rate_limit.enabled", 4},
                      {"http_local_rate_limiter.http_local_rate_limit.enforced", 2},
                      {"http_local_rate_limiter.http_local_rate_limit.ok", 2},
                      {"http_local_rate_limiter.http_local_rate_limit.rate_limited", 2}}));
}

}  // namespace
}  // namespace ctplab::proxy::ratelimit
