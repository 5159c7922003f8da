// Connection-manager counters a driver keeps per connection (relative to `http.<prefix>.`):
// totals, TLS, closes. Request counters are HttpConnectionStats'; declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER/GAUGE(field, "envoy.name"), sorted by kind then name.
#define CTPLAB_HCM_STATS(COUNTER, GAUGE)                                \
  COUNTER(downstream_cx_destroy, "downstream_cx_destroy")               \
  COUNTER(downstream_cx_destroy_local, "downstream_cx_destroy_local")   \
  COUNTER(downstream_cx_destroy_remote, "downstream_cx_destroy_remote") \
  COUNTER(downstream_cx_ssl_total, "downstream_cx_ssl_total")           \
  COUNTER(downstream_cx_total, "downstream_cx_total")                   \
  GAUGE(downstream_cx_active, "downstream_cx_active")

namespace ctplab::proxy::router {

struct HcmStats {
#define CTPLAB_HCM_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_HCM_STATS(CTPLAB_HCM_DECLARE, CTPLAB_HCM_DECLARE)
#undef CTPLAB_HCM_DECLARE

  // Calls fn(std::string_view envoy_name, uint64_t value, bool is_gauge) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_HCM_VISIT_COUNTER(field, name) fn(std::string_view(name), field, false);
#define CTPLAB_HCM_VISIT_GAUGE(field, name) fn(std::string_view(name), field, true);
    CTPLAB_HCM_STATS(CTPLAB_HCM_VISIT_COUNTER, CTPLAB_HCM_VISIT_GAUGE)
#undef CTPLAB_HCM_VISIT_COUNTER
#undef CTPLAB_HCM_VISIT_GAUGE
  }
};

}  // namespace ctplab::proxy::router
