#include "ratelimit_translate.h"

#include <algorithm>

#include "cidr.h"
#include "go_regex.h"

namespace ctplab::policy {
namespace {

// Error or value: the first failing check ends translation of the whole rate limit.
struct RuleResult {
  ir::RateLimitRule rule;
  std::optional<std::string> error;
};

uint32_t clampRequests(int64_t n) {
  return static_cast<uint32_t>(std::clamp<int64_t>(n, 0, 4294967295LL));
}

ir::RateLimitValue limitOf(const RateLimitRuleSpec& r) {
  ir::RateLimitValue v{clampRequests(r.requests), r.unit, std::nullopt};
  if (r.from_metadata)
    v.from_metadata = ir::RateLimitValue::FromMetadata{r.from_metadata->ns, r.from_metadata->key};
  return v;
}

ir::StringMatch match(const std::string& name) {
  ir::StringMatch m;
  m.name = name;
  return m;
}

std::optional<std::string> headerMatch(const RateLimitValueMatchSpec& h, ir::StringMatch& out) {
  // The API server defaults type to Exact; bundles may leave it out.
  const std::string type = h.type.value_or("Exact");
  out = match(h.name);
  if (type == "Exact" && h.value) {
    out.exact = h.value;
    out.invert = h.invert;
  } else if (type == "RegularExpression" && h.value) {
    if (auto e = goRegexError(*h.value)) return e;
    out.safe_regex = h.value;
    out.invert = h.invert;
  } else if (type == "Distinct" && !h.value) {
    if (h.invert.value_or(false)) {
      return "unable to translate rateLimit.Invert is not applicable for distinct header match "
             "type";
    }
    out.distinct = true;
  } else {
    return "unable to translate rateLimit. Either the header.Type is not valid or the header is "
           "missing a value";
  }
  return std::nullopt;
}

std::optional<std::string> queryMatch(const RateLimitValueMatchSpec& q, ir::StringMatch& out) {
  if (q.name.empty()) return "name is required when QueryParamMatch is specified";
  const std::string type = q.type.value_or("Exact");
  out = match(q.name);
  if (type == "Exact" || type == "RegularExpression") {
    if (!q.value || q.value->empty()) {
      return "value is required for " + type + " query parameter match";
    }
    if (type == "RegularExpression") {
      if (auto e = goRegexError(*q.value)) return e;
      out.safe_regex = q.value;
    } else {
      out.exact = q.value;
    }
    out.invert = q.invert;
  } else if (type == "Distinct") {
    if (q.invert.value_or(false)) {
      return "unable to translate rateLimit.Invert is not applicable for distinct query "
             "parameter match type";
    }
    if (q.value) {
      return "unable to translate rateLimit.Value is not applicable for distinct query "
             "parameter match type";
    }
    out.distinct = true;
  } else {
    return "invalid query parameter match type: " + type;
  }
  return std::nullopt;
}

std::optional<std::string> pathMatch(const RateLimitPathMatchSpec& p, ir::StringMatch& out) {
  const std::string type = p.type.value_or("PathPrefix");
  out = match("");
  out.invert = p.invert;
  if (type == "PathPrefix") {
    // Envoy's header matcher has no segment-aware prefix, so upstream writes one as a regex.
    if (p.value == "/") {
      out.prefix = p.value;
    } else {
      out.safe_regex = pathSeparatedPrefixRegex(p.value);
    }
  } else if (type == "Exact") {
    out.exact = p.value;
  } else if (type == "RegularExpression") {
    if (auto e = goRegexError(p.value)) return e;
    out.safe_regex = p.value;
  } else {
    return "unable to translate rateLimit: invalid path type.";
  }
  return std::nullopt;
}

ir::RateLimitCost cost(const RateLimitCostSpecifierSpec& c) {
  ir::RateLimitCost out;
  if (c.number) out.number = static_cast<uint64_t>(std::max<int64_t>(*c.number, 0));
  if (c.metadata) {
    out.format = "%DYNAMIC_METADATA(" + c.metadata->ns + ":" + c.metadata->key + ")%";
  }
  return out;
}

RuleResult buildRule(const RateLimitRuleSpec& spec) {
  RuleResult r;
  ir::RateLimitRule& rule = r.rule;
  rule.limit = limitOf(spec);
  rule.shared = spec.shared;
  rule.shadow_mode = spec.shadow_mode;
  rule.x_rate_limit_option = spec.x_rate_limit_headers;
  for (const auto& sel : spec.client_selectors) {
    const bool none = sel.headers.value_or(std::vector<RateLimitValueMatchSpec>{}).empty() &&
                      sel.methods.value_or(std::vector<RateLimitMethodMatchSpec>{}).empty() &&
                      !sel.path && !sel.source_cidr &&
                      sel.query_params.value_or(std::vector<RateLimitValueMatchSpec>{}).empty();
    if (none) {
      r.error =
          "unable to translate rateLimit. At least one of the header or method or path or "
          "sourceCIDR or queryParameters must be specified";
      return r;
    }
    for (const auto& h : sel.headers.value_or(std::vector<RateLimitValueMatchSpec>{})) {
      ir::StringMatch m;
      if ((r.error = headerMatch(h, m))) return r;
      rule.header_matches.push_back(std::move(m));
    }
    for (const auto& method : sel.methods.value_or(std::vector<RateLimitMethodMatchSpec>{})) {
      ir::StringMatch m = match("");
      m.exact = method.value;
      m.invert = method.invert;
      rule.method_matches.push_back(std::move(m));
    }
    if (sel.path) {
      // A later selector's path replaces an earlier one, as upstream assigns it.
      ir::StringMatch m;
      if ((r.error = pathMatch(*sel.path, m))) return r;
      rule.path_match = std::move(m);
    }
    if (sel.source_cidr) {
      auto parsed = parseCIDR(sel.source_cidr->value);
      if (!parsed) {
        r.error = "unable to translate rateLimit: invalid CIDR address: " + sel.source_cidr->value;
        return r;
      }
      rule.cidr_match = ir::CIDRMatch{parsed->cidr, parsed->mask_len, parsed->is_ipv6,
                                      sel.source_cidr->type.value_or("Exact") == "Distinct",
                                      sel.source_cidr->invert.value_or(false)};
    }
    for (const auto& q : sel.query_params.value_or(std::vector<RateLimitValueMatchSpec>{})) {
      ir::StringMatch m;
      if ((r.error = queryMatch(q, m))) return r;
      rule.query_param_matches.push_back(std::move(m));
    }
  }
  if (spec.cost) {
    if (spec.cost->request) rule.request_cost = cost(*spec.cost->request);
    if (spec.cost->response) rule.response_cost = cost(*spec.cost->response);
  }
  return r;
}

std::string ruleName(const BackendTrafficPolicy& p, size_t i) {
  return p.meta.ns + "/" + p.meta.name + "/rule/" + std::to_string(i);
}

std::optional<std::string> buildLocal(const BackendTrafficPolicy& p, ir::RateLimit& out) {
  const RateLimitSpec& spec = *p.spec.rate_limit;
  if (!spec.has_local) return "local configuration empty for rateLimit";
  const auto rules = spec.local_rules.value_or(std::vector<RateLimitRuleSpec>{});
  ir::LocalRateLimit local;
  bool have_default = false;
  for (const auto& rule : rules) {
    if (!rule.client_selectors.empty()) continue;
    if (have_default)
      return "local rateLimit can not have more than one rule without clientSelectors";
    have_default = true;
    local.default_limit = ir::RateLimitValue{clampRequests(rule.requests), rule.unit, std::nullopt};
    local.default_x_rate_limit_option = rule.x_rate_limit_headers;
  }
  if (!have_default) local.default_limit = ir::RateLimitValue{4294967295u, "Second", std::nullopt};
  // Envoy's local rate limiter refills every bucket on the default bucket's timer.
  const int64_t default_unit = rateLimitUnitSeconds(local.default_limit.unit);
  for (const auto& rule : rules) {
    if (default_unit == 0 || rateLimitUnitSeconds(rule.unit) % default_unit != 0) {
      return "local rateLimit rule limit unit must be a multiple of the default limit unit";
    }
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].client_selectors.empty()) continue;
    RuleResult built = buildRule(rules[i]);
    if (built.error) return built.error;
    built.rule.name = ruleName(p, i);
    local.rules.push_back(std::move(built.rule));
  }
  out.local = std::move(local);
  return std::nullopt;
}

std::optional<std::string> buildGlobal(const BackendTrafficPolicy& p, bool enabled,
                                       ir::RateLimit& out) {
  const RateLimitSpec& spec = *p.spec.rate_limit;
  if (!spec.has_global) return "global configuration empty for rateLimit";
  if (!enabled) return "enable Ratelimit in the EnvoyGateway config to configure global rateLimit";
  ir::GlobalRateLimit global;
  const auto rules = spec.global_rules.value_or(std::vector<RateLimitRuleSpec>{});
  for (size_t i = 0; i < rules.size(); ++i) {
    RuleResult built = buildRule(rules[i]);
    if (built.error) return built.error;
    built.rule.name = ruleName(p, i);
    global.rules.push_back(std::move(built.rule));
  }
  out.global = std::move(global);
  return std::nullopt;
}

}  // namespace

int64_t rateLimitUnitSeconds(const std::string& unit) {
  if (unit == "Second") return 1;
  if (unit == "Minute") return 60;
  if (unit == "Hour") return 3600;
  if (unit == "Day") return 86400;
  if (unit == "Week") return 604800;
  if (unit == "Month") return 2592000;
  if (unit == "Year") return 31536000;
  return 0;
}

BuiltRateLimit buildRateLimit(const BackendTrafficPolicy& policy, bool global_enabled) {
  BuiltRateLimit built;
  if (!policy.spec.rate_limit) return built;
  const RateLimitSpec& spec = *policy.spec.rate_limit;
  ir::RateLimit rl;
  rl.policy = policy.meta.ns + "/" + policy.meta.name;
  std::optional<std::string> error;
  if (spec.type) {
    // The deprecated discriminator builds only the named kind.
    if (*spec.type == "Global") {
      error = buildGlobal(policy, global_enabled, rl);
    } else if (*spec.type == "Local") {
      error = buildLocal(policy, rl);
    } else {
      error = "invalid rateLimit type: " + *spec.type;
    }
  } else {
    if (spec.has_local) error = buildLocal(policy, rl);
    if (!error && spec.has_global) error = buildGlobal(policy, global_enabled, rl);
  }
  if (error) {
    built.error = std::move(error);
  } else {
    built.rate_limit = std::move(rl);
  }
  return built;
}

}  // namespace ctplab::policy
