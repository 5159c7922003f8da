// The outcome of evaluating one client against an authorization policy: allowed or not, and
// which rule (or the default action) decided, for stats, local replies and `ctplab explain`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ctplab::proxy::authz {

enum class DecidedBy {
  kRule,            // the first rule, in order, whose conditions all matched
  kDefaultAction,   // no rule matched
  kUnmodelledRule,  // a rule with conditions not evaluated here could have matched: denied
};

struct Decision {
  bool allowed = false;
  DecidedBy decided_by = DecidedBy::kDefaultAction;
  std::optional<uint32_t> rule;  // the deciding rule's index; unset for the default action
  // The deciding rule's name (empty when unnamed or for the default action). It points into the
  // policy, so evaluation copies no strings; valid while that policy is neither moved nor gone.
  std::string_view rule_name;
};

}  // namespace ctplab::proxy::authz
