// Connection-manager counters the HTTP connection state machine decides, with Envoy's names
// (relative to `http.<prefix>.`), declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"), sorted by name.
#define CTPLAB_HTTP_CONNECTION_STATS(COUNTER)                                       \
  COUNTER(downstream_cx_idle_timeout, "downstream_cx_idle_timeout")                 \
  COUNTER(downstream_cx_max_duration_reached, "downstream_cx_max_duration_reached") \
  COUNTER(downstream_cx_max_requests_reached, "downstream_cx_max_requests_reached") \
  COUNTER(downstream_rq_idle_timeout, "downstream_rq_idle_timeout")                 \
  COUNTER(downstream_rq_max_duration_reached, "downstream_rq_max_duration_reached") \
  COUNTER(downstream_rq_timeout, "downstream_rq_timeout")

namespace ctplab::proxy::connection {

struct HttpConnectionStats {
#define CTPLAB_HC_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_HTTP_CONNECTION_STATS(CTPLAB_HC_DECLARE)
#undef CTPLAB_HC_DECLARE

  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_HC_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP_CONNECTION_STATS(CTPLAB_HC_VISIT)
#undef CTPLAB_HC_VISIT
  }
};

}  // namespace ctplab::proxy::connection
