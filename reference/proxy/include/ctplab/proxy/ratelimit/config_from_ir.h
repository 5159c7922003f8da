// The policy engine's `traffic.rateLimit.local` of a route as the local rate limiter's plain
// values, so the data plane validates and compiles exactly what the translation produced.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/ratelimit/global_rate_limit.h"
#include "ctplab/proxy/ratelimit/ratelimit_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::ratelimit {

// `disable_rate_limit_headers` is the listener's ClientTrafficPolicy headers setting. Errors name
// the rule (an unknown unit, a selector kind the local limiter cannot express).
Result<LocalRateLimitSpec> localSpecFromIr(const policy::ir::LocalRateLimit& local,
                                           bool disable_rate_limit_headers);

// Counters are named after the route (`route_name`), or after the policy for shared rules.
Result<GlobalRateLimitSpec> globalSpecFromIr(const policy::ir::RateLimit& rate_limit,
                                             const std::string& route_name,
                                             bool disable_rate_limit_headers);

Result<Unit> unitFromIr(const std::string& unit);
Result<Limit> limitFromIr(const policy::ir::RateLimitValue& value);
// A rule's clientSelectors, shared with the global limiter's rules.
Result<ClientSelectors> selectorsFromIr(const policy::ir::RateLimitRule& rule);

}  // namespace ctplab::proxy::ratelimit
