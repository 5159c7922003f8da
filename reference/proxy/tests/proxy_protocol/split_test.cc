// Byte-by-byte and random splits give the same outcome as one chunk: same verdict, peer, counters,
// and the same bytes handed on to the next stage.
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
using testing::sampleInet4Block;
using testing::sampleInet6Block;
using testing::tlv;
using testing::v2;

const std::string kPayload = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

std::vector<std::string> corpus() {
  std::string long_unknown = "PROXY UNKNOWN ";
  long_unknown += std::string(kV1MaxLength - long_unknown.size() - 2, 'u') + "\r\n";
  return {
      "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n" + kPayload,
      "PROXY TCP6 2001:db8::1 2001:db8::2 0 65535\r\n" + kPayload,
      "PROXY UNKNOWN\r\n" + kPayload,
      "PROXY UNKNOWN 192.0.2.1 198.51.100.2 1 2\r\n",
      long_unknown + kPayload,
      v2(0x21, 0x11, sampleInet4Block()) + kPayload,
      v2(0x21, 0x11, sampleInet4Block() + tlv(1, "h2") + tlv(2, "example.com")) + kPayload,
      v2(0x21, 0x21, sampleInet6Block() + tlv(0xEE, "")) + kPayload,
      v2(0x20, 0x00, "") + kPayload,
      v2(0x21, 0x00, "") + kPayload,
      v2(0x21, 0x31, std::string(216, 'p')) + kPayload,
      v2(0x21, 0x12, sampleInet4Block()),
      v2(0x21, 0x11, sampleInet4Block() + std::string("\x01\x00", 2)),
      "PROXY TCP4 192.0.2.1  198.51.100.2 1 2\r\n",
      "PROXY TCP4 192.0.2.1 198.51.100.2 1 65536\r\n",
      "PROXY TCP4 " + std::string(200, '9'),
      "PROXY TCP4 192.0.2.1",  // never completes
      kPayload,
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      testing::bytes({0x16, 0x03, 0x01, 0x02, 0x00, 0x01}),
      "\r\n\r\n\r\n",
      "",
  };
}

struct Outcome {
  FilterState state = FilterState::kPending;
  CloseReason reason = CloseReason::kNone;
  std::string detail;
  Endpoint peer;
  std::optional<ParsedHeader> header;
  std::map<std::string, uint64_t> counters;
  std::string handed_on;  // what the next stage reads: passthrough, then untaken bytes
  bool operator==(const Outcome&) const = default;
};

Outcome run(const ProxyProtocolConfig& config, const std::vector<std::string_view>& pieces) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(config, testing::endpoint("10.0.0.7", 40000), stats);
  std::string untaken;
  for (std::string_view piece : pieces) {
    const size_t taken = f.feed(piece);
    EXPECT_LE(taken, piece.size());
    if (f.state() != FilterState::kPending) untaken += piece.substr(taken);
  }
  Outcome out{f.state(), f.closeReason(), f.errorDetail(), f.peer(), f.header(), {}, {}};
  stats.forEach([&](std::string_view name, uint64_t v) {
    if (v != 0) out.counters.emplace(std::string(name), v);
  });
  if (f.state() == FilterState::kContinue) out.handed_on = std::string(f.passthrough()) + untaken;
  return out;
}

std::vector<std::string_view> whole(std::string_view s) { return {s}; }

std::vector<std::string_view> byteByByte(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size(); ++i) out.push_back(s.substr(i, 1));
  return out;
}

std::vector<std::string_view> randomSplits(std::string_view s, Lcg& rng) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = 1 + rng.below(std::min<size_t>(s.size() - i, 40));
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

class ProxyProtocolSplit : public ::testing::TestWithParam<bool> {};

TEST_P(ProxyProtocolSplit, EverySplitGivesTheOneChunkOutcome) {
  const ProxyProtocolConfig config{.enabled = true, .optional = GetParam()};
  Lcg rng(7);
  for (const std::string& input : corpus()) {
    const Outcome reference = run(config, whole(input));
    EXPECT_EQ(run(config, byteByByte(input)), reference) << ::testing::PrintToString(input);
    for (int round = 0; round < 20; ++round) {
      ASSERT_EQ(run(config, randomSplits(input, rng)), reference)
          << ::testing::PrintToString(input);
    }
    if (reference.state == FilterState::kContinue) {
      // The next stage sees exactly what follows the header, or everything when there was none.
      const size_t header_length = reference.header ? reference.header->length : 0;
      EXPECT_EQ(reference.handed_on, input.substr(header_length));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RequiredAndOptional, ProxyProtocolSplit, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "optional" : "required"; });

TEST(ProxyProtocolSplit, ParserIsPrefixStableOnTheCorpus) {
  for (const std::string& input : corpus()) {
    const ParseResult final_result = parseHeader(input);
    bool decided = false;
    for (size_t n = 0; n <= input.size(); ++n) {
      const ParseResult r = parseHeader(std::string_view(input).substr(0, n));
      if (decided) {
        ASSERT_EQ(r, final_result) << ::testing::PrintToString(input) << " at " << n;
      }
      decided = decided || !std::holds_alternative<NeedMoreBytes>(r);
    }
  }
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
