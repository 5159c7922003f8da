// Local rate-limit counters with Envoy's names under Envoy Gateway's stat prefix
// (`http_local_rate_limiter.http_local_rate_limit.*`), declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctplab/proxy/ratelimit/local_rate_limiter.h"

// COUNTER(field, "envoy.name"), sorted by name. All entries are counters.
#define CTPLAB_RATELIMIT_STATS(COUNTER)                                       \
  COUNTER(enabled, "http_local_rate_limiter.http_local_rate_limit.enabled")   \
  COUNTER(enforced, "http_local_rate_limiter.http_local_rate_limit.enforced") \
  COUNTER(ok, "http_local_rate_limiter.http_local_rate_limit.ok")             \
  COUNTER(rate_limited, "http_local_rate_limiter.http_local_rate_limit.rate_limited")

namespace ctplab::proxy::ratelimit {

// Owned by whoever aggregates: Envoy keys these by stat prefix, which every route's limiter on a
// listener shares, so one instance usually serves many LocalRateLimiters.
struct RateLimitStats {
#define CTPLAB_RATELIMIT_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_RATELIMIT_STATS(CTPLAB_RATELIMIT_DECLARE)
#undef CTPLAB_RATELIMIT_DECLARE

  // Every decision is one filter pass with the filter enabled (Envoy Gateway sets 100%). A
  // shadow-mode bucket that ran dry counts as rate_limited but is not enforced.
  void record(const Decision& decision) {
    ++enabled;
    if (!decision.limited()) {
      ++ok;
      return;
    }
    ++rate_limited;
    if (!decision.allowed) ++enforced;
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_RATELIMIT_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_RATELIMIT_STATS(CTPLAB_RATELIMIT_VISIT)
#undef CTPLAB_RATELIMIT_VISIT
  }
};

}  // namespace ctplab::proxy::ratelimit
