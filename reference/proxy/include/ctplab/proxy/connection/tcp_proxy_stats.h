// TCP proxy counters and gauges a TCP/TLS-route connection decides, with Envoy's names (relative
// to `tcp.<prefix>.`), declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER/GAUGE(field, "envoy.name"), sorted by kind then name. `idle_timeout` is the name the
// spec gives as unconfirmed (4.3).
#define CTPLAB_TCP_PROXY_STATS(COUNTER, GAUGE)                          \
  COUNTER(downstream_cx_rx_bytes_total, "downstream_cx_rx_bytes_total") \
  COUNTER(downstream_cx_total, "downstream_cx_total")                   \
  COUNTER(downstream_cx_tx_bytes_total, "downstream_cx_tx_bytes_total") \
  COUNTER(downstream_flow_control_paused_reading_total,                 \
          "downstream_flow_control_paused_reading_total")               \
  COUNTER(downstream_flow_control_resumed_reading_total,                \
          "downstream_flow_control_resumed_reading_total")              \
  COUNTER(idle_timeout, "idle_timeout")                                 \
  GAUGE(downstream_cx_tx_bytes_buffered, "downstream_cx_tx_bytes_buffered")

namespace ctplab::proxy::connection {

struct TcpProxyStats {
#define CTPLAB_TP_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_TCP_PROXY_STATS(CTPLAB_TP_DECLARE, CTPLAB_TP_DECLARE)
#undef CTPLAB_TP_DECLARE

  // Calls fn(std::string_view envoy_name, uint64_t value, bool is_gauge) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_TP_VISIT_COUNTER(field, name) fn(std::string_view(name), field, false);
#define CTPLAB_TP_VISIT_GAUGE(field, name) fn(std::string_view(name), field, true);
    CTPLAB_TCP_PROXY_STATS(CTPLAB_TP_VISIT_COUNTER, CTPLAB_TP_VISIT_GAUGE)
#undef CTPLAB_TP_VISIT_COUNTER
#undef CTPLAB_TP_VISIT_GAUGE
  }
};

}  // namespace ctplab::proxy::connection
