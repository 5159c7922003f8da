// bufferLimit flow control of an HTTP connection (spec 4.17): reading pauses once more than the
// limit is held unconsumed and resumes at half of it; output over the limit holds further
// requests back. Exact byte counts and counters.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "connection/http_connection_fixture.h"
#include "ctplab/proxy/connection/http_connection.h"

namespace ctplab::proxy::connection {
namespace {

using test_support::at;
using test_support::Fixture;
using test_support::kGet;

constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();

HttpConnectionSettings limit100() {
  HttpConnectionSettings s;
  s.buffer_limit_bytes = 100;
  return s;
}

TEST(HttpConnectionFlowControl, UnpulledBodyPausesReadingAboveTheLimitAndResumesAtHalf) {
  Fixture f(limit100());
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 1000\r\n\r\n");
  ASSERT_TRUE(f.conn().nextEvent());  // the head; header bytes are not held
  EXPECT_EQ(f.conn().bufferedInputBytes(), 0u);
  EXPECT_EQ(f.conn().readAllowance(), 101u);  // delivering all of it crosses the limit

  f.conn().onBytes(at(1), std::string(40, 'a'));
  f.conn().onBytes(at(2), std::string(60, 'b'));
  EXPECT_EQ(f.conn().bufferedInputBytes(), 100u);
  EXPECT_FALSE(f.conn().readPaused());  // at the limit is not above it
  EXPECT_EQ(f.conn().readAllowance(), 1u);

  f.conn().onBytes(at(3), "c");
  EXPECT_TRUE(f.conn().readPaused());
  EXPECT_EQ(f.conn().readAllowance(), 0u);
  EXPECT_EQ(f.stats().downstream_flow_control_paused_reading_total, 1u);

  EXPECT_EQ(f.nextBody(), 40u);  // 61 left: above half the limit, still paused
  EXPECT_TRUE(f.conn().readPaused());
  EXPECT_EQ(f.nextBody(), 60u);  // 1 left
  EXPECT_FALSE(f.conn().readPaused());
  EXPECT_EQ(f.conn().readAllowance(), 100u);
  EXPECT_EQ(f.stats().downstream_flow_control_paused_reading_total, 1u);
  EXPECT_EQ(f.stats().downstream_flow_control_resumed_reading_total, 1u);
}

TEST(HttpConnectionFlowControl, PipelinedRequestsWaitingForTheirTurnAreHeld) {
  Fixture f(limit100());
  std::string five;
  for (int i = 0; i < 5; ++i) five += kGet;  // 5 x 27 bytes
  f.conn().onBytes(at(0), five);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().bufferedInputBytes(), 108u);
  EXPECT_TRUE(f.conn().readPaused());
  f.ok(1);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().bufferedInputBytes(), 81u);
  f.ok(2);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().bufferedInputBytes(), 54u);
  EXPECT_TRUE(f.conn().readPaused());
  f.ok(3);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().bufferedInputBytes(), 27u);
  EXPECT_FALSE(f.conn().readPaused());
  EXPECT_EQ(f.stats().downstream_flow_control_paused_reading_total, 1u);
  EXPECT_EQ(f.stats().downstream_flow_control_resumed_reading_total, 1u);
}

TEST(HttpConnectionFlowControl, OutputOverTheLimitHoldsTheNextRequestUntilItDrains) {
  Fixture f(limit100());
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(1, std::string(300, 'x'));  // the client does not read
  const size_t out = f.conn().pendingOutput().size();
  ASSERT_GT(out, 300u);
  EXPECT_TRUE(f.conn().outputPaused());

  f.conn().onBytes(at(2), kGet);
  EXPECT_EQ(f.requestsSeen(), 0);  // held, not parsed
  EXPECT_EQ(f.conn().bufferedInputBytes(), 27u);
  EXPECT_EQ(f.conn().nextDeadline(), at(3'600'001));  // connection idle: no request started

  f.conn().consumeOutput(at(3), out - 51);  // 51 left: above half the limit
  EXPECT_TRUE(f.conn().outputPaused());
  EXPECT_EQ(f.requestsSeen(), 0);
  f.conn().consumeOutput(at(4), 1);  // 50 left
  EXPECT_FALSE(f.conn().outputPaused());
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().nextDeadline(), at(300'004));  // its stream idle timer starts now
  // Output pauses are not reading pauses.
  EXPECT_EQ(f.stats().downstream_flow_control_paused_reading_total, 0u);
}

TEST(HttpConnectionFlowControl, WithoutALimitNothingPauses) {
  HttpConnectionSettings s;
  s.buffer_limit_bytes = std::nullopt;
  Fixture f(s);
  EXPECT_EQ(f.conn().readAllowance(), kUnlimited);
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 100000\r\n\r\n");
  f.conn().onBytes(at(1), std::string(100'000, 'a'));
  EXPECT_EQ(f.conn().bufferedInputBytes(), 100'000u);
  EXPECT_FALSE(f.conn().readPaused());
  EXPECT_EQ(f.conn().readAllowance(), kUnlimited);
}

TEST(HttpConnectionFlowControl, RejectedOrClosedConnectionsDiscardInputWithoutPausing) {
  Fixture rejected(limit100(), {false, at(10'000)});
  rejected.conn().onBytes(at(1), std::string(500, 'a'));
  EXPECT_FALSE(rejected.conn().readPaused());
  EXPECT_EQ(rejected.conn().readAllowance(), kUnlimited);

  Fixture f(limit100());
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 1000\r\n\r\n");
  f.conn().onBytes(at(1), std::string(200, 'a'));
  EXPECT_TRUE(f.conn().readPaused());
  f.conn().onPeerClosed(at(2));
  EXPECT_TRUE(f.conn().shouldClose());
  EXPECT_FALSE(f.conn().readPaused());
  EXPECT_EQ(f.stats().downstream_flow_control_resumed_reading_total, 0u);
}

}  // namespace
}  // namespace ctplab::proxy::connection
