#include "ctplab/policy/units.h"

#include <gtest/gtest.h>

namespace ctplab::policy {
namespace {

TEST(GoDuration, ParsesLikeGo) {
  EXPECT_EQ(parseGoDuration("300s").value, Duration::seconds(300));
  EXPECT_EQ(parseGoDuration("1h30m").value, Duration::seconds(5400));
  EXPECT_EQ(parseGoDuration("1.5s").value, Duration::milliseconds(1500));
  EXPECT_EQ(parseGoDuration("0").value, Duration());
  EXPECT_EQ(parseGoDuration("-2ms").value, Duration::milliseconds(-2));
}

TEST(GoDuration, ErrorsLikeGo) {
  EXPECT_EQ(parseGoDuration("5sec").error, "time: unknown unit \"sec\" in duration \"5sec\"");
  EXPECT_EQ(parseGoDuration("10mib").error, "time: unknown unit \"mib\" in duration \"10mib\"");
  EXPECT_EQ(parseGoDuration("10").error, "time: missing unit in duration \"10\"");
  EXPECT_EQ(parseGoDuration("").error, "time: invalid duration \"\"");
  EXPECT_EQ(parseGoDuration(".s").error, "time: invalid duration \".s\"");
  EXPECT_EQ(parseGoDuration("9999999999999h").error, "time: invalid duration \"9999999999999h\"");
  // The time package escapes every non-ASCII and control byte, printable or not.
  EXPECT_EQ(parseGoDuration("5\xC2\xB5x").error,
            "time: unknown unit \"\\xc2\\xb5x\" in duration \"5\\xc2\\xb5x\"");
  EXPECT_EQ(parseGoDuration("1\ts").error, "time: unknown unit \"\\x09s\" in duration \"1\\x09s\"");
}

TEST(GoDuration, FormatsLikeGo) {
  EXPECT_EQ(formatGoDuration(Duration::seconds(300)), "5m0s");
  EXPECT_EQ(formatGoDuration(Duration::seconds(200)), "3m20s");
  EXPECT_EQ(formatGoDuration(Duration::seconds(3600)), "1h0m0s");
  EXPECT_EQ(formatGoDuration(Duration::seconds(10)), "10s");
  EXPECT_EQ(formatGoDuration(Duration::milliseconds(1500)), "1.5s");
  EXPECT_EQ(formatGoDuration(Duration::milliseconds(500)), "500ms");
  EXPECT_EQ(formatGoDuration(Duration::microseconds(3)), "3\xC2\xB5s");
  EXPECT_EQ(formatGoDuration(Duration()), "0s");
  EXPECT_EQ(formatGoDuration(Duration::seconds(-61)), "-1m1s");
}

TEST(GatewayDuration, Pattern) {
  EXPECT_TRUE(matchesGatewayDuration("1h30m"));
  EXPECT_TRUE(matchesGatewayDuration("500ms"));
  EXPECT_FALSE(matchesGatewayDuration("1.5s"));
  EXPECT_FALSE(matchesGatewayDuration("10mib"));
  EXPECT_FALSE(matchesGatewayDuration("100000s"));
}

TEST(Quantity, IntegerValues) {
  EXPECT_EQ(Quantity::parse("50M")->asInt64(), 50000000);
  EXPECT_EQ(Quantity::parse("96Ki")->asInt64(), 96 * 1024);
  EXPECT_EQ(Quantity::parse("1500")->asInt64(), 1500);
  EXPECT_FALSE(Quantity::parse("500m")->asInt64().has_value());
  EXPECT_FALSE(Quantity::parse("15x").has_value());
  EXPECT_FALSE(Quantity::parse("").has_value());
}

TEST(Quantity, CanonicalText) {
  EXPECT_EQ(Quantity::parse("500m")->toString(), "500m");
  EXPECT_EQ(Quantity::parse("100G")->toString(), "100G");
  EXPECT_EQ(Quantity::parse("1Ki")->toString(), "1Ki");
  EXPECT_EQ(Quantity::parse("1Ti")->toString(), "1Ti");
  EXPECT_EQ(Quantity::parse("8193Ki")->toString(), "8193Ki");
  EXPECT_EQ(Quantity::parse("2048Ki")->toString(), "2Mi");
  EXPECT_EQ(Quantity::parse("512")->toString(), "512");
  EXPECT_EQ(Quantity::parse("1.5")->toString(), "1500m");
}

TEST(Quantity, CrdPattern) {
  EXPECT_TRUE(matchesQuantityPattern("60k"));
  EXPECT_TRUE(matchesQuantityPattern("96Ki"));
  EXPECT_FALSE(matchesQuantityPattern("500m"));
  EXPECT_FALSE(matchesQuantityPattern("0"));
}

}  // namespace
}  // namespace ctplab::policy
