#include "ctplab/proxy/ratelimit/config_from_ir.h"

namespace ctplab::proxy::ratelimit {
namespace {

Result<ValueSelector> valueSelector(const policy::ir::StringMatch& m, const std::string& where) {
  ValueSelector s;
  s.name = m.name;
  s.invert = m.invert.value_or(false);
  if (m.distinct) {
    s.type = MatchType::kDistinct;
  } else if (m.exact) {
    s.type = MatchType::kExact;
    s.value = *m.exact;
  } else if (m.safe_regex) {
    s.type = MatchType::kRegex;
    s.value = *m.safe_regex;
  } else {
    return Error{where + ": only Exact, RegularExpression and Distinct matches are supported"};
  }
  return s;
}

Result<PathSelector> pathSelector(const policy::ir::StringMatch& m, const std::string& where) {
  PathSelector p;
  p.invert = m.invert.value_or(false);
  if (m.exact) {
    p.type = PathSelector::Type::kExact;
    p.value = *m.exact;
  } else if (m.prefix) {
    p.type = PathSelector::Type::kPrefix;
    p.value = *m.prefix;
  } else if (m.safe_regex) {
    p.type = PathSelector::Type::kRegex;
    p.value = *m.safe_regex;
  } else {
    return Error{where + ": path match needs Exact, PathPrefix or RegularExpression"};
  }
  return p;
}

std::optional<bool> headersOption(const std::optional<std::string>& option) {
  if (!option) return std::nullopt;
  return *option != "Off";
}

}  // namespace

Result<Unit> unitFromIr(const std::string& unit) {
  static const std::pair<const char*, Unit> kUnits[] = {
      {"Second", Unit::kSecond}, {"Minute", Unit::kMinute}, {"Hour", Unit::kHour},
      {"Day", Unit::kDay},       {"Week", Unit::kWeek},     {"Month", Unit::kMonth},
      {"Year", Unit::kYear}};
  for (const auto& [name, value] : kUnits) {
    if (unit == name) return value;
  }
  return Error{"unknown rate-limit unit \"" + unit + "\""};
}

Result<Limit> limitFromIr(const policy::ir::RateLimitValue& value) {
  auto unit = unitFromIr(value.unit);
  if (!unit) return unit.error();
  return Limit{value.requests, unit.value()};
}

Result<ClientSelectors> selectorsFromIr(const policy::ir::RateLimitRule& rule) {
  ClientSelectors out;
  const std::string where = rule.name.empty() ? "rate-limit rule" : rule.name;
  for (size_t i = 0; i < rule.header_matches.size(); ++i) {
    auto s = valueSelector(rule.header_matches[i], where + ": headers[" + std::to_string(i) + "]");
    if (!s) return s.error();
    out.headers.push_back(std::move(s).value());
  }
  for (size_t i = 0; i < rule.query_param_matches.size(); ++i) {
    auto s = valueSelector(rule.query_param_matches[i],
                           where + ": queryParams[" + std::to_string(i) + "]");
    if (!s) return s.error();
    out.query_params.push_back(std::move(s).value());
  }
  for (const auto& m : rule.method_matches) {
    if (!m.exact) return Error{where + ": methods: only exact method names are supported"};
    out.methods.push_back(*m.exact);
  }
  if (rule.path_match) {
    auto p = pathSelector(*rule.path_match, where + ": path");
    if (!p) return p.error();
    out.path = std::move(p).value();
  }
  if (const auto& c = rule.cidr_match) {
    SourceCidrSelector cidr;
    cidr.type =
        c->distinct ? SourceCidrSelector::Type::kDistinct : SourceCidrSelector::Type::kExact;
    cidr.cidr = c->cidr.find('/') == std::string::npos ? c->cidr + "/" + std::to_string(c->mask_len)
                                                       : c->cidr;
    out.source_cidr = std::move(cidr);
  }
  return out;
}

Result<LocalRateLimitSpec> localSpecFromIr(const policy::ir::LocalRateLimit& local,
                                           bool disable_rate_limit_headers) {
  LocalRateLimitSpec spec;
  spec.disable_rate_limit_headers = disable_rate_limit_headers;
  // The default bucket is the rule without selectors; the translation already took it out.
  LocalRateLimitRule default_rule;
  auto default_limit = limitFromIr(local.default_limit);
  if (!default_limit) return Error{"default rate limit: " + default_limit.error().message};
  default_rule.limit = default_limit.value();
  default_rule.rate_limit_headers = headersOption(local.default_x_rate_limit_option);
  spec.rules.push_back(std::move(default_rule));
  for (const auto& in : local.rules) {
    LocalRateLimitRule rule;
    auto selectors = selectorsFromIr(in);
    if (!selectors) return selectors.error();
    if (selectors.value().empty()) {
      return Error{(in.name.empty() ? std::string("rate-limit rule") : in.name) +
                   ": a selector rule without any selector"};
    }
    rule.selectors = std::move(selectors).value();
    auto limit = limitFromIr(in.limit);
    if (!limit) return Error{in.name + ": " + limit.error().message};
    rule.limit = limit.value();
    rule.shadow_mode = in.shadow_mode.value_or(false);
    rule.rate_limit_headers = headersOption(in.x_rate_limit_option);
    spec.rules.push_back(std::move(rule));
  }
  return spec;
}

Result<GlobalRateLimitSpec> globalSpecFromIr(const policy::ir::RateLimit& rate_limit,
                                             const std::string& route_name,
                                             bool disable_rate_limit_headers) {
  GlobalRateLimitSpec spec;
  spec.route_scope = route_name;
  spec.shared_scope = rate_limit.policy;
  spec.disable_rate_limit_headers = disable_rate_limit_headers;
  if (!rate_limit.global) return spec;
  for (const auto& in : rate_limit.global->rules) {
    GlobalRateLimitRule rule;
    auto selectors = selectorsFromIr(in);
    if (!selectors) return selectors.error();
    rule.selectors = std::move(selectors).value();
    auto limit = limitFromIr(in.limit);
    if (!limit) return Error{in.name + ": " + limit.error().message};
    rule.limit = limit.value();
    rule.shadow_mode = in.shadow_mode.value_or(false);
    rule.shared = in.shared.value_or(false);
    spec.rules.push_back(std::move(rule));
  }
  return spec;
}

}  // namespace ctplab::proxy::ratelimit
