// Envoy Gateway's checks on `rateLimit.local` (spec 5.3) and how the default bucket is chosen.
#include "ctplab/proxy/ratelimit/ratelimit_config.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::proxy::ratelimit {
namespace {

LocalRateLimitRule defaultRule(uint32_t requests, Unit unit) {
  LocalRateLimitRule r;
  r.limit = {requests, unit};
  return r;
}

LocalRateLimitRule methodRule(uint32_t requests, Unit unit) {
  LocalRateLimitRule r = defaultRule(requests, unit);
  r.selectors.methods = {"GET"};
  return r;
}

std::string errorOf(const LocalRateLimitSpec& spec) {
  auto result = LocalRateLimitConfig::create(spec);
  return result.ok() ? "" : result.error().message;
}

TEST(RateLimitConfig, UnitSeconds) {
  EXPECT_EQ(unitSeconds(Unit::kSecond), 1);
  EXPECT_EQ(unitSeconds(Unit::kMinute), 60);
  EXPECT_EQ(unitSeconds(Unit::kHour), 3600);
  EXPECT_EQ(unitSeconds(Unit::kDay), 86400);
  EXPECT_EQ(unitSeconds(Unit::kWeek), 604800);
  EXPECT_EQ(unitSeconds(Unit::kMonth), 2592000);
  EXPECT_EQ(unitSeconds(Unit::kYear), 31536000);
}

TEST(RateLimitConfig, NoSelectorLessRuleMeansUnlimitedDefault) {
  LocalRateLimitSpec spec;
  spec.rules = {methodRule(3, Unit::kHour)};
  auto config = LocalRateLimitConfig::create(spec);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().defaultLimit(), (Limit{4294967295u, Unit::kSecond}));
  ASSERT_EQ(config.value().rules().size(), 1u);
  EXPECT_TRUE(config.value().rateLimitHeaders());
}

TEST(RateLimitConfig, SelectorLessRuleIsTheDefaultBucketAnywhereInTheList) {
  LocalRateLimitSpec spec;
  spec.rules = {methodRule(3, Unit::kHour), defaultRule(10, Unit::kMinute)};
  spec.disable_rate_limit_headers = true;
  auto config = LocalRateLimitConfig::create(spec);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().defaultLimit(), (Limit{10, Unit::kMinute}));
  ASSERT_EQ(config.value().rules().size(), 1u);
  EXPECT_EQ(config.value().rules()[0].api_index, 0u);
  EXPECT_FALSE(config.value().rateLimitHeaders());
}

TEST(RateLimitConfig, TwoSelectorLessRulesAreRejected) {
  LocalRateLimitSpec spec;
  spec.rules = {defaultRule(1, Unit::kSecond), defaultRule(2, Unit::kSecond)};
  EXPECT_EQ(errorOf(spec),
            "local rateLimit can not have more than one rule without clientSelectors");
}

TEST(RateLimitConfig, RuleUnitMustBeAMultipleOfTheDefaultUnit) {
  LocalRateLimitSpec spec;
  spec.rules = {defaultRule(10, Unit::kMinute), methodRule(1, Unit::kSecond)};
  EXPECT_EQ(errorOf(spec),
            "local rateLimit rule limit unit must be a multiple of the default limit unit");
  // A month is 30 days, which a week does not divide.
  spec.rules = {defaultRule(10, Unit::kWeek), methodRule(1, Unit::kMonth)};
  EXPECT_EQ(errorOf(spec),
            "local rateLimit rule limit unit must be a multiple of the default limit unit");
  spec.rules = {defaultRule(10, Unit::kMinute), methodRule(1, Unit::kHour)};
  EXPECT_EQ(errorOf(spec), "");
}

TEST(RateLimitConfig, AtMostSixteenRules) {
  LocalRateLimitSpec spec;
  spec.rules.assign(16, methodRule(1, Unit::kSecond));
  EXPECT_EQ(errorOf(spec), "");
  spec.rules.push_back(methodRule(1, Unit::kSecond));
  EXPECT_EQ(errorOf(spec), "rules: Too many: 17: must have at most 16 items");
}

TEST(RateLimitConfig, BadSelectorsAreRejectedWithTheirPlace) {
  LocalRateLimitSpec spec;
  LocalRateLimitRule rule = methodRule(1, Unit::kSecond);
  rule.selectors.headers = {{"x-user", MatchType::kRegex, "(", false}};
  spec.rules = {rule};
  EXPECT_TRUE(errorOf(spec).starts_with(
      "rules[0].clientSelectors.headers[0].value: invalid regular expression \"(\""));

  rule.selectors.headers = {{"", MatchType::kExact, "a", false}};
  spec.rules = {rule};
  EXPECT_EQ(errorOf(spec), "rules[0].clientSelectors.headers[0].name: must not be empty");

  rule.selectors.headers = {{"x-user", MatchType::kDistinct, "", true}};
  spec.rules = {rule};
  EXPECT_EQ(errorOf(spec),
            "rules[0].clientSelectors.headers[0]: invert is not supported with Distinct");

  rule.selectors.headers.clear();
  rule.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kExact, "10.0.0.0/33"};
  spec.rules = {defaultRule(5, Unit::kSecond), rule};
  EXPECT_EQ(errorOf(spec),
            "rules[1].clientSelectors.sourceCIDR.value: invalid CIDR \"10.0.0.0/33\"");

  rule.selectors.source_cidr.reset();
  rule.selectors.path = PathSelector{PathSelector::Type::kRegex, "[", false};
  spec.rules = {rule};
  EXPECT_TRUE(errorOf(spec).starts_with("rules[0].clientSelectors.path.value: invalid regular"));

  rule.selectors.path.reset();
  rule.selectors.query_params = {{"q", MatchType::kRegex, "*", false}};
  spec.rules = {rule};
  EXPECT_TRUE(
      errorOf(spec).starts_with("rules[0].clientSelectors.queryParams[0].value: invalid regular"));
}

TEST(RateLimitConfig, DistinctIsDetectedPerRule) {
  LocalRateLimitSpec spec;
  LocalRateLimitRule a = methodRule(1, Unit::kSecond);
  LocalRateLimitRule b = defaultRule(1, Unit::kSecond);
  b.selectors.source_cidr = SourceCidrSelector{SourceCidrSelector::Type::kDistinct, "0.0.0.0/0"};
  LocalRateLimitRule c = defaultRule(1, Unit::kSecond);
  c.selectors.query_params = {{"user", MatchType::kDistinct, "", false}};
  spec.rules = {a, b, c};
  auto config = LocalRateLimitConfig::create(spec);
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config.value().rules()[0].distinct());
  EXPECT_TRUE(config.value().rules()[1].distinct());
  EXPECT_TRUE(config.value().rules()[2].distinct());
}

}  // namespace
}  // namespace ctplab::proxy::ratelimit
