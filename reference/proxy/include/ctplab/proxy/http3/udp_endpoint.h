// A UDP address and port as the QUIC server sees a datagram's two ends: plain data, no sockets,
// so drivers and tests build them from whatever their I/O layer reports.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "ctplab/common/ip_address.h"

namespace ctplab::proxy::http3 {

struct UdpEndpoint {
  IpAddress address;
  uint16_t port = 0;

  auto operator<=>(const UdpEndpoint&) const = default;
  // `1.2.3.4:443`, `[::1]:443`.
  std::string toString() const;
};

// One datagram to send (or one received): which local address it leaves from and where it goes.
struct Datagram {
  UdpEndpoint local;
  UdpEndpoint remote;
  std::string bytes;
};

}  // namespace ctplab::proxy::http3
