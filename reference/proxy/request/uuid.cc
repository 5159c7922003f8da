// Version-4 UUID text from caller-supplied bits, byte for byte as Envoy's random generator builds
// it.
#include "ctplab/proxy/request/uuid.h"

#include <array>

namespace ctplab::proxy::request {

std::string formatUuidV4(RandomBits128 bits) {
  std::array<uint8_t, 16> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(bits.high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<uint8_t>(bits.low >> (56 - 8 * i));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4: random
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 1: RFC 4122

  static constexpr char kHex[] = "0123456789abcdef";
  // Formatted into a fixed buffer and copied once: one request ID per request.
  char text[36];
  size_t n = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[n++] = '-';
    text[n++] = kHex[bytes[i] >> 4];
    text[n++] = kHex[bytes[i] & 0x0f];
  }
  return std::string(text, n);
}

}  // namespace ctplab::proxy::request
