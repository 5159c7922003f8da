// Request counters HttpConnection keeps (downstream_rq_total, response classes, rx resets) and
// the open-request id an application checks before answering late.
#include <gtest/gtest.h>

#include "connection/http_connection_fixture.h"

namespace ctplab::proxy::connection {
namespace {

using test_support::at;
using test_support::Fixture;
using test_support::kGet;

TEST(HttpRequestCounters, EveryResponseIsCountedInItsClass) {
  Fixture f({});
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.stats().downstream_rq_total, 1u);
  f.ok(1);
  f.conn().onBytes(at(2), kGet);
  f.requestsSeen();
  http1::ResponseHead missing;
  missing.status = 404;
  ASSERT_EQ(f.conn().respond(at(3), missing, ""), http1::EncodeResult::kOk);
  EXPECT_EQ(f.stats().downstream_rq_total, 2u);
  EXPECT_EQ(f.stats().downstream_rq_2xx, 1u);
  EXPECT_EQ(f.stats().downstream_rq_4xx, 1u);
  EXPECT_EQ(f.stats().downstream_rq_completed, 2u);
}

TEST(HttpRequestCounters, HealthCheckAnswersAreNotCountedByStatus) {
  Fixture f({});
  f.conn().onBytes(at(0), kGet);
  f.requestsSeen();
  http1::ResponseHead head;
  ASSERT_EQ(f.conn().respond(at(1), head, "", /*count_status=*/false), http1::EncodeResult::kOk);
  EXPECT_EQ(f.stats().downstream_rq_total, 1u);
  EXPECT_EQ(f.stats().downstream_rq_2xx, 0u);
  EXPECT_EQ(f.stats().downstream_rq_completed, 0u);
}

TEST(HttpRequestCounters, LocalRepliesAndCodecErrorsAreCounted) {
  HttpConnectionSettings settings;
  settings.request_received_timeout = Duration::seconds(5);
  Fixture timed(settings);
  timed.conn().onBytes(at(0), "GET / HTTP/1.1\r\nho");  // never finishes
  timed.conn().onDeadline(at(5000));
  EXPECT_EQ(timed.stats().downstream_rq_total, 1u);
  EXPECT_EQ(timed.stats().downstream_rq_4xx, 1u);

  Fixture malformed({});
  malformed.conn().onBytes(at(0), "GET / HTTP/1.1\r\nbad header\r\n\r\n");
  while (malformed.conn().nextEvent()) {
  }
  EXPECT_EQ(malformed.stats().downstream_rq_4xx, 1u);
}

TEST(HttpRequestCounters, OpenRequestFollowsTheRequestInProgress) {
  HttpConnectionSettings settings;
  settings.max_stream_duration = Duration::seconds(1);
  Fixture f(settings);
  EXPECT_EQ(f.conn().openRequest(), 0u);
  f.conn().onBytes(at(0), kGet);
  f.requestsSeen();
  EXPECT_EQ(f.conn().openRequest(), 1u);
  // The stream times out before the application answers: no request is open any more, so a late
  // answer must not be sent (it would answer the next request instead).
  f.conn().onDeadline(at(1000));
  EXPECT_EQ(f.conn().openRequest(), 0u);
  EXPECT_EQ(f.stats().downstream_rq_5xx, 1u);
}

TEST(HttpRequestCounters, PeerResetMidRequestIsCounted) {
  Fixture f({});
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\nabc");
  f.conn().onPeerClosed(at(1));
  while (f.conn().nextEvent()) {
  }
  EXPECT_EQ(f.stats().downstream_rq_rx_reset, 1u);
  EXPECT_EQ(f.conn().openRequest(), 0u);
}

}  // namespace
}  // namespace ctplab::proxy::connection
