#include "ctplab/live/duration_text.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

TEST(DurationText, GoStyleDurations) {
  EXPECT_EQ(parseDurationText("5s"), Duration::seconds(5));
  EXPECT_EQ(parseDurationText("250ms"), Duration::milliseconds(250));
  EXPECT_EQ(parseDurationText("1m30s"), Duration::seconds(90));
  EXPECT_EQ(parseDurationText("1.5s"), Duration::milliseconds(1500));
  EXPECT_EQ(parseDurationText("2h"), Duration::seconds(7200));
  EXPECT_EQ(parseDurationText("10us"), Duration::microseconds(10));
  EXPECT_EQ(parseDurationText("0"), Duration());
  EXPECT_EQ(parseDurationText("7"), Duration::seconds(7));
}

TEST(DurationText, BadInputIsRefused) {
  for (const char* bad :
       {"", "s", "-5s", "5 s", "5x", "1.s5", ".s", "99999999999999999h", "1e3s"}) {
    EXPECT_FALSE(parseDurationText(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ctplab::live
