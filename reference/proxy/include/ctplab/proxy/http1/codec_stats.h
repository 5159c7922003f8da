// Counters the HTTP/1 codec decides, declared once from one list with Envoy's names (relative to
// the HCM prefix `http.<stat_prefix>.`), so exporters and tests walk the same list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"); sorted by name. All entries are counters.
#define CTPLAB_HTTP1_CODEC_STATS(COUNTER)                                                         \
  COUNTER(downstream_cx_http1_total, "downstream_cx_http1_total")                                 \
  COUNTER(downstream_cx_protocol_error, "downstream_cx_protocol_error")                           \
  COUNTER(downstream_cx_upgrades_total, "downstream_cx_upgrades_total")                           \
  COUNTER(downstream_rq_http1_total, "downstream_rq_http1_total")                                 \
  COUNTER(downstream_rq_response_before_rq_complete, "downstream_rq_response_before_rq_complete") \
  COUNTER(downstream_rq_too_large, "downstream_rq_too_large")                                     \
  COUNTER(downstream_rq_ws_on_non_ws_route, "downstream_rq_ws_on_non_ws_route")                   \
  COUNTER(http1_dropped_headers_with_underscores, "http1.dropped_headers_with_underscores")       \
  COUNTER(http1_requests_rejected_with_underscores_in_headers,                                    \
          "http1.requests_rejected_with_underscores_in_headers")

namespace ctplab::proxy::http1 {

// Owned by whoever aggregates (one per listener counter group); codecs only increment.
struct CodecStats {
#define CTPLAB_HTTP1_DECLARE_COUNTER(field, name) uint64_t field = 0;
  CTPLAB_HTTP1_CODEC_STATS(CTPLAB_HTTP1_DECLARE_COUNTER)
#undef CTPLAB_HTTP1_DECLARE_COUNTER

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_HTTP1_VISIT_COUNTER(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP1_CODEC_STATS(CTPLAB_HTTP1_VISIT_COUNTER)
#undef CTPLAB_HTTP1_VISIT_COUNTER
  }
};

}  // namespace ctplab::proxy::http1
