#include "ctplab/common/ip_cidr.h"

#include <gtest/gtest.h>

namespace ctplab {
namespace {

TEST(IpCidr, ParsesAndClearsHostBits) {
  auto c = IpCidr::parse("10.1.2.3/8");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->toString(), "10.0.0.0/8");
  EXPECT_EQ(c->size(), 1u << 24);
  EXPECT_EQ(IpCidr::parse("192.168.1.7")->toString(), "192.168.1.7/32");
  EXPECT_EQ(IpCidr::parse("2001:db8::1/32")->toString(), "2001:db8::/32");
}

TEST(IpCidr, RejectsMalformed) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0/8", "::/129",
                          "10.0.0.0/-1", "10.0.0.0/8x", "", "/8"}) {
    EXPECT_FALSE(IpCidr::parse(bad)) << bad;
  }
}

TEST(IpCidr, Contains) {
  auto c = *IpCidr::parse("192.168.0.0/23");
  EXPECT_TRUE(c.contains(*IpAddress::parse("192.168.1.255")));
  EXPECT_FALSE(c.contains(*IpAddress::parse("192.168.2.0")));
  EXPECT_FALSE(c.contains(*IpAddress::parse("::ffff:1")));
  EXPECT_TRUE(IpCidr::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
}

TEST(IpCidr, AddressAtCarriesAndWraps) {
  auto c = *IpCidr::parse("10.0.0.0/8");
  EXPECT_EQ(c.addressAt(0).toString(), "10.0.0.0");
  EXPECT_EQ(c.addressAt(256).toString(), "10.0.1.0");
  EXPECT_EQ(c.addressAt(65537).toString(), "10.1.0.1");
  EXPECT_EQ(c.addressAt((1u << 24) + 5).toString(), "10.0.0.5");
  auto v6 = *IpCidr::parse("2001:db8::/64");
  EXPECT_EQ(v6.addressAt(0x1ff).toString(), "2001:db8::1ff");
  EXPECT_EQ(v6.size(), UINT64_MAX);
}

}  // namespace
}  // namespace ctplab
