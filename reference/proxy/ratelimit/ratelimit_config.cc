#include "ctplab/proxy/ratelimit/ratelimit_config.h"

#include <re2/re2.h>

#include <string>
#include <utility>

namespace ctplab::proxy::ratelimit {
namespace {

std::string field(size_t rule, std::string_view rest) {
  return "rules[" + std::to_string(rule) + "].clientSelectors." + std::string(rest);
}

Result<std::shared_ptr<const re2::RE2>> compileRegex(const std::string& pattern,
                                                     const std::string& where) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const re2::RE2>(pattern, options);
  if (!regex->ok()) {
    return Error{where + ": invalid regular expression \"" + pattern + "\": " + regex->error()};
  }
  return std::shared_ptr<const re2::RE2>(std::move(regex));
}

Result<std::vector<CompiledValueSelector>> compileValues(const std::vector<ValueSelector>& list,
                                                         size_t rule, std::string_view kind) {
  std::vector<CompiledValueSelector> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const ValueSelector& s = list[i];
    const std::string where = field(rule, std::string(kind) + "[" + std::to_string(i) + "]");
    if (s.name.empty()) return Error{where + ".name: must not be empty"};
    if (s.type == MatchType::kDistinct && s.invert) {
      return Error{where + ": invert is not supported with Distinct"};
    }
    CompiledValueSelector compiled{s, nullptr};
    if (s.type == MatchType::kRegex) {
      auto regex = compileRegex(s.value, where + ".value");
      if (!regex) return regex.error();
      compiled.regex = std::move(regex).value();
    }
    out.push_back(std::move(compiled));
  }
  return out;
}

Result<CompiledRule> compileRule(const LocalRateLimitRule& rule, size_t index) {
  CompiledRule out;
  out.api_index = index;
  out.limit = rule.limit;
  out.shadow_mode = rule.shadow_mode;
  out.rate_limit_headers = rule.rate_limit_headers;
  const ClientSelectors& s = rule.selectors;
  auto headers = compileValues(s.headers, index, "headers");
  if (!headers) return headers.error();
  out.headers = std::move(headers).value();
  auto query = compileValues(s.query_params, index, "queryParams");
  if (!query) return query.error();
  out.query_params = std::move(query).value();
  for (const std::string& method : s.methods) {
    if (method.empty()) return Error{field(index, "methods: empty method")};
  }
  out.methods = s.methods;
  out.path = s.path;
  if (s.path && s.path->type == PathSelector::Type::kRegex) {
    auto regex = compileRegex(s.path->value, field(index, "path.value"));
    if (!regex) return regex.error();
    out.path_regex = std::move(regex).value();
  }
  if (s.source_cidr) {
    auto cidr = IpCidr::parse(s.source_cidr->cidr);
    if (!cidr) {
      return Error{field(index, "sourceCIDR.value: invalid CIDR \"" + s.source_cidr->cidr + "\"")};
    }
    out.cidr = *cidr;
    out.cidr_distinct = s.source_cidr->type == SourceCidrSelector::Type::kDistinct;
  }
  return out;
}

}  // namespace

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
    auto compiled = compileRule(rule, i);
    if (!compiled) return compiled.error();
    config.rules_.push_back(std::move(compiled).value());
  }
  return config;
}

}  // namespace ctplab::proxy::ratelimit
