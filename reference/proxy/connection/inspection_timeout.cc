// ir::Listener → the listener-filter inspection limit.
#include "ctplab/proxy/connection/inspection_timeout.h"

namespace ctplab::proxy::connection {

std::optional<Duration> connectionInspectionTimeout(const policy::ir::Listener& first_listener) {
  const auto& timeout = first_listener.timeout;
  if (!timeout || !timeout->tcp || !timeout->tcp->connection_inspection_timeout) {
    return kDefaultConnectionInspectionTimeout;
  }
  const Duration d = *timeout->tcp->connection_inspection_timeout;
  if (d.ns() <= 0) return std::nullopt;
  return d;
}

}  // namespace ctplab::proxy::connection
