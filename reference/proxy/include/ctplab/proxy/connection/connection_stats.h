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
  COUNTER(downstream_flow_control_paused_reading_total,                             \
          "downstream_flow_control_paused_reading_total")                           \
  COUNTER(downstream_flow_control_resumed_reading_total,                            \
          "downstream_flow_control_resumed_reading_total")                          \
  COUNTER(downstream_rq_1xx, "downstream_rq_1xx")                                   \
  COUNTER(downstream_rq_2xx, "downstream_rq_2xx")                                   \
  COUNTER(downstream_rq_3xx, "downstream_rq_3xx")                                   \
  COUNTER(downstream_rq_4xx, "downstream_rq_4xx")                                   \
  COUNTER(downstream_rq_5xx, "downstream_rq_5xx")                                   \
  COUNTER(downstream_rq_completed, "downstream_rq_completed")                       \
  COUNTER(downstream_rq_header_timeout, "downstream_rq_header_timeout")             \
  COUNTER(downstream_rq_idle_timeout, "downstream_rq_idle_timeout")                 \
  COUNTER(downstream_rq_max_duration_reached, "downstream_rq_max_duration_reached") \
  COUNTER(downstream_rq_rx_reset, "downstream_rq_rx_reset")                         \
  COUNTER(downstream_rq_timeout, "downstream_rq_timeout")                           \
  COUNTER(downstream_rq_total, "downstream_rq_total")

namespace ctplab::proxy::connection {

struct HttpConnectionStats {
#define CTPLAB_HC_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_HTTP_CONNECTION_STATS(CTPLAB_HC_DECLARE)
#undef CTPLAB_HC_DECLARE

  // A response went downstream: its class (downstream_rq_<N>xx) and downstream_rq_completed.
  void countResponse(int status) {
    switch (status / 100) {
      case 1:
        ++downstream_rq_1xx;
        break;
      case 2:
        ++downstream_rq_2xx;
        break;
      case 3:
        ++downstream_rq_3xx;
        break;
      case 4:
        ++downstream_rq_4xx;
        break;
      default:
        ++downstream_rq_5xx;
        break;
    }
    ++downstream_rq_completed;
  }

  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_HC_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP_CONNECTION_STATS(CTPLAB_HC_VISIT)
#undef CTPLAB_HC_VISIT
  }
};

}  // namespace ctplab::proxy::connection
