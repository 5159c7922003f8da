// Builders for PROXY protocol test inputs (v2 headers, address blocks, TLVs), a seeded LCG for
// the fuzz and split tests, and readable gtest output for parser results.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

#include "ctplab/proxy/proxy_protocol/header.h"
#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::proxy::proxy_protocol {

inline void PrintTo(const ParseResult& r, std::ostream* os) {
  if (const auto* need = std::get_if<NeedMoreBytes>(&r)) {
    *os << "NeedMoreBytes{" << need->at_least << "}";
  } else if (std::holds_alternative<NotProxy>(r)) {
    *os << "NotProxy";
  } else if (const auto* bad = std::get_if<Malformed>(&r)) {
    *os << "Malformed{v" << (bad->version == Version::kV1 ? 1 : 2) << ", " << bad->reason << "}";
  } else {
    const auto& h = std::get<ParsedHeader>(r);
    *os << "Parsed{v" << (h.version == Version::kV1 ? 1 : 2) << ", family "
        << static_cast<int>(h.family) << ", length " << h.length << ", tlvs " << h.tlv_count;
    if (h.source) *os << ", src " << h.source->address.toString() << ":" << h.source->port;
    *os << "}";
  }
}

namespace testing {

// Knuth's MMIX LCG: fixed seeds give the same inputs on every platform.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;  // the low bits of an LCG are weak
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }

 private:
  uint64_t state_;
};

inline std::string be16(uint16_t v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

// A v2 header with an explicit length field (which may disagree with `body`).
inline std::string v2WithLength(uint8_t version_command, uint8_t family, uint16_t length,
                                std::string_view body) {
  std::string out(kV2Signature);
  out += static_cast<char>(version_command);
  out += static_cast<char>(family);
  out += be16(length);
  out += body;
  return out;
}

inline std::string v2(uint8_t version_command, uint8_t family, std::string_view body) {
  return v2WithLength(version_command, family, static_cast<uint16_t>(body.size()), body);
}

inline std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

inline std::string inet4Block(std::initializer_list<int> src, std::initializer_list<int> dst,
                              uint16_t sport, uint16_t dport) {
  return bytes(src) + bytes(dst) + be16(sport) + be16(dport);
}

inline std::string tlv(uint8_t type, std::string_view value) {
  return std::string(1, static_cast<char>(type)) + be16(static_cast<uint16_t>(value.size())) +
         std::string(value);
}

inline Endpoint endpoint(std::string_view ip, uint16_t port) {
  return Endpoint{IpAddress::parse(ip).value(), port};
}

// 192.0.2.1:56324 → 198.51.100.2:443 over TCP4.
inline std::string sampleInet4Block() {
  return inet4Block({192, 0, 2, 1}, {198, 51, 100, 2}, 56324, 443);
}

// 2001:db8::1:4000 → 2001:db8::2:8443 over TCP6.
inline std::string sampleInet6Block() {
  std::string src(16, '\0'), dst(16, '\0');
  src[0] = dst[0] = 0x20;
  src[1] = dst[1] = 0x01;
  src[2] = dst[2] = 0x0d;
  src[3] = dst[3] = static_cast<char>(0xb8);
  src[15] = 1;
  dst[15] = 2;
  return src + dst + be16(4000) + be16(8443);
}

}  // namespace testing
}  // namespace ctplab::proxy::proxy_protocol
