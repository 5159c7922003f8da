// A compiled authorization policy: checks an AuthzConfig once, then decides per client IP (and,
// for HTTP, method and path) which rule applies, in time logarithmic in the number of rules.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ctplab/common/cidr_set.h"
#include "ctplab/common/ip_address.h"
#include "ctplab/common/ip_cidr.h"
#include "ctplab/proxy/authz/authz_config.h"
#include "ctplab/proxy/authz/decision.h"
#include "ctplab/proxy/result.h"

namespace re2 {
class RE2;
}

namespace ctplab::proxy::authz {

// First match wins: the lowest-index rule whose conditions all hold decides; otherwise the default
// action (Deny when unset, so no rules and no default deny everything).
//
// Rules that depend on the client IP alone go into one CidrSet, whose smallest matching index is
// the first such rule to match. Rules with further conditions (operation, or conditions not
// modelled here) go into a second CidrSet and are visited in index order, only below that bound,
// until one's conditions hold. A rule without clientCIDRs matches every address. Each conditional
// candidate that fails costs one more CidrSet step, so only lists where many earlier conditional
// rules share the client's range evaluate slower than a pure IP list.
//
// A rule with an unmodelled condition (jwt, headers, geolocation, CEL) whose other conditions
// hold denies (fails closed) instead of guessing: the real proxy might match it or move on.
class AuthzPolicy {
 public:
  // Errors name the field: an unparsable CIDR, a rule with no principal or CEL condition, an
  // empty method, more than 16 methods, a name over 253 characters, a path expression RE2
  // rejects.
  static Result<AuthzPolicy> compile(AuthzConfig config);

  // `client` is the detected client IP (spec 4.6, after PROXY protocol); `path` is the request
  // path after normalization, anything from `?` on is ignored.
  // `jwt` is the JWT filter's outcome for the request (nullptr: the route has no JWT
  // authentication, so no principal.jwt can match).
  Decision evaluateHttp(const IpAddress& client, std::string_view method, std::string_view path,
                        const jwt::Outcome* jwt = nullptr) const;
  // `peer` is the connection's source (or the PROXY protocol source). Rules with operation
  // conditions never match a connection: it has no method or path.
  Decision evaluateTcp(const IpAddress& peer) const;

  const AuthzConfig& config() const { return config_; }
  Action defaultAction() const { return config_.default_action.value_or(Action::kDeny); }
  // The parsed clientCIDRs of rule `index`, in the order written.
  const std::vector<IpCidr>& ruleCidrs(uint32_t index) const { return rules_[index].cidrs; }

 private:
  struct CompiledRule {
    std::vector<IpCidr> cidrs;
    std::shared_ptr<const re2::RE2> path_regex;  // operation.path RegularExpression
    bool has_operation = false;
    bool unmodelled = false;
  };
  struct Operation {
    std::string_view method;
    std::string_view path;
    const jwt::Outcome* jwt = nullptr;
  };

  Decision evaluate(const IpAddress& client, const Operation* operation) const;
  Decision ruleDecision(uint32_t index, DecidedBy decided_by) const;

  AuthzConfig config_;
  std::vector<CompiledRule> rules_;
  CidrSet by_ip_only_;       // rules decided by the client IP alone
  CidrSet with_conditions_;  // rules that need more than the client IP
};

}  // namespace ctplab::proxy::authz
