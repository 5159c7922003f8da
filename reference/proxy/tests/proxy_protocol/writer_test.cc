#include "ctplab/proxy/proxy_protocol/writer.h"

#include <gtest/gtest.h>

#include "ctplab/proxy/proxy_protocol/parser.h"
#include "test_support.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

Endpoint ep(const char* ip, uint16_t port) { return {*IpAddress::parse(ip), port}; }

TEST(ProxyProtocolWriter, V1Text) {
  EXPECT_EQ(writeHeader(Version::kV1, ep("192.0.2.1", 40000), ep("10.0.0.5", 80)),
            "PROXY TCP4 192.0.2.1 10.0.0.5 40000 80\r\n");
  EXPECT_EQ(writeHeader(Version::kV1, ep("2001:db8::1", 1), ep("2001:db8::2", 443)),
            "PROXY TCP6 2001:db8::1 2001:db8::2 1 443\r\n");
  EXPECT_EQ(writeHeader(Version::kV1, ep("2001:db8::1", 1), ep("10.0.0.5", 80)),
            "PROXY UNKNOWN\r\n");
}

TEST(ProxyProtocolWriter, EveryWrittenHeaderParsesBackToItsAddresses) {
  for (Version version : {Version::kV1, Version::kV2}) {
    for (auto [src, dst] : {std::pair{ep("203.0.113.7", 51000), ep("10.1.2.3", 10080)},
                            std::pair{ep("2001:db8::7", 2), ep("2001:db8::1", 443)}}) {
      const std::string bytes = writeHeader(version, src, dst) + "GET / HTTP/1.1\r\n";
      auto parsed = parseHeader(bytes);
      ASSERT_TRUE(std::holds_alternative<ParsedHeader>(parsed));
      const auto& h = std::get<ParsedHeader>(parsed);
      EXPECT_EQ(h.version, version);
      ASSERT_TRUE(h.source.has_value());
      EXPECT_EQ(*h.source, src);
      EXPECT_EQ(*h.destination, dst);
      EXPECT_EQ(bytes.substr(h.length), "GET / HTTP/1.1\r\n");
    }
  }
}

TEST(ProxyProtocolWriter, V2MixedFamiliesIsLocal) {
  auto parsed = parseHeader(writeHeader(Version::kV2, ep("2001:db8::1", 1), ep("10.0.0.1", 2)));
  ASSERT_TRUE(std::holds_alternative<ParsedHeader>(parsed));
  EXPECT_EQ(std::get<ParsedHeader>(parsed).command, Command::kLocal);
  EXPECT_FALSE(std::get<ParsedHeader>(parsed).source.has_value());
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
