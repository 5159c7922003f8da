#include "ctplab/proxy/authz/authz_policy.h"

#include <re2/re2.h>

#include <string>
#include <utility>

#include "authz/operation_match.h"

namespace ctplab::proxy::authz {
namespace {

constexpr size_t kMaxMethods = 16;
constexpr size_t kMaxNameLength = 253;

std::string field(size_t rule, std::string_view rest) {
  return "rules[" + std::to_string(rule) + "]" + std::string(rest);
}

// A rule without principal.jwt has no JWT condition; one with it needs a verified payload from
// the named provider that satisfies every claim and scope.
bool jwtMatches(const AuthzRule& rule, const jwt::Outcome* outcome) {
  if (!rule.jwt) return true;
  return outcome != nullptr && jwt::matchesJwtPrincipal(*rule.jwt, *outcome);
}

}  // namespace

Result<AuthzPolicy> AuthzPolicy::compile(AuthzConfig config) {
  // Rule indices are CidrSet values, and CidrSet reserves its largest value.
  if (config.rules.size() >= CidrSet::kNone) return Error{"rules: too many rules"};
  AuthzPolicy policy;
  std::vector<CidrSet::Entry> ip_only, with_conditions;
  for (size_t i = 0; i < config.rules.size(); ++i) {
    const AuthzRule& rule = config.rules[i];
    if (rule.name.size() > kMaxNameLength) {
      return Error{field(i, ".name: must be at most 253 characters")};
    }
    if (rule.client_cidrs.empty() && rule.unmodelled.empty() && !rule.jwt) {
      return Error{field(i, ": at least one of principal or cel must be specified")};
    }
    if (rule.methods.size() > kMaxMethods) {
      return Error{field(i, ".operation.methods: must have at most 16 items")};
    }
    for (const std::string& method : rule.methods) {
      if (method.empty()) return Error{field(i, ".operation.methods: empty method")};
    }
    CompiledRule compiled;
    // A JWT principal is a per-request condition like the operation.
    compiled.has_operation = !rule.methods.empty() || rule.path.has_value() || rule.jwt;
    compiled.unmodelled = !rule.unmodelled.empty();
    if (rule.path && rule.path->type == PathMatch::Type::kRegex) {
      re2::RE2::Options options;
      options.set_log_errors(false);
      auto regex = std::make_shared<const re2::RE2>(rule.path->value, options);
      if (!regex->ok()) {
        return Error{field(i, ".operation.path.value: invalid regular expression \"" +
                                  rule.path->value + "\": " + regex->error())};
      }
      compiled.path_regex = std::move(regex);
    }
    for (size_t c = 0; c < rule.client_cidrs.size(); ++c) {
      auto cidr = IpCidr::parse(rule.client_cidrs[c]);
      if (!cidr) {
        return Error{field(i, ".principal.clientCIDRs[" + std::to_string(c) + "]: invalid CIDR \"" +
                                  rule.client_cidrs[c] + "\"")};
      }
      compiled.cidrs.push_back(*cidr);
    }
    auto& target = compiled.has_operation || compiled.unmodelled ? with_conditions : ip_only;
    const auto index = static_cast<uint32_t>(i);
    if (compiled.cidrs.empty()) {
      // No client-IP condition: the rule is a candidate for every address of either family.
      target.push_back({*IpCidr::parse("0.0.0.0/0"), index});
      target.push_back({*IpCidr::parse("::/0"), index});
    }
    for (const IpCidr& cidr : compiled.cidrs) target.push_back({cidr, index});
    policy.rules_.push_back(std::move(compiled));
  }
  policy.by_ip_only_ = CidrSet(ip_only);
  policy.with_conditions_ = CidrSet(with_conditions);
  policy.config_ = std::move(config);
  return policy;
}

Decision AuthzPolicy::evaluateHttp(const IpAddress& client, std::string_view method,
                                   std::string_view path, const jwt::Outcome* jwt) const {
  const Operation operation{method, path, jwt};
  return evaluate(client, &operation);
}

Decision AuthzPolicy::evaluateTcp(const IpAddress& peer) const { return evaluate(peer, nullptr); }

Decision AuthzPolicy::evaluate(const IpAddress& client, const Operation* operation) const {
  // The first IP-only rule that matches bounds the search: a conditional rule only decides when
  // it comes earlier.
  const std::optional<uint32_t> bound = by_ip_only_.smallestIndexMatching(client);
  for (auto k = with_conditions_.smallestIndexMatching(client); k && (!bound || *k < *bound);
       k = with_conditions_.smallestIndexMatchingAfter(client, *k)) {
    const CompiledRule& rule = rules_[*k];
    if (rule.has_operation && (!operation ||
                               !operationMatches(config_.rules[*k], rule.path_regex.get(),
                                                 operation->method, operation->path) ||
                               !jwtMatches(config_.rules[*k], operation->jwt))) {
      continue;  // a condition that is evaluated failed: the rule cannot match
    }
    if (rule.unmodelled) return ruleDecision(*k, DecidedBy::kUnmodelledRule);
    return ruleDecision(*k, DecidedBy::kRule);
  }
  if (bound) return ruleDecision(*bound, DecidedBy::kRule);
  Decision d;
  d.allowed = defaultAction() == Action::kAllow;
  d.decided_by = DecidedBy::kDefaultAction;
  return d;
}

Decision AuthzPolicy::ruleDecision(uint32_t index, DecidedBy decided_by) const {
  const AuthzRule& rule = config_.rules[index];
  Decision d;
  d.allowed = decided_by == DecidedBy::kRule && rule.action == Action::kAllow;
  d.decided_by = decided_by;
  d.rule = index;
  d.rule_name = rule.name;
  return d;
}

}  // namespace ctplab::proxy::authz
