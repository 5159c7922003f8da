// A BackendTrafficPolicy's `rateLimit` → the IR's rate limit, with the checks and messages of
// Envoy Gateway's buildRateLimit (default bucket, unit multiples, selectors). Internal.
#pragma once

#include <optional>
#include <string>

#include "ctplab/policy/ir.h"
#include "ctplab/policy/resources.h"

namespace ctplab::policy {

struct BuiltRateLimit {
  std::optional<ir::RateLimit> rate_limit;
  std::optional<std::string> error;  // without the "RateLimit: " prefix
};

// `global_enabled`: whether the controller has a global rate-limit service.
BuiltRateLimit buildRateLimit(const BackendTrafficPolicy& policy, bool global_enabled);

// Seconds in a rate-limit unit (Month = 30 days, Year = 365); 0 for an unknown unit.
int64_t rateLimitUnitSeconds(const std::string& unit);

}  // namespace ctplab::policy
