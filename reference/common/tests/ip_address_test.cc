#include "ctplab/common/ip_address.h"

#include <gtest/gtest.h>

namespace ctplab {
namespace {

TEST(IpAddress, ParsesLiterals) {
  EXPECT_EQ(IpAddress::parse("203.0.113.7")->toString(), "203.0.113.7");
  EXPECT_EQ(IpAddress::parse("::")->toString(), "::");
  EXPECT_EQ(IpAddress::parse("::1")->toString(), "::1");
  EXPECT_EQ(IpAddress::parse("2001:DB8:0:0:1::1")->toString(), "2001:db8::1:0:0:1");
  EXPECT_EQ(IpAddress::parse("::ffff:192.0.2.1")->bytes()[15], 1);
  EXPECT_EQ(IpAddress::parse("fe80::")->family(), IpAddress::Family::kV6);
}

TEST(IpAddress, PrintsEveryOctetAndGroupWidth) {
  EXPECT_EQ(IpAddress::parse("0.0.0.0")->toString(), "0.0.0.0");
  EXPECT_EQ(IpAddress::parse("255.255.255.255")->toString(), "255.255.255.255");
  EXPECT_EQ(IpAddress::parse("10.200.3.99")->toString(), "10.200.3.99");
  EXPECT_EQ(IpAddress::parse("ffff:a:0:1::")->toString(), "ffff:a:0:1::");
  EXPECT_EQ(IpAddress::parse("1:2:3:4:5:6:7:8")->toString(), "1:2:3:4:5:6:7:8");
}

TEST(IpAddress, RejectsNonLiterals) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4:80", "[::1]",
                          "::1%eth0", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":1",
                          "1:", "example.com", "1:2:3:4:5:6:7:8::"}) {
    EXPECT_FALSE(IpAddress::parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ctplab
