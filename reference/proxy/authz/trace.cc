#include "ctplab/proxy/authz/trace.h"

namespace ctplab::proxy::authz {
namespace {

std::string describeRule(const AuthzPolicy& policy, uint32_t index) {
  const AuthzRule& rule = policy.config().rules[index];
  std::string out = "rules[" + std::to_string(index) + "]";
  if (!rule.name.empty()) out += " \"" + rule.name + "\"";
  out += " (" + std::string(actionName(rule.action)) + ")";
  return out;
}

// The rule's own conditions that held, so a reader sees which list entry let the client in.
std::string matchedConditions(const AuthzPolicy& policy, const IpAddress& client, uint32_t index) {
  const AuthzRule& rule = policy.config().rules[index];
  std::string out;
  for (const IpCidr& cidr : policy.ruleCidrs(index)) {
    if (cidr.contains(client)) {
      out = "clientCIDR " + cidr.toString();
      break;
    }
  }
  if (policy.ruleCidrs(index).empty()) out = "any client";
  if (!rule.methods.empty()) {
    out += ", methods ";
    for (size_t i = 0; i < rule.methods.size(); ++i) {
      out += (i ? "," : "") + rule.methods[i];
    }
  }
  if (rule.path) {
    out += std::string(", path ") +
           (rule.path->type == PathMatch::Type::kExact ? "exact " : "prefix ") + rule.path->value;
  }
  return out;
}

}  // namespace

std::string traceLine(const AuthzPolicy& policy, const IpAddress& client,
                      const Decision& decision) {
  std::string out = "authz " + client.toString() + ": ";
  const std::string verdict = decision.allowed ? "allow" : "deny";
  switch (decision.decided_by) {
    case DecidedBy::kRule:
      out += describeRule(policy, *decision.rule) + " matched " +
             matchedConditions(policy, client, *decision.rule) + " -> " + verdict;
      break;
    case DecidedBy::kUnmodelledRule: {
      out += describeRule(policy, *decision.rule) + " needs ";
      const auto& unmodelled = policy.config().rules[*decision.rule].unmodelled;
      for (size_t i = 0; i < unmodelled.size(); ++i) {
        out += std::string(i ? "," : "") + std::string(conditionName(unmodelled[i]));
      }
      out += " (not evaluated) after " + matchedConditions(policy, client, *decision.rule) +
             " -> deny (fail closed)";
      break;
    }
    case DecidedBy::kDefaultAction:
      out += "no rule matched, defaultAction " + std::string(actionName(policy.defaultAction())) +
             (policy.config().default_action ? "" : " (unset)") + " -> " + verdict;
      break;
  }
  return out;
}

}  // namespace ctplab::proxy::authz
