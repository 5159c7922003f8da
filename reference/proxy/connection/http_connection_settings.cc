// ir::Listener → HttpConnectionSettings: the timers and limits a ClientTrafficPolicy produced.
#include "ctplab/proxy/connection/http_connection.h"

namespace ctplab::proxy::connection {
namespace {

// Zero disables a timer, as in Envoy.
std::optional<Duration> positive(const std::optional<Duration>& d) {
  return d && d->ns() > 0 ? d : std::nullopt;
}

}  // namespace

HttpConnectionSettings HttpConnectionSettings::fromListener(const policy::ir::Listener& l) {
  HttpConnectionSettings s;
  if (l.timeout && l.timeout->http) {
    const auto& h = *l.timeout->http;
    if (h.idle_timeout) s.idle_timeout = positive(h.idle_timeout);
    s.request_received_timeout = positive(h.request_received_timeout);
    s.request_headers_received_timeout = positive(h.request_headers_received_timeout);
    if (h.stream_idle_timeout) s.stream_idle_timeout = positive(h.stream_idle_timeout);
  }
  if (l.timeout && l.timeout->tcp) {
    s.tls_handshake_timeout = positive(l.timeout->tcp->tls_handshake_timeout);
  }
  if (l.connection && l.connection->limit) {
    const auto& lim = *l.connection->limit;
    s.max_connection_duration = positive(lim.max_connection_duration);
    s.max_requests_per_connection = lim.max_requests_per_connection;
    s.max_stream_duration = positive(lim.max_stream_duration);
  }
  if (l.connection && l.connection->buffer_limit_bytes) {
    const uint32_t limit = *l.connection->buffer_limit_bytes;
    s.buffer_limit_bytes = limit > 0 ? std::optional<uint64_t>(limit) : std::nullopt;
  }
  if (l.http1) s.safe_max_connection_duration = !l.http1->disable_safe_max_connection_duration;
  return s;
}

}  // namespace ctplab::proxy::connection
