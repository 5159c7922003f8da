// PROXY protocol v2 headers: PROXY over INET/INET6 with and without TLVs, LOCAL, UNSPEC, UNIX,
// every malformed form, and truncation at every length.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/proxy/proxy_protocol/parser.h"
#include "proxy_protocol/test_support.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

using testing::endpoint;
using testing::inet4Block;
using testing::sampleInet4Block;
using testing::sampleInet6Block;
using testing::tlv;
using testing::v2;
using testing::v2WithLength;

constexpr uint8_t kProxy = 0x21;
constexpr uint8_t kLocal = 0x20;
constexpr uint8_t kTcp4 = 0x11;
constexpr uint8_t kTcp6 = 0x21;

ParsedHeader parsed(std::string_view input) {
  const ParseResult r = parseHeader(input);
  EXPECT_TRUE(std::holds_alternative<ParsedHeader>(r)) << ::testing::PrintToString(r);
  return std::holds_alternative<ParsedHeader>(r) ? std::get<ParsedHeader>(r) : ParsedHeader{};
}

Malformed malformed(std::string_view input) {
  const ParseResult r = parseHeader(input);
  EXPECT_TRUE(std::holds_alternative<Malformed>(r)) << ::testing::PrintToString(r);
  return std::holds_alternative<Malformed>(r) ? std::get<Malformed>(r) : Malformed{};
}

TEST(ProxyProtocolV2, ProxyInet) {
  const std::string header = v2(kProxy, kTcp4, sampleInet4Block());
  const ParsedHeader h = parsed(header + "payload");
  EXPECT_EQ(h.version, Version::kV2);
  EXPECT_EQ(h.command, Command::kProxy);
  EXPECT_EQ(h.family, Family::kTcp4);
  EXPECT_EQ(h.source, endpoint("192.0.2.1", 56324));
  EXPECT_EQ(h.destination, endpoint("198.51.100.2", 443));
  EXPECT_EQ(h.length, 28u);
  EXPECT_EQ(h.tlv_count, 0u);
}

TEST(ProxyProtocolV2, ProxyInetWithTlvsSkipsAndCountsThem) {
  // ALPN, authority, an empty NOOP: all well-formed, all skipped.
  const std::string tlvs = tlv(0x01, "h2") + tlv(0x02, "example.com") + tlv(0x04, "");
  const ParsedHeader h = parsed(v2(kProxy, kTcp4, sampleInet4Block() + tlvs));
  EXPECT_EQ(h.tlv_count, 3u);
  EXPECT_EQ(h.length, 16u + 12u + tlvs.size());
  EXPECT_EQ(h.source, endpoint("192.0.2.1", 56324));
}

TEST(ProxyProtocolV2, ProxyInet6WithAndWithoutTlvs) {
  const ParsedHeader plain = parsed(v2(kProxy, kTcp6, sampleInet6Block()));
  EXPECT_EQ(plain.family, Family::kTcp6);
  EXPECT_EQ(plain.source, endpoint("2001:db8::1", 4000));
  EXPECT_EQ(plain.destination, endpoint("2001:db8::2", 8443));
  EXPECT_EQ(plain.length, 52u);

  const ParsedHeader with_tlv = parsed(v2(kProxy, kTcp6, sampleInet6Block() + tlv(0xE0, "x")));
  EXPECT_EQ(with_tlv.tlv_count, 1u);
  EXPECT_EQ(with_tlv.source, plain.source);
}

TEST(ProxyProtocolV2, LocalDiscardsItsWholeBlock) {
  const ParsedHeader empty = parsed(v2(kLocal, 0x00, ""));
  EXPECT_EQ(empty.command, Command::kLocal);
  EXPECT_EQ(empty.length, 16u);
  EXPECT_TRUE(empty.keepsSocketAddresses());

  // Addresses, junk and an invalid family byte are all ignored under LOCAL (HAProxy 2.2).
  const ParsedHeader with_block = parsed(v2(kLocal, kTcp4, sampleInet4Block() + "\x01"));
  EXPECT_EQ(with_block.family, Family::kTcp4);
  EXPECT_FALSE(with_block.source.has_value());
  EXPECT_EQ(with_block.tlv_count, 0u);
  EXPECT_EQ(with_block.length, 29u);
  EXPECT_EQ(parsed(v2(kLocal, 0x77, "abc")).family, Family::kUnspec);
  EXPECT_EQ(parsed(v2(kLocal, 0x12, "")).command, Command::kLocal);  // DGRAM ignored too
}

TEST(ProxyProtocolV2, ProxyUnspecCarriesNoAddressButItsTlvsAreChecked) {
  const ParsedHeader h = parsed(v2(kProxy, 0x00, tlv(0x05, "id")));
  EXPECT_EQ(h.command, Command::kProxy);
  EXPECT_EQ(h.family, Family::kUnspec);
  EXPECT_FALSE(h.source.has_value());
  EXPECT_EQ(h.tlv_count, 1u);
  EXPECT_EQ(malformed(v2(kProxy, 0x00, "junk")).reason, "TLV value overruns the header length");
}

TEST(ProxyProtocolV2, ProxyUnixSkipsItsPathBlock) {
  const ParsedHeader h = parsed(v2(kProxy, 0x31, std::string(216, '/')));
  EXPECT_EQ(h.family, Family::kUnix);
  EXPECT_FALSE(h.source.has_value());
  EXPECT_EQ(h.length, 16u + 216u);
}

TEST(ProxyProtocolV2, LongestHeaderIsParsedAndNothingBeyondIsRead) {
  const std::string value(65535 - 12 - 3, 'v');
  const std::string header = v2(kProxy, kTcp4, sampleInet4Block() + tlv(0x20, value));
  ASSERT_EQ(header.size(), kV2MaxLength);
  const ParsedHeader h = parsed(header + std::string(1000, 'p'));
  EXPECT_EQ(h.length, kV2MaxLength);
  EXPECT_EQ(h.tlv_count, 1u);
}

TEST(ProxyProtocolV2, BadVersionOrCommandIsDecidedFromByte13) {
  std::string sig(kV2Signature);
  EXPECT_EQ(malformed(sig + "\x11").reason, "unsupported version");
  EXPECT_EQ(malformed(sig + "\x31").reason, "unsupported version");
  EXPECT_EQ(malformed(sig + std::string(1, '\0')).reason, "unsupported version");
  EXPECT_EQ(malformed(sig + "\x22").reason, "unsupported command");
  EXPECT_EQ(malformed(sig + "\x2F").reason, "unsupported command");
  EXPECT_EQ(malformed(sig + "\x22").version, Version::kV2);
}

TEST(ProxyProtocolV2, InvalidFamilyBytesAndDatagramsAreRejected) {
  for (uint8_t family : {0x01, 0x10, 0x13, 0x41, 0xFF}) {
    EXPECT_EQ(malformed(v2(kProxy, family, sampleInet4Block())).reason,
              "invalid family/transport byte")
        << int{family};
  }
  for (uint8_t family : {0x12, 0x22, 0x32}) {
    EXPECT_EQ(malformed(v2(kProxy, family, std::string(216, '\x01'))).reason,
              "unsupported transport DGRAM on a TCP listener")
        << int{family};
  }
}

TEST(ProxyProtocolV2, LengthShorterThanTheAddressBlock) {
  EXPECT_EQ(malformed(v2WithLength(kProxy, kTcp4, 11, std::string(11, '\x01'))).reason,
            "length shorter than the address block");
  EXPECT_EQ(malformed(v2WithLength(kProxy, kTcp6, 35, "")).reason,
            "length shorter than the address block");
  EXPECT_EQ(malformed(v2WithLength(kProxy, 0x31, 215, "")).reason,
            "length shorter than the address block");
  // Decided from the 16 fixed bytes alone: no need to wait for the body.
  EXPECT_TRUE(std::holds_alternative<Malformed>(parseHeader(v2WithLength(kProxy, kTcp4, 0, ""))));
}

TEST(ProxyProtocolV2, TlvsOverrunningTheLength) {
  const std::string block = sampleInet4Block();
  EXPECT_EQ(malformed(v2(kProxy, kTcp4, block + "\x01")).reason,
            "TLV header overruns the header length");
  EXPECT_EQ(malformed(v2(kProxy, kTcp4, block + tlv(1, "ab") + std::string("\x01\x00", 2))).reason,
            "TLV header overruns the header length");
  EXPECT_EQ(malformed(v2(kProxy, kTcp4, block + tlv(1, "abc").substr(0, 5))).reason,
            "TLV value overruns the header length");
  // A TLV that would fit in the bytes received but not in the declared length.
  std::string overrun = v2WithLength(kProxy, kTcp4, 12 + 3, block + tlv(1, "abcd"));
  EXPECT_EQ(malformed(overrun).reason, "TLV value overruns the header length");
}

TEST(ProxyProtocolV2, AddressesMustBeUnicast) {
  EXPECT_EQ(malformed(v2(kProxy, kTcp4, inet4Block({0, 0, 0, 0}, {192, 0, 2, 2}, 1, 2))).reason,
            "source address is not unicast");
  EXPECT_EQ(
      malformed(v2(kProxy, kTcp4, inet4Block({192, 0, 2, 1}, {255, 255, 255, 255}, 1, 2))).reason,
      "destination address is not unicast");
  EXPECT_EQ(malformed(v2(kProxy, kTcp4, inet4Block({224, 0, 0, 1}, {192, 0, 2, 2}, 1, 2))).reason,
            "source address is not unicast");
  std::string v6 = sampleInet6Block();
  v6[16] = static_cast<char>(0xff);  // destination ff..::2
  EXPECT_EQ(malformed(v2(kProxy, kTcp6, v6)).reason, "destination address is not unicast");
}

TEST(ProxyProtocolV2, EveryTruncationNeedsMoreBytesAndTheHintIsExactOnceLengthIsKnown) {
  for (const std::string& header :
       {v2(kProxy, kTcp4, sampleInet4Block() + tlv(1, "h2")), v2(kProxy, kTcp6, sampleInet6Block()),
        v2(kLocal, 0x00, ""), v2(kProxy, 0x31, std::string(216, 'p'))}) {
    for (size_t n = 0; n < header.size(); ++n) {
      const ParseResult r = parseHeader(std::string_view(header).substr(0, n));
      ASSERT_TRUE(std::holds_alternative<NeedMoreBytes>(r)) << "cut at " << n;
      const size_t hint = std::get<NeedMoreBytes>(r).at_least;
      if (n >= kV2FixedLength) {
        EXPECT_EQ(hint, header.size() - n);
      } else {
        EXPECT_LE(hint, header.size() - n);
      }
    }
  }
}

TEST(ProxyProtocolV2, SignatureMismatchAnywhereInTheFirst12BytesIsNotProxy) {
  const std::string good = v2(kProxy, kTcp4, sampleInet4Block());
  for (size_t i = 0; i < kV2Signature.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x40);
    EXPECT_EQ(parseHeader(bad), ParseResult(NotProxy{})) << "byte " << i;
    // Decided as soon as the differing byte arrives.
    EXPECT_EQ(parseHeader(std::string_view(bad).substr(0, i + 1)), ParseResult(NotProxy{}));
  }
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
