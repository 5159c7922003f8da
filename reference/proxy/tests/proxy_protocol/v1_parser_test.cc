// PROXY protocol v1 lines: every valid form, every way a line can be malformed, and truncation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/proxy/proxy_protocol/parser.h"
#include "proxy_protocol/test_support.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

using testing::endpoint;

ParsedHeader parsed(std::string_view input) {
  const ParseResult r = parseHeader(input);
  EXPECT_TRUE(std::holds_alternative<ParsedHeader>(r)) << ::testing::PrintToString(r);
  return std::holds_alternative<ParsedHeader>(r) ? std::get<ParsedHeader>(r) : ParsedHeader{};
}

TEST(ProxyProtocolV1, Tcp4) {
  const std::string line = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n";
  const ParsedHeader h = parsed(line + "GET / HTTP/1.1\r\n");
  EXPECT_EQ(h.version, Version::kV1);
  EXPECT_EQ(h.command, Command::kProxy);
  EXPECT_EQ(h.family, Family::kTcp4);
  EXPECT_EQ(h.source, endpoint("192.0.2.1", 56324));
  EXPECT_EQ(h.destination, endpoint("198.51.100.2", 443));
  EXPECT_EQ(h.length, line.size());  // the payload after CRLF is not part of the header
  EXPECT_EQ(h.tlv_count, 0u);
  EXPECT_FALSE(h.keepsSocketAddresses());
}

TEST(ProxyProtocolV1, Tcp6IncludingPortLimitsAndEmbeddedIpv4) {
  const ParsedHeader h = parsed("PROXY TCP6 2001:db8::1 ::ffff:198.51.100.2 0 65535\r\n");
  EXPECT_EQ(h.family, Family::kTcp6);
  EXPECT_EQ(h.source, endpoint("2001:db8::1", 0));
  EXPECT_EQ(h.destination, endpoint("::ffff:198.51.100.2", 65535));
}

TEST(ProxyProtocolV1, UnknownWithoutAddresses) {
  const ParsedHeader h = parsed("PROXY UNKNOWN\r\n");
  EXPECT_EQ(h.family, Family::kUnspec);
  EXPECT_EQ(h.length, 15u);
  EXPECT_FALSE(h.source.has_value());
  EXPECT_TRUE(h.keepsSocketAddresses());
}

TEST(ProxyProtocolV1, UnknownIgnoresWhateverFollowsUpToCrlf) {
  for (std::string line : {"PROXY UNKNOWN 192.0.2.1 198.51.100.2 1 2\r\n",
                           "PROXY UNKNOWN ffff:: ffff:: 65535 65535\r\n",
                           "PROXY UNKNOWN  not  an address\tat all \r\r\n"}) {
    const ParsedHeader h = parsed(line);
    EXPECT_EQ(h.family, Family::kUnspec) << line;
    EXPECT_EQ(h.length, line.size()) << line;
    EXPECT_FALSE(h.source.has_value()) << line;
  }
}

TEST(ProxyProtocolV1, LineOfExactly107BytesIsTheLongestAccepted) {
  std::string line = "PROXY UNKNOWN ";
  line += std::string(kV1MaxLength - line.size() - 2, 'x') + "\r\n";
  ASSERT_EQ(line.size(), kV1MaxLength);
  EXPECT_EQ(parsed(line).length, kV1MaxLength);

  std::string longer = "PROXY UNKNOWN ";
  longer += std::string(kV1MaxLength - longer.size() - 1, 'x') + "\r\n";
  const ParseResult r = parseHeader(longer);
  ASSERT_TRUE(std::holds_alternative<Malformed>(r));
  EXPECT_EQ(std::get<Malformed>(r).reason, "no CRLF within 107 bytes");
}

TEST(ProxyProtocolV1, OversizedWithoutCrlfIsMalformedAtByte107NotBefore) {
  std::string input = "PROXY TCP4 ";
  while (input.size() < kV1MaxLength - 1) input += '1';
  EXPECT_TRUE(std::holds_alternative<NeedMoreBytes>(parseHeader(input)));
  input += '1';
  EXPECT_EQ(parseHeader(input), ParseResult(Malformed{Version::kV1, "no CRLF within 107 bytes"}));
  input += std::string(500, '1') + "\r\n";
  EXPECT_TRUE(std::holds_alternative<Malformed>(parseHeader(input)));
}

struct MalformedCase {
  const char* name;
  std::string input;
  std::string reason;
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class ProxyProtocolV1Malformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(ProxyProtocolV1Malformed, IsRejectedWithItsReason) {
  const ParseResult r = parseHeader(GetParam().input);
  ASSERT_TRUE(std::holds_alternative<Malformed>(r)) << ::testing::PrintToString(r);
  EXPECT_EQ(std::get<Malformed>(r).version, Version::kV1);
  EXPECT_EQ(std::get<Malformed>(r).reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, ProxyProtocolV1Malformed,
    ::testing::Values(
        MalformedCase{"double_space_after_proxy", "PROXY  TCP4 192.0.2.1 192.0.2.2 1 2\r\n",
                      "empty field (double or trailing space)"},
        MalformedCase{"double_space_between_fields", "PROXY TCP4 192.0.2.1  192.0.2.2 1 2\r\n",
                      "empty field (double or trailing space)"},
        MalformedCase{"trailing_space", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 \r\n",
                      "empty field (double or trailing space)"},
        MalformedCase{"lowercase_protocol", "PROXY tcp4 192.0.2.1 192.0.2.2 1 2\r\n",
                      "unknown protocol"},
        MalformedCase{"unknown_protocol", "PROXY TCP5 192.0.2.1 192.0.2.2 1 2\r\n",
                      "unknown protocol"},
        MalformedCase{"unknown_glued", "PROXY UNKNOWNX\r\n", "unknown protocol"},
        MalformedCase{"nothing_after_proxy", "PROXY \r\n",
                      "empty field (double or trailing space)"},
        MalformedCase{"protocol_only", "PROXY TCP4\r\n", "too few fields"},
        MalformedCase{"too_few_fields", "PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n", "too few fields"},
        MalformedCase{"too_many_fields", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 3\r\n",
                      "too many fields"},
        MalformedCase{"octet_over_255", "PROXY TCP4 192.0.2.256 192.0.2.2 1 2\r\n",
                      "bad source address"},
        MalformedCase{"leading_zero_octet", "PROXY TCP4 192.0.2.1 192.0.2.02 1 2\r\n",
                      "bad destination address"},
        MalformedCase{"hostname", "PROXY TCP4 example.com 192.0.2.2 1 2\r\n", "bad source address"},
        MalformedCase{"tcp4_with_ipv6", "PROXY TCP4 2001:db8::1 192.0.2.2 1 2\r\n",
                      "source address does not match the protocol"},
        MalformedCase{"tcp6_with_ipv4", "PROXY TCP6 2001:db8::1 192.0.2.2 1 2\r\n",
                      "destination address does not match the protocol"},
        MalformedCase{"ipv6_with_zone", "PROXY TCP6 fe80::1%eth0 2001:db8::2 1 2\r\n",
                      "bad source address"},
        MalformedCase{"unspecified_source", "PROXY TCP4 0.0.0.0 192.0.2.2 1 2\r\n",
                      "source address is not unicast"},
        MalformedCase{"multicast_destination", "PROXY TCP6 2001:db8::1 ff02::1 1 2\r\n",
                      "destination address is not unicast"},
        MalformedCase{"leading_zero_port", "PROXY TCP4 192.0.2.1 192.0.2.2 080 2\r\n",
                      "bad source port"},
        MalformedCase{"port_over_65535", "PROXY TCP4 192.0.2.1 192.0.2.2 1 65536\r\n",
                      "bad destination port"},
        MalformedCase{"signed_port", "PROXY TCP4 192.0.2.1 192.0.2.2 +1 2\r\n", "bad source port"},
        MalformedCase{"six_digit_port", "PROXY TCP4 192.0.2.1 192.0.2.2 1 000002\r\n",
                      "bad destination port"},
        MalformedCase{"tab_separator", "PROXY TCP4 192.0.2.1\t192.0.2.2 1 2\r\n", "too few fields"},
        MalformedCase{"bare_lf_is_not_an_end",
                      "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n" + std::string(80, 'x') + "\r\n",
                      "no CRLF within 107 bytes"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ProxyProtocolV1, SignatureMismatchesAreNotProxyEvenWhenLowercase) {
  EXPECT_EQ(parseHeader("proxy TCP4 192.0.2.1 192.0.2.2 1 2\r\n"), ParseResult(NotProxy{}));
  EXPECT_EQ(parseHeader("PROXYTCP4"), ParseResult(NotProxy{}));
  EXPECT_EQ(parseHeader("PROX\r\n"), ParseResult(NotProxy{}));
  EXPECT_EQ(parseHeader(" PROXY "), ParseResult(NotProxy{}));
}

TEST(ProxyProtocolV1, EveryTruncationOfAValidLineNeedsMoreBytes) {
  for (std::string line : {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n",
                           "PROXY TCP6 2001:db8::1 2001:db8::2 1 65535\r\n", "PROXY UNKNOWN\r\n"}) {
    for (size_t n = 0; n < line.size(); ++n) {
      const ParseResult r = parseHeader(std::string_view(line).substr(0, n));
      ASSERT_TRUE(std::holds_alternative<NeedMoreBytes>(r)) << line << " cut at " << n;
      // The hint never overshoots: the full line is at least that far away.
      EXPECT_LE(std::get<NeedMoreBytes>(r).at_least, line.size() - n) << line << " at " << n;
    }
  }
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
