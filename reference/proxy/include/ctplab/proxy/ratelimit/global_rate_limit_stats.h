// Global rate-limit filter counters with Envoy's names (`ratelimit.*`, which Envoy roots at the
// route's upstream cluster: `cluster.<name>.ratelimit.ok`), declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctplab/proxy/ratelimit/global_rate_limit.h"

// COUNTER(field, "envoy.name"), sorted by name. All entries are counters.
#define CTPLAB_GLOBAL_RATELIMIT_STATS(COUNTER)                    \
  COUNTER(error, "ratelimit.error")                               \
  COUNTER(failure_mode_allowed, "ratelimit.failure_mode_allowed") \
  COUNTER(ok, "ratelimit.ok")                                     \
  COUNTER(over_limit, "ratelimit.over_limit")

namespace ctplab::proxy::ratelimit {

struct GlobalRateLimitStats {
#define CTPLAB_GLOBAL_RATELIMIT_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_GLOBAL_RATELIMIT_STATS(CTPLAB_GLOBAL_RATELIMIT_DECLARE)
#undef CTPLAB_GLOBAL_RATELIMIT_DECLARE

  // One decision after a service call; a request without descriptors never calls the service
  // and is not counted. A failure counts as error, and as failure_mode_allowed when it let the
  // request through; shadow-mode hits count as ok (the service answered OK).
  void record(const GlobalDecision& decision) {
    if (decision.failed) {
      ++error;
      if (decision.failed_open) ++failure_mode_allowed;
    } else if (decision.allowed) {
      ++ok;
    } else {
      ++over_limit;
    }
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_GLOBAL_RATELIMIT_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_GLOBAL_RATELIMIT_STATS(CTPLAB_GLOBAL_RATELIMIT_VISIT)
#undef CTPLAB_GLOBAL_RATELIMIT_VISIT
  }
};

}  // namespace ctplab::proxy::ratelimit
