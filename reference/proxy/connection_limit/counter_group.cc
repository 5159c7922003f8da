#include "ctplab/proxy/connection_limit/counter_group.h"

namespace ctplab::proxy::connection_limit {

CounterGroup::Decision CounterGroup::onConnectionOpened(TimePoint now) {
  Decision d;
  ++stats_.active_connections;
  // Envoy's filter compares before incrementing and counts rejected connections too, so a slot
  // freed while rejected connections wait out closeDelay can still leave newcomers rejected.
  const bool over = config_.limit.has_value() && count_ >= *config_.limit;
  ++count_;
  if (over) {
    ++stats_.limited_connections;
    d.admitted = false;
    d.close_at = now + config_.close_delay;
  }
  return d;
}

void CounterGroup::onConnectionClosed() {
  // Bounded at zero: a close without an open is a driver bug, not a reason to wrap around.
  if (count_ > 0) --count_;
  if (stats_.active_connections > 0) --stats_.active_connections;
}

}  // namespace ctplab::proxy::connection_limit
