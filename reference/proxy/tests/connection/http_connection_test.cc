// The HTTP connection state machine on explicit times: connection limit with closeDelay,
// request timeouts (408/504), idle timeout, max requests and max duration (spec 4.1-4.3).
#include "ctplab/proxy/connection/http_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "connection/http_connection_fixture.h"

namespace ctplab::proxy::connection {
namespace {

using test_support::at;
using test_support::Fixture;
using test_support::kGet;

TEST(HttpConnection, RejectedConnectionIsClosedAtCloseDelayAndIgnoresInput) {
  Fixture f({}, {false, at(10'000)});
  EXPECT_FALSE(f.conn().admitted());
  f.conn().onBytes(at(1), kGet);
  EXPECT_EQ(f.requestsSeen(), 0);
  EXPECT_EQ(f.conn().nextDeadline(), at(10'000));
  f.conn().onDeadline(at(10'000));
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kConnectionLimit);
  EXPECT_EQ(f.drain(), "");  // no HTTP answer, ever
}

TEST(HttpConnection, RejectedWithoutDelayClosesAtOnce) {
  Fixture f({}, {false, at(0)});
  EXPECT_TRUE(f.conn().shouldClose());
}

TEST(HttpConnection, SlowHeadersGet408AndClose) {
  HttpConnectionSettings s;
  s.request_received_timeout = Duration::seconds(5);
  Fixture f(s);
  f.conn().onBytes(at(100), "GET / HTTP/1.1\r\nho");  // slowloris: never finishes
  EXPECT_EQ(f.conn().nextDeadline(), at(5'100));
  f.conn().onDeadline(at(5'100));
  std::string out = f.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 408", 0), 0u) << out;
  EXPECT_NE(out.find("connection: close"), std::string::npos);
  EXPECT_NE(out.find("request timeout"), std::string::npos);
  EXPECT_TRUE(f.conn().shouldClose());
  EXPECT_EQ(f.stats().downstream_rq_timeout, 1u);
}

TEST(HttpConnection, DeclaredBodyNeverSentGets408) {
  HttpConnectionSettings s;
  s.request_received_timeout = Duration::seconds(5);
  Fixture f(s);
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 10000\r\n\r\n");
  EXPECT_EQ(f.requestsSeen(), 1);
  f.conn().onDeadline(at(5'000));
  std::string out = f.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 408", 0), 0u) << out;
  EXPECT_TRUE(f.conn().shouldClose());
}

TEST(HttpConnection, ReceivedAndForwardedRequestStopsTheRequestTimer) {
  HttpConnectionSettings s;
  s.request_received_timeout = Duration::seconds(5);
  s.idle_timeout = std::nullopt;
  s.stream_idle_timeout = std::nullopt;
  Fixture f(s);
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  // Fully received, but the filters still hold it: the timer runs on (spec 4.3).
  EXPECT_EQ(f.conn().nextDeadline(), at(5'000));
  f.conn().requestForwarded(at(10));
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);
}

TEST(HttpConnection, ForwardedBeforeTheBodyEndsStopsTheTimerWhenItEnds) {
  HttpConnectionSettings s;
  s.request_received_timeout = Duration::seconds(5);
  s.idle_timeout = std::nullopt;
  s.stream_idle_timeout = std::nullopt;
  Fixture f(s);
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 4\r\n\r\nab");
  EXPECT_EQ(f.requestsSeen(), 1);
  f.conn().requestForwarded(at(1));  // streamed upstream as it arrives
  EXPECT_EQ(f.conn().nextDeadline(), at(5'000));
  f.conn().onBytes(at(2), "cd");
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);
}

TEST(HttpConnection, CompleteRequestHeldByAFilterGets504) {
  // The proxy's e2e case: a GET fully received, held by a filter past the timeout.
  HttpConnectionSettings s;
  s.request_received_timeout = Duration::milliseconds(50);
  Fixture f(s);
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.conn().onDeadline(at(50));
  const std::string out = f.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 504", 0), 0u) << out;
  EXPECT_NE(out.find("request timeout"), std::string::npos);
  EXPECT_EQ(f.stats().downstream_rq_timeout, 1u);
  EXPECT_EQ(f.stats().downstream_rq_5xx, 1u);
  EXPECT_EQ(f.conn().openRequest(), 0u);  // the filter's late answer finds no request
}

TEST(HttpConnection, IdleKeepAliveConnectionClosesAfterIdleTimeout) {
  HttpConnectionSettings s;
  s.idle_timeout = Duration::seconds(60);
  Fixture f(s);
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  // A request is active: no connection idle timer, only the stream idle default (5 min).
  EXPECT_EQ(f.conn().nextDeadline(), at(300'000));
  f.ok(1'000);
  EXPECT_EQ(f.conn().nextDeadline(), at(61'000));
  f.conn().onDeadline(at(61'000));
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kIdleTimeout);
  EXPECT_EQ(f.stats().downstream_cx_idle_timeout, 1u);
}

TEST(HttpConnection, MaxRequestsPerConnectionClosesAfterTheNthResponse) {
  HttpConnectionSettings s;
  s.max_requests_per_connection = 2;
  Fixture f(s);
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(1);
  EXPECT_EQ(f.drain().find("connection: close"), std::string::npos);
  f.conn().onBytes(at(2), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(3);
  EXPECT_NE(f.drain().find("connection: close"), std::string::npos);
  EXPECT_TRUE(f.conn().shouldClose());
  EXPECT_EQ(f.stats().downstream_cx_max_requests_reached, 1u);
}

TEST(HttpConnection, SafeMaxDurationWaitsForTheNextRequest) {
  HttpConnectionSettings s;
  s.max_connection_duration = Duration::seconds(10);
  s.idle_timeout = std::nullopt;
  Fixture f(s);
  f.conn().onDeadline(at(10'000));
  EXPECT_FALSE(f.conn().shouldClose());  // idle, safe mode: nothing happens yet
  EXPECT_EQ(f.stats().downstream_cx_max_duration_reached, 1u);
  f.conn().onBytes(at(20'000), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(20'001);
  EXPECT_NE(f.drain().find("connection: close"), std::string::npos);
  EXPECT_TRUE(f.conn().shouldClose());
}

TEST(HttpConnection, UnsafeMaxDurationClosesAnIdleConnectionPromptly) {
  HttpConnectionSettings s;
  s.max_connection_duration = Duration::seconds(10);
  s.safe_max_connection_duration = false;
  Fixture f(s);
  f.conn().onDeadline(at(10'000));
  EXPECT_TRUE(f.conn().shouldClose());
}

TEST(HttpConnection, PipelinedRequestsAreAnsweredInOrder) {
  Fixture f({});
  f.conn().onBytes(at(0), std::string(kGet) + std::string(kGet));
  EXPECT_EQ(f.requestsSeen(), 1);  // one at a time, as the proxy does
  f.ok(1);
  EXPECT_EQ(f.requestsSeen(), 1);  // the second one surfaces once the first is answered
  f.ok(2);
  std::string out = f.drain();
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u);
  EXPECT_NE(out.find("HTTP/1.1 200", 1), std::string::npos);
}

TEST(HttpConnection, SilentStreamGets408StreamTimeout) {
  HttpConnectionSettings s;
  s.stream_idle_timeout = Duration::seconds(30);
  Fixture f(s);
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 4\r\n\r\nab");
  EXPECT_EQ(f.requestsSeen(), 1);
  f.conn().onBytes(at(20'000), "c");  // activity restarts the stream idle timer
  EXPECT_EQ(f.conn().nextDeadline(), at(50'000));
  f.conn().onDeadline(at(50'000));
  std::string out = f.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 408", 0), 0u) << out;
  EXPECT_NE(out.find("stream timeout"), std::string::npos);
  EXPECT_EQ(f.stats().downstream_rq_idle_timeout, 1u);
  EXPECT_TRUE(f.conn().shouldClose());
}

TEST(HttpConnection, MaxStreamDurationGives504WhenTheRequestArrived) {
  HttpConnectionSettings s;
  s.max_stream_duration = Duration::seconds(2);
  Fixture f(s);
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.conn().onDeadline(at(2'000));  // the backend never answered
  std::string out = f.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 504", 0), 0u) << out;
  EXPECT_NE(out.find("downstream duration timeout"), std::string::npos);
  EXPECT_EQ(f.stats().downstream_rq_max_duration_reached, 1u);
  EXPECT_FALSE(f.conn().shouldClose());               // a 504 keeps the connection
  EXPECT_EQ(f.conn().nextDeadline(), at(3'602'000));  // back to the connection idle timer
}

TEST(HttpConnection, SettingsComeFromTheListenerIr) {
  policy::ir::Listener l;
  l.protocol = "HTTP";
  l.timeout = policy::ir::ClientTimeout{};
  l.timeout->http = policy::ir::ClientTimeout::Http{};
  l.timeout->http->request_received_timeout = Duration::seconds(5);
  l.timeout->http->idle_timeout = Duration::seconds(0);
  l.connection = policy::ir::ClientConnection{};
  l.connection->limit = policy::ir::ConnectionLimit{};
  l.connection->limit->max_requests_per_connection = 1;
  l.http1 = policy::ir::HTTP1Settings{};
  l.http1->disable_safe_max_connection_duration = true;
  auto s = HttpConnectionSettings::fromListener(l);
  EXPECT_EQ(s.request_received_timeout, Duration::seconds(5));
  EXPECT_EQ(s.idle_timeout, std::nullopt);
  EXPECT_EQ(s.max_requests_per_connection, 1u);
  EXPECT_FALSE(s.safe_max_connection_duration);
}

}  // namespace
}  // namespace ctplab::proxy::connection
