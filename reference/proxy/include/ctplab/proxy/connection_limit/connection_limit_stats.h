// Connection-limit counters with Envoy's names (`connection_limit.<prefix>.`), declared once from
// one list so exporters and tests walk the same entries.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER/GAUGE(field, "envoy.name"), sorted by kind then name.
#define CTPLAB_CONNECTION_LIMIT_STATS(COUNTER, GAUGE) \
  COUNTER(limited_connections, "limited_connections") \
  GAUGE(active_connections, "active_connections")

namespace ctplab::proxy::connection_limit {

struct ConnectionLimitStats {
#define CTPLAB_CL_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_CONNECTION_LIMIT_STATS(CTPLAB_CL_DECLARE, CTPLAB_CL_DECLARE)
#undef CTPLAB_CL_DECLARE

  // Calls fn(std::string_view envoy_name, uint64_t value, bool is_gauge) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_CL_VISIT_COUNTER(field, name) fn(std::string_view(name), field, false);
#define CTPLAB_CL_VISIT_GAUGE(field, name) fn(std::string_view(name), field, true);
    CTPLAB_CONNECTION_LIMIT_STATS(CTPLAB_CL_VISIT_COUNTER, CTPLAB_CL_VISIT_GAUGE)
#undef CTPLAB_CL_VISIT_COUNTER
#undef CTPLAB_CL_VISIT_GAUGE
  }
};

}  // namespace ctplab::proxy::connection_limit
