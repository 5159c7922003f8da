// 20,000 seeded inputs (garbage, mutated and generated headers): the parser and the filter must
// not crash, must stay prefix-stable, and must classify every input consistently.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ctplab/proxy/proxy_protocol/parser.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "proxy_protocol/test_support.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

using testing::Lcg;

constexpr int kInputs = 20000;

const std::vector<std::string> kTokens = {"PROXY ",
                                          "TCP4",
                                          "TCP6",
                                          "UNKNOWN",
                                          " ",
                                          "  ",
                                          "\r\n",
                                          "\r",
                                          "\n",
                                          "192.0.2.1",
                                          "::1",
                                          "2001:db8::2",
                                          "0",
                                          "65535",
                                          "65536",
                                          "080",
                                          "255.255.255.255",
                                          "0.0.0.0",
                                          std::string(kV2Signature),
                                          std::string(1, '\0'),
                                          "\x21\x11",
                                          "\x20\x00",
                                          "\xff"};

std::string randomGarbage(Lcg& rng) {
  std::string out;
  const size_t n = rng.below(160);
  while (out.size() < n) {
    if (rng.below(4) == 0) {
      out += kTokens[rng.below(kTokens.size())];
    } else {
      out += static_cast<char>(rng.below(256));
    }
  }
  return out;
}

std::string randomV4(Lcg& rng) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    out += std::to_string(rng.below(256));
  }
  return out;
}

std::string generatedV1(Lcg& rng) {
  switch (rng.below(3)) {
    case 0:
      return "PROXY TCP4 " + randomV4(rng) + " " + randomV4(rng) + " " +
             std::to_string(rng.below(65536)) + " " + std::to_string(rng.below(65536)) + "\r\n";
    case 1:
      return "PROXY TCP6 2001:db8::" + std::to_string(1 + rng.below(9999)) +
             " ::ffff:" + randomV4(rng) + " " + std::to_string(rng.below(65536)) + " 443\r\n";
    default:
      return "PROXY UNKNOWN" + std::string(rng.below(2) ? " x y" : "") + "\r\n";
  }
}

std::string generatedV2(Lcg& rng) {
  static const uint8_t kFamilies[] = {0x00, 0x11, 0x21, 0x31, 0x12};
  const uint8_t family = kFamilies[rng.below(5)];
  std::string body;
  const size_t block = family == 0x11 || family == 0x12 ? 12
                       : family == 0x21                 ? 36
                       : family == 0x31                 ? 216
                                                        : 0;
  for (size_t i = 0; i < block; ++i) body += static_cast<char>(1 + rng.below(200));
  const size_t tlvs = rng.below(4);
  for (size_t i = 0; i < tlvs; ++i) {
    body += testing::tlv(static_cast<uint8_t>(rng.below(256)), std::string(rng.below(20), 'v'));
  }
  return testing::v2(rng.below(4) ? 0x21 : 0x20, family, body);
}

std::string mutate(std::string s, Lcg& rng) {
  const size_t mutations = rng.below(4);
  for (size_t m = 0; m < mutations && !s.empty(); ++m) {
    const size_t at = rng.below(s.size());
    switch (rng.below(3)) {
      case 0:
        s[at] = static_cast<char>(rng.below(256));
        break;
      case 1:
        s.erase(at, 1 + rng.below(3));
        break;
      default:
        s.insert(at, kTokens[rng.below(kTokens.size())]);
    }
  }
  if (rng.below(3) == 0) s.resize(rng.below(s.size() + 1));  // truncated
  if (rng.below(3) == 0) s += "GET / HTTP/1.1\r\n\r\n";
  return s;
}

std::string input(Lcg& rng) {
  switch (rng.below(4)) {
    case 0:
      return randomGarbage(rng);
    case 1:
      return mutate(generatedV1(rng), rng);
    case 2:
      return mutate(generatedV2(rng), rng);
    default:
      return rng.below(2) ? generatedV1(rng) : generatedV2(rng);
  }
}

// What parseHeader's answer must be consistent with on its own.
void checkShape(std::string_view in, const ParseResult& r) {
  const std::optional<Version> signature = matchSignature(in);
  ASSERT_EQ(std::holds_alternative<NotProxy>(r), !in.empty() && !signature);
  if (const auto* need = std::get_if<NeedMoreBytes>(&r)) {
    ASSERT_GE(need->at_least, 1u);
    ASSERT_LT(in.size(), kV2MaxLength);
  } else if (const auto* bad = std::get_if<Malformed>(&r)) {
    ASSERT_EQ(bad->version, *signature);
    ASSERT_FALSE(bad->reason.empty());
  } else if (const auto* h = std::get_if<ParsedHeader>(&r)) {
    ASSERT_EQ(h->version, *signature);
    ASSERT_LE(h->length, in.size());
    const bool has_ip_family = h->family == Family::kTcp4 || h->family == Family::kTcp6;
    ASSERT_EQ(h->source.has_value(), has_ip_family && h->command == Command::kProxy);
    ASSERT_EQ(h->destination.has_value(), h->source.has_value());
    if (h->source) {
      const auto ip = h->family == Family::kTcp4 ? IpAddress::Family::kV4 : IpAddress::Family::kV6;
      ASSERT_EQ(h->source->address.family(), ip);
      ASSERT_EQ(h->destination->address.family(), ip);
    }
    if (h->version == Version::kV1) {
      ASSERT_LE(h->length, kV1MaxLength);
      ASSERT_EQ(in.substr(h->length - 2, 2), "\r\n");
    } else {
      const auto* b = reinterpret_cast<const uint8_t*>(in.data());
      ASSERT_EQ(h->length, kV2FixedLength + ((b[14] << 8) | b[15]));
    }
  }
}

// Every prefix: undecided until some length, then the final answer; no hint overshoots.
void checkPrefixes(std::string_view in, const ParseResult& final_result) {
  size_t quiet_until = 0;  // prefixes shorter than this must still need more bytes
  bool decided = false;
  for (size_t n = 0; n <= in.size(); ++n) {
    const ParseResult r = parseHeader(in.substr(0, n));
    if (n < quiet_until) {
      ASSERT_TRUE(std::holds_alternative<NeedMoreBytes>(r)) << n;
    }
    if (decided) {
      ASSERT_EQ(r, final_result) << n;
    }
    if (const auto* need = std::get_if<NeedMoreBytes>(&r)) {
      quiet_until = std::max(quiet_until, n + need->at_least);
    } else {
      decided = true;
    }
  }
}

// The filter fed in random pieces agrees with the parser's answer for the whole input.
void checkFilter(std::string_view in, const ParseResult& r, bool optional, Lcg& rng) {
  ProxyProtocolStats stats;
  const Endpoint socket_peer = testing::endpoint("10.0.0.7", 40000);
  ProxyProtocolFilter f(ProxyProtocolConfig{.enabled = true, .optional = optional}, socket_peer,
                        stats);
  size_t i = 0;
  while (i < in.size()) {
    const size_t n = 1 + rng.below(std::min<size_t>(in.size() - i, 64));
    ASSERT_LE(f.feed(in.substr(i, n)), n);
    i += n;
  }
  uint64_t total = 0;
  stats.forEach([&](std::string_view name, uint64_t v) {
    if (name != "downstream_cx_proxy_proto_error") total += v;
  });
  ASSERT_EQ(total, f.state() == FilterState::kPending ? 0u : 1u);
  if (std::holds_alternative<NeedMoreBytes>(r)) {
    ASSERT_EQ(f.state(), FilterState::kPending);
  } else if (std::holds_alternative<NotProxy>(r)) {
    ASSERT_EQ(f.state(), optional ? FilterState::kContinue : FilterState::kClose);
    ASSERT_EQ(f.peer(), socket_peer);
  } else if (const auto* bad = std::get_if<Malformed>(&r)) {
    ASSERT_EQ(f.closeReason(), CloseReason::kError);
    ASSERT_EQ(f.errorDetail(), bad->reason);
  } else {
    const auto& h = std::get<ParsedHeader>(r);
    const bool unsupported = h.version == Version::kV2 && h.command == Command::kProxy &&
                             (h.family == Family::kUnspec || h.family == Family::kUnix);
    ASSERT_EQ(f.state(), unsupported ? FilterState::kClose : FilterState::kContinue);
    ASSERT_EQ(f.header(), h);
    ASSERT_EQ(f.peer(), h.source.value_or(socket_peer));
  }
}

TEST(ProxyProtocolFuzz, TwentyThousandInputsClassifyConsistently) {
  Lcg rng(20240611);
  std::map<std::string, int> seen;
  for (int k = 0; k < kInputs; ++k) {
    const std::string in = input(rng);
    const ParseResult r = parseHeader(in);
    SCOPED_TRACE(::testing::PrintToString(in));
    ASSERT_NO_FATAL_FAILURE(checkShape(in, r));
    ASSERT_NO_FATAL_FAILURE(checkPrefixes(in, r));
    ASSERT_NO_FATAL_FAILURE(checkFilter(in, r, /*optional=*/rng.below(2) == 0, rng));
    if (const auto* h = std::get_if<ParsedHeader>(&r)) {
      ++seen[h->version == Version::kV1 ? "parsed v1" : "parsed v2"];
    } else if (const auto* bad = std::get_if<Malformed>(&r)) {
      ++seen[bad->version == Version::kV1 ? "malformed v1" : "malformed v2"];
    } else {
      ++seen[std::holds_alternative<NotProxy>(r) ? "not proxy" : "need more"];
    }
  }
  // The generator reaches every class often enough for the checks above to mean something.
  for (const char* kind :
       {"parsed v1", "parsed v2", "malformed v1", "malformed v2", "not proxy", "need more"}) {
    EXPECT_GE(seen[kind], 500) << kind;
  }
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
