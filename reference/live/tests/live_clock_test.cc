#include "ctplab/live/live_clock.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

TEST(LiveClock, ConvertsBothWaysAroundItsAnchor) {
  const auto steady = std::chrono::steady_clock::time_point(std::chrono::seconds(1000));
  const LiveClock clock(TimePoint::fromUnixSeconds(1'700'000'000), steady);
  const TimePoint later = TimePoint::fromUnixSeconds(1'700'000'000) + Duration::milliseconds(1500);
  EXPECT_EQ(clock.toSteady(later), steady + std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.fromSteady(steady + std::chrono::milliseconds(1500)), later);
}

TEST(LiveClock, NowNeverGoesBackwards) {
  const LiveClock clock;
  TimePoint last = clock.now();
  for (int i = 0; i < 1000; ++i) {
    const TimePoint t = clock.now();
    EXPECT_GE(t, last);
    last = t;
  }
}

}  // namespace
}  // namespace ctplab::live
