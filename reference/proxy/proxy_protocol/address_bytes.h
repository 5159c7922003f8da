// Addresses as PROXY headers carry them: raw network-order bytes turned into IpAddress, and the
// unicast check Envoy applies before adopting a header's addresses.
#pragma once

#include <cstdint>

#include "ctplab/common/ip_address.h"

namespace ctplab::proxy::proxy_protocol {

// `bytes` holds 4 (kV4) or 16 (kV6) network-order bytes.
IpAddress ipFromBytes(const uint8_t* bytes, IpAddress::Family family);

// Not the unspecified address, not multicast, not the IPv4 broadcast address.
bool isUnicast(const IpAddress& address);

// Network-order 16-bit value.
inline uint16_t readBigEndian16(const uint8_t* bytes) {
  return static_cast<uint16_t>((bytes[0] << 8) | bytes[1]);
}

}  // namespace ctplab::proxy::proxy_protocol
