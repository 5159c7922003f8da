// Counters of one QUIC/HTTP/3 server (one UDP port), relative to `listener.<address>.http3.`:
// what arrived that could not be served or was passed to another worker's server, how connections
// began (resumed, with 0-RTT) and ended. Declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "name"), sorted by name.
#define CTPLAB_HTTP3_STATS(COUNTER)                                             \
  COUNTER(connection_close_sent, "connection_close_sent")                       \
  COUNTER(downstream_cx_idle_timeout, "downstream_cx_idle_timeout")             \
  COUNTER(downstream_cx_resumed, "downstream_cx_resumed")                       \
  COUNTER(downstream_cx_total, "downstream_cx_total")                           \
  COUNTER(downstream_cx_zero_rtt, "downstream_cx_zero_rtt")                     \
  COUNTER(downstream_rx_datagram_dropped, "downstream_rx_datagram_dropped")     \
  COUNTER(downstream_rx_datagram_forwarded, "downstream_rx_datagram_forwarded") \
  COUNTER(handshake_failed, "handshake_failed")                                 \
  COUNTER(no_filter_chain_match, "no_filter_chain_match")                       \
  COUNTER(stateless_reset_sent, "stateless_reset_sent")                         \
  COUNTER(version_negotiation_sent, "version_negotiation_sent")

// The header checks of HTTP/3 requests (spec 4.11), relative to the listener's `http.<prefix>.`.
#define CTPLAB_HTTP3_CODEC_STATS(COUNTER)                                             \
  COUNTER(dropped_headers_with_underscores, "http3.dropped_headers_with_underscores") \
  COUNTER(requests_rejected_with_underscores_in_headers,                              \
          "http3.requests_rejected_with_underscores_in_headers")

namespace ctplab::proxy::http3 {

struct Http3CodecStats {
#define CTPLAB_H3_CODEC_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_HTTP3_CODEC_STATS(CTPLAB_H3_CODEC_DECLARE)
#undef CTPLAB_H3_CODEC_DECLARE

  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_H3_CODEC_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP3_CODEC_STATS(CTPLAB_H3_CODEC_VISIT)
#undef CTPLAB_H3_CODEC_VISIT
  }
};

struct Http3Stats {
#define CTPLAB_H3_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_HTTP3_STATS(CTPLAB_H3_DECLARE)
#undef CTPLAB_H3_DECLARE

  // Calls fn(std::string_view name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_H3_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_HTTP3_STATS(CTPLAB_H3_VISIT)
#undef CTPLAB_H3_VISIT
  }
};

}  // namespace ctplab::proxy::http3
