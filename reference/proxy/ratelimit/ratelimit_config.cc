#include "ctplab/proxy/ratelimit/ratelimit_config.h"

#include <utility>

#include "ratelimit/rule_compile.h"

namespace ctplab::proxy::ratelimit {

int64_t unitSeconds(Unit unit) {
  switch (unit) {
    case Unit::kSecond:
      return 1;
    case Unit::kMinute:
      return 60;
    case Unit::kHour:
      return 3600;
    case Unit::kDay:
      return 86400;
    case Unit::kWeek:
      return 604800;
    case Unit::kMonth:
      return 2592000;
    case Unit::kYear:
      return 31536000;
  }
  return 1;
}

bool CompiledRule::distinct() const {
  if (cidr_distinct) return true;
  for (const auto& h : headers) {
    if (h.selector.type == MatchType::kDistinct) return true;
  }
  for (const auto& q : query_params) {
    if (q.selector.type == MatchType::kDistinct) return true;
  }
  return false;
}

Result<LocalRateLimitConfig> LocalRateLimitConfig::create(const LocalRateLimitSpec& spec) {
  if (spec.rules.size() > kMaxRules) {
    return Error{"rules: Too many: " + std::to_string(spec.rules.size()) +
                 ": must have at most 16 items"};
  }
  LocalRateLimitConfig config;
  config.rate_limit_headers_ = !spec.disable_rate_limit_headers;
  config.envoy_ratelimited_header_ = spec.envoy_ratelimited_header;
  // Envoy Gateway first picks the one selector-less rule as the default bucket, then checks
  // every other rule's unit against it.
  bool have_default = false;
  for (const LocalRateLimitRule& rule : spec.rules) {
    if (!rule.selectors.empty()) continue;
    if (have_default) {
      return Error{"local rateLimit can not have more than one rule without clientSelectors"};
    }
    have_default = true;
    config.default_limit_ = rule.limit;
  }
  const int64_t default_unit = unitSeconds(config.default_limit_.unit);
  for (size_t i = 0; i < spec.rules.size(); ++i) {
    const LocalRateLimitRule& rule = spec.rules[i];
    if (rule.selectors.empty()) continue;
    if (unitSeconds(rule.limit.unit) % default_unit != 0) {
      return Error{"local rateLimit rule limit unit must be a multiple of the default limit unit"};
    }
    auto compiled = compileSelectors(rule.selectors, i);
    if (!compiled) return compiled.error();
    CompiledRule out = std::move(compiled).value();
    out.limit = rule.limit;
    out.shadow_mode = rule.shadow_mode;
    out.rate_limit_headers = rule.rate_limit_headers;
    config.rules_.push_back(std::move(out));
  }
  return config;
}

}  // namespace ctplab::proxy::ratelimit
