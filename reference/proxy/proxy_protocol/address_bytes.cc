#include "address_bytes.h"

#include <cassert>
#include <optional>
#include <string>

namespace ctplab::proxy::proxy_protocol {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// IpAddress has no byte constructor, so the bytes go through its literal parser; the full
// (uncompressed) form keeps the formatting trivial.
std::string literalFor(const uint8_t* bytes, IpAddress::Family family) {
  std::string text;
  if (family == IpAddress::Family::kV4) {
    for (int i = 0; i < 4; ++i) {
      if (i > 0) text += '.';
      text += std::to_string(bytes[i]);
    }
    return text;
  }
  for (int group = 0; group < 8; ++group) {
    if (group > 0) text += ':';
    for (int i = 0; i < 2; ++i) {
      const uint8_t b = bytes[2 * group + i];
      text += kHexDigits[b >> 4];
      text += kHexDigits[b & 0xf];
    }
  }
  return text;
}

}  // namespace

IpAddress ipFromBytes(const uint8_t* bytes, IpAddress::Family family) {
  std::optional<IpAddress> parsed = IpAddress::parse(literalFor(bytes, family));
  assert(parsed.has_value());
  return parsed.value_or(IpAddress());
}

bool isUnicast(const IpAddress& address) {
  const auto& b = address.bytes();
  if (address.family() == IpAddress::Family::kV4) {
    const bool unspecified = b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    const bool broadcast = b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255;
    const bool multicast = (b[0] & 0xf0) == 0xe0;  // 224.0.0.0/4
    return !unspecified && !broadcast && !multicast;
  }
  bool unspecified = true;
  for (uint8_t byte : b) unspecified = unspecified && byte == 0;
  return !unspecified && b[0] != 0xff;  // ff00::/8
}

}  // namespace ctplab::proxy::proxy_protocol
