// Listener counters the connection phases decide (TLS handshake and inspection timeouts), with
// Envoy's names (relative to `listener.<address>.`), declared once from one list.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"), sorted by name.
#define CTPLAB_LISTENER_CONNECTION_STATS(COUNTER)           \
  COUNTER(downstream_cx_transport_socket_connect_timeout,   \
          "downstream_cx_transport_socket_connect_timeout") \
  COUNTER(downstream_pre_cx_timeout, "downstream_pre_cx_timeout")

namespace ctplab::proxy::connection {

struct ListenerConnectionStats {
#define CTPLAB_LC_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_LISTENER_CONNECTION_STATS(CTPLAB_LC_DECLARE)
#undef CTPLAB_LC_DECLARE

  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_LC_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_LISTENER_CONNECTION_STATS(CTPLAB_LC_VISIT)
#undef CTPLAB_LC_VISIT
  }
};

}  // namespace ctplab::proxy::connection
