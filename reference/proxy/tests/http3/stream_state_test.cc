// One HTTP/3 stream's timers on their own: which start, what progress refreshes, which one a
// stream reports when several are due at once.
#include "http3/stream_state.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::http3 {
namespace {

const TimePoint kT0 = TimePoint::fromUnixSeconds(1'780'272'000);

StreamTimeouts all(int headers, int request, int idle, int duration) {
  return {Duration::seconds(headers), Duration::seconds(request), Duration::seconds(idle),
          Duration::seconds(duration)};
}

TEST(Http3StreamStateTest, OnlyConfiguredTimersStartAndTheEarliestIsNext) {
  StreamState s;
  s.startTimers(kT0, {std::nullopt, Duration::seconds(5), std::nullopt, std::nullopt});
  EXPECT_FALSE(s.headers_deadline);
  EXPECT_FALSE(s.idle_deadline);
  EXPECT_FALSE(s.max_duration_deadline);
  EXPECT_EQ(s.nextDeadline(), kT0 + Duration::seconds(5));
  EXPECT_EQ(s.due(kT0 + Duration::milliseconds(4999)), StreamTimer::kNone);
  EXPECT_EQ(s.due(kT0 + Duration::seconds(5)), StreamTimer::kRequest);

  StreamState none;
  none.startTimers(kT0, {std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_FALSE(none.nextDeadline());
  EXPECT_EQ(none.due(kT0 + Duration::seconds(86400)), StreamTimer::kNone);
}

TEST(Http3StreamStateTest, ProgressRefreshesTheIdleTimerOnly) {
  StreamState s;
  s.startTimers(kT0, all(10, 20, 3, 30));
  s.touch(kT0 + Duration::seconds(2), all(10, 20, 3, 30));
  EXPECT_EQ(s.idle_deadline, kT0 + Duration::seconds(5));
  EXPECT_EQ(s.headers_deadline, kT0 + Duration::seconds(10));
  EXPECT_EQ(s.request_deadline, kT0 + Duration::seconds(20));
  EXPECT_EQ(s.max_duration_deadline, kT0 + Duration::seconds(30));
  // A cleared timer stays cleared: progress after the end does not restart it.
  s.clearTimers();
  s.touch(kT0 + Duration::seconds(4), all(10, 20, 3, 30));
  EXPECT_FALSE(s.nextDeadline());
}

TEST(Http3StreamStateTest, SeveralDueAtOnceReportTheEarliestPhase) {
  StreamState s;
  s.startTimers(kT0, all(1, 1, 1, 1));
  const TimePoint at = kT0 + Duration::seconds(1);
  EXPECT_EQ(s.due(at), StreamTimer::kHeaders);
  s.headers_deadline.reset();
  EXPECT_EQ(s.due(at), StreamTimer::kRequest);
  s.request_deadline.reset();
  EXPECT_EQ(s.due(at), StreamTimer::kMaxDuration);
  s.max_duration_deadline.reset();
  EXPECT_EQ(s.due(at), StreamTimer::kIdle);
}

}  // namespace
}  // namespace ctplab::proxy::http3
