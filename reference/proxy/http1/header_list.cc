// Case-insensitive header helpers and RFC 9110 field syntax checks.
#include "ctplab/proxy/http1/header_list.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace ctplab::proxy::http1 {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// lower() on each of eight bytes at once: 0x20 is set in exactly the bytes 'A'..'Z'.
uint64_t lowerAscii8(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHigh = 0x8080808080808080;
  const uint64_t low7 = x & ~kHigh;                         // each byte below 0x80, no carry across
  const uint64_t at_least_a = low7 + kOnes * (0x80 - 'A');  // high bit: byte >= 'A'
  const uint64_t above_z = low7 + kOnes * (0x80 - 'Z' - 1);    // high bit: byte > 'Z'
  const uint64_t upper = (at_least_a ^ above_z) & ~x & kHigh;  // 'A'..'Z', ASCII only
  return x | (upper >> 2);
}

// RFC 9110 tchar, by byte: every field name of every message is checked against it.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

}  // namespace

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Eight bytes at a time: field names are compared for nearly every field of every message.
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y && lowerAscii8(x) != lowerAscii8(y)) return false;
  }
  for (; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const Header* findHeader(const HeaderList& headers, std::string_view name) {
  for (const Header& h : headers) {
    if (equalsIgnoreCase(h.name, name)) return &h;
  }
  return nullptr;
}

bool hasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (equalsIgnoreCase(trimOws(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool isTokenChar(char c) { return kTokenChars[static_cast<unsigned char>(c)]; }

bool isValidFieldName(std::string_view name) {
  // No early exit: valid names are the rule, and a loop without a branch per byte is faster.
  bool all = !name.empty();
  for (char c : name) all &= kTokenChars[static_cast<unsigned char>(c)];
  return all;
}

bool isValidFieldValue(std::string_view value) {
  for (char c : value) {
    // One comparison for nearly every byte: the three refused ones are all below 14.
    if (static_cast<unsigned char>(c) <= '\r' && (c == '\r' || c == '\n' || c == '\0')) {
      return false;
    }
  }
  return true;
}

}  // namespace ctplab::proxy::http1
