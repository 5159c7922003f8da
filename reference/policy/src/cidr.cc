#include "cidr.h"

#include <array>

#include "ctplab/common/ip_address.h"

namespace ctplab::policy {
namespace {

using Bytes = std::array<uint8_t, 16>;

bool isV4Mapped(const Bytes& b) {
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) return false;
  }
  return b[10] == 0xff && b[11] == 0xff;
}

std::string formatV4(const uint8_t* b) {
  return std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." +
         std::to_string(b[3]);
}

// RFC 5952 text, as Go prints IPv6: through the address parser, whose text form is that one.
std::string formatV6(const Bytes& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < 16; i += 2) {
    if (i != 0) text += ':';
    const unsigned v = (unsigned{b[i]} << 8) | b[i + 1];
    for (int shift = 12; shift >= 0; shift -= 4) text += kHex[(v >> shift) & 15];
  }
  return IpAddress::parse(text)->toString();
}

}  // namespace

std::optional<CIDRMatch> parseCIDR(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string addr = text.substr(0, slash), mask = text.substr(slash + 1);
  // Go parses the address as net.ParseIP does, which IpAddress::parse follows; IPv4 is then
  // held in its 16-byte IPv4-mapped form.
  const auto ip = IpAddress::parse(addr);
  if (!ip) return std::nullopt;
  const bool v4 = ip->family() == IpAddress::Family::kV4;
  Bytes bytes{};
  if (v4) {
    bytes[10] = bytes[11] = 0xff;
    for (size_t i = 0; i < 4; ++i) bytes[12 + i] = ip->bytes()[i];
  } else {
    bytes = ip->bytes();
  }
  if (mask.empty()) return std::nullopt;
  uint32_t len = 0;
  for (char c : mask) {
    if (c < '0' || c > '9') return std::nullopt;
    len = len * 10 + static_cast<uint32_t>(c - '0');
    if (len > 128) return std::nullopt;  // leading zeros are fine ("024"), as Go's dtoi reads
  }
  // An IPv4 prefix counts bits of the 4-byte address; Go masks the 16-byte form from bit 96.
  const uint32_t bits = v4 ? 32 : 128;
  if (len > bits) return std::nullopt;
  const uint32_t keep = v4 ? len + 96 : len;
  const bool mapped_before_mask = isV4Mapped(bytes);
  for (uint32_t bit = keep; bit < 128; ++bit) {
    bytes[bit / 8] = static_cast<uint8_t>(bytes[bit / 8] & ~(0x80u >> (bit % 8)));
  }
  CIDRMatch m;
  m.mask_len = len;
  m.is_ipv6 = !mapped_before_mask;
  if (isV4Mapped(bytes) && keep >= 96) {
    m.cidr = formatV4(bytes.data() + 12) + "/" + std::to_string(keep - 96);
  } else {
    m.cidr = formatV6(bytes) + "/" + std::to_string(keep);
  }
  return m;
}

}  // namespace ctplab::policy
