#include "ctplab/common/ip_address.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace ctplab {
namespace {

std::optional<std::array<uint8_t, 4>> parseV4(std::string_view s) {
  std::array<uint8_t, 4> out{};
  size_t part = 0, i = 0;
  while (part < 4) {
    size_t start = i;
    unsigned value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      if (value > 255 || i - start >= 3) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    if (i - start > 1 && s[start] == '0') return std::nullopt;  // no leading zeros
    out[part++] = static_cast<uint8_t>(value);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::array<uint8_t, 16>> parseV6(std::string_view s) {
  std::array<uint8_t, 16> out{};
  int ellipsis = -1;
  size_t n = 0;  // bytes written
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    i = 2;
    if (i == s.size()) return out;
  }
  while (i < s.size()) {
    size_t start = i;
    unsigned value = 0;
    while (i < s.size() && hexValue(s[i]) >= 0 && i - start < 4) {
      value = value * 16 + static_cast<unsigned>(hexValue(s[i]));
      ++i;
    }
    if (i == start) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
      // Embedded IPv4 in the last 32 bits.
      if (n > 12) return std::nullopt;
      auto v4 = parseV4(s.substr(start));
      if (!v4) return std::nullopt;
      for (uint8_t b : *v4) out[n++] = b;
      i = s.size();
      break;
    }
    if (i < s.size() && hexValue(s[i]) >= 0) return std::nullopt;  // more than 4 hex digits
    if (n + 2 > 16) return std::nullopt;
    out[n++] = static_cast<uint8_t>(value >> 8);
    out[n++] = static_cast<uint8_t>(value & 0xff);
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (ellipsis >= 0) return std::nullopt;
      ellipsis = static_cast<int>(n);
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single colon
    }
  }
  if (n < 16) {
    if (ellipsis < 0) return std::nullopt;
    size_t gap = 16 - n;
    for (size_t k = n; k-- > static_cast<size_t>(ellipsis);) out[k + gap] = out[k];
    for (size_t k = static_cast<size_t>(ellipsis); k < static_cast<size_t>(ellipsis) + gap; ++k) {
      out[k] = 0;
    }
  } else if (ellipsis >= 0) {
    return std::nullopt;  // "::" must stand for at least one group
  }
  return out;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  IpAddress a;
  if (text.find(':') == std::string_view::npos) {
    auto v4 = parseV4(text);
    if (!v4) return std::nullopt;
    a.family_ = Family::kV4;
    for (size_t i = 0; i < 4; ++i) a.bytes_[i] = (*v4)[i];
    return a;
  }
  auto v6 = parseV6(text);
  if (!v6) return std::nullopt;
  a.family_ = Family::kV6;
  a.bytes_ = *v6;
  return a;
}

IpAddress IpAddress::v4(const std::array<uint8_t, 4>& bytes) {
  IpAddress a;
  a.family_ = Family::kV4;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = Family::kV6;
  a.bytes_ = bytes;
  return a;
}

std::string IpAddress::toString() const {
  // Formatted by hand: this runs for every request (X-Forwarded-For, logs, the echo body) and
  // printf's format parsing costs more than the work.
  char buf[64];
  if (family_ == Family::kV4) {
    char* p = buf;
    for (int i = 0; i < 4; ++i) {
      if (i > 0) *p++ = '.';
      p = std::to_chars(p, buf + sizeof buf, bytes_[i]).ptr;
    }
    return std::string(buf, p);
  }
  // RFC 5952: the longest run (length >= 2) of zero groups becomes "::".
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (bytes_[2 * i] == 0 && bytes_[2 * i + 1] == 0) {
      int j = i;
      while (j < 8 && bytes_[2 * j] == 0 && bytes_[2 * j + 1] == 0) ++j;
      if (j - i > best_len && j - i >= 2) {
        best_start = i;
        best_len = j - i;
      }
      i = j;
    } else {
      ++i;
    }
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    const unsigned group = (bytes_[2 * i] << 8) | bytes_[2 * i + 1];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, group, 16).ptr);
  }
  return out;
}

}  // namespace ctplab
