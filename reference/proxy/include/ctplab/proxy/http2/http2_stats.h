// Counters the HTTP/2 server connection decides, declared once from one list with Envoy's names
// (relative to the HCM prefix `http.<stat_prefix>.`), so exporters and tests walk the same list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"); sorted by name. All entries are counters. Names without the
// `http2.` prefix are HCM counters that the HTTP/1 codec also increments (CodecStats), so an
// exporter adds the values of equal names.
#define CTPLAB_HTTP2_STATS(COUNTER)                                                         \
  COUNTER(downstream_cx_http2_total, "downstream_cx_http2_total")                           \
  COUNTER(downstream_cx_protocol_error, "downstream_cx_protocol_error")                     \
  COUNTER(downstream_rq_http2_total, "downstream_rq_http2_total")                           \
  COUNTER(downstream_rq_too_large, "downstream_rq_too_large")                               \
  COUNTER(http2_dropped_headers_with_underscores, "http2.dropped_headers_with_underscores") \
  COUNTER(http2_goaway_sent, "http2.goaway_sent")                                           \
  COUNTER(http2_header_overflow, "http2.header_overflow")                                   \
  COUNTER(http2_keepalive_timeout, "http2.keepalive_timeout")                               \
  COUNTER(http2_requests_rejected_with_underscores_in_headers,                              \
          "http2.requests_rejected_with_underscores_in_headers")                            \
  COUNTER(http2_rx_messaging_error, "http2.rx_messaging_error")                             \
  COUNTER(http2_rx_reset, "http2.rx_reset")                                                 \
  COUNTER(http2_stream_refused_errors, "http2.stream_refused_errors")                       \
  COUNTER(http2_trailers, "http2.trailers")                                                 \
  COUNTER(http2_tx_reset, "http2.tx_reset")

namespace ctplab::proxy::http2 {

// Owned by whoever aggregates (one per listener counter group); connections only increment.
struct Http2Stats {
#define CTPLAB_HTTP2_DECLARE_COUNTER(field, name) uint64_t field = 0;
  CTPLAB_HTTP2_STATS(CTPLAB_HTTP2_DECLARE_COUNTER)
#undef CTPLAB_HTTP2_DECLARE_COUNTER

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_HTTP2_VISIT_COUNTER(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP2_STATS(CTPLAB_HTTP2_VISIT_COUNTER)
#undef CTPLAB_HTTP2_VISIT_COUNTER
  }
};

}  // namespace ctplab::proxy::http2
