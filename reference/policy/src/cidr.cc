#include "cidr.h"

#include <arpa/inet.h>

#include <array>
#include <cstdio>

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

// RFC 5952 text, as Go prints IPv6: the first longest run of two or more zero groups becomes "::".
std::string formatV6(const Bytes& b) {
  std::array<unsigned, 8> groups{};
  for (size_t i = 0; i < 8; ++i) groups[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[static_cast<size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[static_cast<size_t>(j)] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  char hex[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(hex, sizeof(hex), "%x", groups[static_cast<size_t>(i)]);
    out += hex;
  }
  return out;
}

}  // namespace

std::optional<CIDRMatch> parseCIDR(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string addr = text.substr(0, slash), mask = text.substr(slash + 1);
  Bytes bytes{};
  bool v4 = false;
  if (addr.find(':') == std::string::npos) {
    v4 = inet_pton(AF_INET, addr.c_str(), bytes.data() + 12) == 1;
    if (!v4) return std::nullopt;
    bytes[10] = bytes[11] = 0xff;
  } else if (inet_pton(AF_INET6, addr.c_str(), bytes.data()) != 1) {
    return std::nullopt;
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
