// requestHeadersReceivedTimeout on explicit times: first byte of a head to its end, 408 with
// `request header timeout` (spec 4.3), including pipelined heads, and reading it from the IR.
#include <gtest/gtest.h>

#include <string>

#include "connection/http_connection_fixture.h"
#include "ctplab/proxy/connection/http_connection.h"

namespace ctplab::proxy::connection {
namespace {

using test_support::at;
using test_support::Fixture;
using test_support::kGet;

// Only the header timer, so nextDeadline() shows it alone.
HttpConnectionSettings headerTimerOnly(int64_t seconds) {
  HttpConnectionSettings s;
  s.request_headers_received_timeout = Duration::seconds(seconds);
  s.idle_timeout = std::nullopt;
  s.stream_idle_timeout = std::nullopt;
  return s;
}

TEST(HttpConnectionHeaderTimeout, SlowHeadGets408RequestHeaderTimeout) {
  Fixture f(headerTimerOnly(10));
  f.conn().onBytes(at(100), "GET / HTTP/1.1\r\nho");
  EXPECT_EQ(f.conn().nextDeadline(), at(10'100));
  f.conn().onBytes(at(5'000), "st: a\r\n");  // more header bytes do not restart it
  EXPECT_EQ(f.conn().nextDeadline(), at(10'100));
  f.conn().onDeadline(at(10'100));
  const std::string out = f.drain();
  EXPECT_EQ(out,
            "HTTP/1.1 408 Request Timeout\r\ncontent-length: 22\r\ncontent-type: text/plain\r\n"
            "connection: close\r\n\r\nrequest header timeout");
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kCodec);
  EXPECT_EQ(f.stats().downstream_rq_header_timeout, 1u);
  EXPECT_EQ(f.stats().downstream_rq_timeout, 0u);
  EXPECT_EQ(f.requestsSeen(), 0);
}

TEST(HttpConnectionHeaderTimeout, CompleteHeadStopsItWhileTheBodyIsStillComing) {
  HttpConnectionSettings s = headerTimerOnly(5);
  s.request_received_timeout = Duration::seconds(20);
  Fixture f(s);
  f.conn().onBytes(at(0), "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 10\r\n\r\n");
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().nextDeadline(), at(20'000));  // only the request timer is left
  f.conn().onDeadline(at(20'000));
  EXPECT_EQ(f.drain().rfind("HTTP/1.1 408", 0), 0u);
  EXPECT_EQ(f.stats().downstream_rq_header_timeout, 0u);
  EXPECT_EQ(f.stats().downstream_rq_timeout, 1u);
}

TEST(HttpConnectionHeaderTimeout, WinsOverTheRequestTimeoutAtTheSameInstant) {
  HttpConnectionSettings s = headerTimerOnly(5);
  s.request_received_timeout = Duration::seconds(5);
  Fixture f(s);
  f.conn().onBytes(at(0), "GET /");
  f.conn().onDeadline(at(5'000));
  EXPECT_NE(f.drain().find("request header timeout"), std::string::npos);
  EXPECT_EQ(f.stats().downstream_rq_header_timeout, 1u);
  EXPECT_EQ(f.stats().downstream_rq_timeout, 0u);
}

TEST(HttpConnectionHeaderTimeout, EachRequestOnAKeepAliveConnectionGetsItsOwnTimer) {
  Fixture f(headerTimerOnly(5));
  f.conn().onBytes(at(0), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(1'000);
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);  // idle between requests: no header timer
  f.conn().onBytes(at(30'000), "GET / HTTP/1.1\r\n");
  EXPECT_EQ(f.conn().nextDeadline(), at(35'000));
  f.conn().onBytes(at(34'999), "host: a\r\n\r\n");
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);
  EXPECT_EQ(f.stats().downstream_rq_header_timeout, 0u);
}

TEST(HttpConnectionHeaderTimeout, PipelinedPartialHeadIsTimedFromWhenParsingResumes) {
  Fixture f(headerTimerOnly(5));
  // The second head is incomplete and waits in the codec while the first request is served.
  f.conn().onBytes(at(0), std::string(kGet) + "GET /next HT");
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);
  f.ok(2'000);
  EXPECT_EQ(f.conn().nextDeadline(), at(7'000));
  f.conn().onDeadline(at(7'000));
  const std::string out = f.drain();
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u) << out;
  EXPECT_NE(out.find("HTTP/1.1 408 Request Timeout"), std::string::npos) << out;
  EXPECT_TRUE(f.conn().shouldClose());
  EXPECT_EQ(f.stats().downstream_rq_header_timeout, 1u);
}

TEST(HttpConnectionHeaderTimeout, PipelinedCompleteHeadNeedsNoTimer) {
  Fixture f(headerTimerOnly(5));
  f.conn().onBytes(at(0), std::string(kGet) + std::string(kGet));
  EXPECT_EQ(f.requestsSeen(), 1);
  f.ok(2'000);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.conn().nextDeadline(), std::nullopt);
}

TEST(HttpConnectionHeaderTimeout, SettingsComeFromTheListenerIr) {
  policy::ir::Listener l;
  l.protocol = "HTTPS";
  l.timeout = policy::ir::ClientTimeout{};
  l.timeout->http = policy::ir::ClientTimeout::Http{};
  l.timeout->http->request_headers_received_timeout = Duration::seconds(7);
  l.timeout->tcp = policy::ir::ClientTimeout::Tcp{};
  l.timeout->tcp->tls_handshake_timeout = Duration::seconds(3);
  l.connection = policy::ir::ClientConnection{};
  l.connection->buffer_limit_bytes = 1024;
  auto s = HttpConnectionSettings::fromListener(l);
  EXPECT_EQ(s.request_headers_received_timeout, Duration::seconds(7));
  EXPECT_EQ(s.tls_handshake_timeout, Duration::seconds(3));
  EXPECT_EQ(s.buffer_limit_bytes, 1024u);

  l.timeout->http->request_headers_received_timeout = Duration::seconds(0);  // 0 = disabled
  l.connection->buffer_limit_bytes = 0;                                      // 0 = no limit
  s = HttpConnectionSettings::fromListener(l);
  EXPECT_EQ(s.request_headers_received_timeout, std::nullopt);
  EXPECT_EQ(s.buffer_limit_bytes, std::nullopt);

  const auto defaults = HttpConnectionSettings::fromListener(policy::ir::Listener{});
  EXPECT_EQ(defaults.request_headers_received_timeout, std::nullopt);
  EXPECT_EQ(defaults.buffer_limit_bytes, 32768u);
  EXPECT_EQ(defaults.tls_handshake_timeout, std::nullopt);
}

}  // namespace
}  // namespace ctplab::proxy::connection
