// Go-compatible CIDR parsing: what the translator accepts and how the IR prints the network.
#include "cidr.h"

#include <gtest/gtest.h>

namespace ctplab::policy {
namespace {

struct Case {
  const char* in;
  const char* cidr;
  uint32_t mask_len;
  bool ipv6;
};

TEST(CIDR, MasksAndPrintsLikeGo) {
  const Case cases[] = {
      {"192.168.1.7/24", "192.168.1.0/24", 24, false},
      {"0.0.0.0/0", "0.0.0.0/0", 0, false},
      {"10.0.0.1/032", "10.0.0.1/32", 32, false},
      {"2001:DB8::1/32", "2001:db8::/32", 32, true},
      {"::/0", "::/0", 0, true},
      {"2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128", 128, true},
      {"1:0:0:2:0:0:3:4/128", "1::2:0:0:3:4/128", 128, true},
      {"1:2:3:4:5:6:0:8/128", "1:2:3:4:5:6:0:8/128", 128, true},
      {"::ffff:1.2.3.4/120", "1.2.3.0/24", 120, false},
  };
  for (const auto& c : cases) {
    auto m = parseCIDR(c.in);
    ASSERT_TRUE(m.has_value()) << c.in;
    EXPECT_EQ(m->cidr, c.cidr) << c.in;
    EXPECT_EQ(m->mask_len, c.mask_len) << c.in;
    EXPECT_EQ(m->is_ipv6, c.ipv6) << c.in;
  }
}

TEST(CIDR, RejectsWhatGoRejects) {
  for (const char* bad : {"10.0.0.1", "10.0.0.0/33", "010.0.0.0/8", "10.0.0/8", "10.0.0.0/",
                          "10.0.0.0/-1", "fe80::1%eth0/64", "::/129", "x/8"}) {
    EXPECT_FALSE(parseCIDR(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ctplab::policy
