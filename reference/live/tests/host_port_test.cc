#include "ctplab/live/host_port.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

TEST(HostPort, ParsesAndPrints) {
  auto v4 = parseHostPort("127.0.0.1:9901");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9901);
  auto v6 = parseHostPort("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(formatHostPort(v6->host, 80), "[::1]:80");
  EXPECT_EQ(formatHostPort("localhost", 8080), "localhost:8080");
  for (const char* bad : {"", ":80", "host", "host:", "host:65536", "::1:80", "[::1]80", "h:8x"}) {
    EXPECT_FALSE(parseHostPort(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ctplab::live
