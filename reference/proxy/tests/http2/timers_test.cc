// Connection and stream timers on explicit times: idle timeout with GOAWAY, max connection
// duration, request/stream timeouts answered 408/504 or reset, and keepalive PINGs.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "http2/h2_client.h"

namespace ctplab::proxy::http2 {
namespace {

using test_support::at;
using test_support::Client;
using test_support::eventsOf;
using test_support::Pair;

connection::HttpConnectionSettings noTimers() {
  connection::HttpConnectionSettings s;
  s.idle_timeout.reset();
  s.stream_idle_timeout.reset();
  return s;
}

TEST(Http2Timers, IdleConnectionGetsGoAwayAndCloses) {
  connection::HttpConnectionSettings s = noTimers();
  s.idle_timeout = Duration::seconds(10);
  Pair p({}, s);
  p.pump(at(0));
  EXPECT_EQ(p.server.nextDeadline(), at(10'000));
  p.server.onDeadline(at(9'999));
  EXPECT_FALSE(p.server.shouldClose());
  p.server.onDeadline(at(10'000));
  EXPECT_TRUE(p.server.shouldClose());
  EXPECT_EQ(p.server.closeReason(), connection::CloseReason::kIdleTimeout);
  p.pump(at(10'000));
  ASSERT_TRUE(p.client.goaway());
  EXPECT_EQ(p.client.goaway()->error_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(p.client.goaway()->last_stream_id, 0);
  const std::map<std::string, uint64_t> stats = {{"downstream_cx_http2_total", 1},
                                                 {"downstream_cx_idle_timeout", 1},
                                                 {"http2.goaway_sent", 1}};
  EXPECT_EQ(p.nonZeroStats(), stats);
}

TEST(Http2Timers, IdleTimerRunsOnlyWithoutStreams) {
  connection::HttpConnectionSettings s = noTimers();
  s.idle_timeout = Duration::seconds(10);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1'000));
  p.events();
  EXPECT_EQ(p.server.nextDeadline(), std::nullopt);  // a stream is open
  ASSERT_EQ(p.ok(5'000, id), http1::EncodeResult::kOk);
  p.pump(at(5'000));
  EXPECT_EQ(p.server.nextDeadline(), at(15'000));
}

TEST(Http2Timers, MaxConnectionDurationDrains) {
  connection::HttpConnectionSettings s = noTimers();
  s.max_connection_duration = Duration::seconds(5);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1'000));
  p.events();
  EXPECT_EQ(p.server.nextDeadline(), at(5'000));
  p.server.onDeadline(at(5'000));
  p.pump(at(5'000));
  ASSERT_TRUE(p.client.goaway());
  EXPECT_EQ(p.client.goaway()->last_stream_id, id);
  EXPECT_EQ(p.hcm.downstream_cx_max_duration_reached, 1u);
  EXPECT_FALSE(p.server.shouldClose());
  ASSERT_EQ(p.ok(6'000, id), http1::EncodeResult::kOk);
  p.pump(at(6'000));
  EXPECT_EQ(p.client.stream(id).status(), 200);
  EXPECT_TRUE(p.server.shouldClose());
}

TEST(Http2Timers, UnfinishedRequestGets408ThenReset) {
  connection::HttpConnectionSettings s = noTimers();
  s.request_received_timeout = Duration::seconds(5);
  Pair p({}, s);
  const int32_t id = p.client.openRequest("POST", "/", "example.com", {{"content-length", "100"}});
  p.pump(at(100));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 1u);
  EXPECT_EQ(p.server.nextDeadline(), at(5'100));
  p.server.onDeadline(at(5'100));
  p.pump(at(5'100));
  const auto& seen = p.client.stream(id);
  EXPECT_EQ(seen.status(), 408);
  EXPECT_EQ(seen.body, "request timeout");
  EXPECT_TRUE(seen.ended);
  EXPECT_EQ(seen.reset_code, NGHTTP2_NO_ERROR);  // the rest of the request is not wanted
  EXPECT_EQ(p.hcm.downstream_rq_timeout, 1u);
  EXPECT_EQ(p.hcm.downstream_rq_4xx, 1u);
  EXPECT_FALSE(p.server.isOpen(id));
  EXPECT_EQ(p.ok(5'200, id), http1::EncodeResult::kNoRequest);
  EXPECT_FALSE(p.server.shouldClose());
}

TEST(Http2Timers, CompleteAndForwardedRequestStopsTheRequestTimer) {
  connection::HttpConnectionSettings s = noTimers();
  s.request_received_timeout = Duration::seconds(5);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(100));
  p.events();
  // Complete, but not yet passed upstream: the timer still runs (spec 4.3).
  EXPECT_EQ(p.server.nextDeadline(), at(5'100));
  p.server.requestForwarded(at(200), static_cast<uint64_t>(id));
  EXPECT_EQ(p.server.nextDeadline(), std::nullopt);
}

TEST(Http2Timers, CompleteRequestHeldByAFilterGets504) {
  connection::HttpConnectionSettings s = noTimers();
  s.request_received_timeout = Duration::seconds(5);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(0));
  p.events();
  p.server.onDeadline(at(5'000));
  p.pump(at(5'000));
  EXPECT_EQ(p.client.stream(id).status(), 504);
  EXPECT_EQ(p.client.stream(id).body, "request timeout");
  EXPECT_EQ(p.hcm.downstream_rq_timeout, 1u);
}

TEST(Http2Timers, StreamIdleTimeoutAnswers408) {
  connection::HttpConnectionSettings s = noTimers();
  s.stream_idle_timeout = Duration::seconds(2);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(0));
  p.events();
  EXPECT_EQ(p.server.nextDeadline(), at(2'000));
  p.server.onDeadline(at(2'000));
  p.pump(at(2'000));
  EXPECT_EQ(p.client.stream(id).status(), 408);
  EXPECT_EQ(p.client.stream(id).body, "stream timeout");
  EXPECT_FALSE(p.client.stream(id).reset_code);
  EXPECT_EQ(p.hcm.downstream_rq_idle_timeout, 1u);
}

TEST(Http2Timers, StreamIdleTimeoutResetsAStalledResponse) {
  connection::HttpConnectionSettings s = noTimers();
  s.stream_idle_timeout = Duration::seconds(2);
  Pair p({}, s, Client::Options{.auto_window_update = false});
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(0));
  p.events();
  http1::ResponseHead head;
  ASSERT_EQ(p.server.respond(at(100), id, head, std::string(100'000, 'x')),
            http1::EncodeResult::kOk);
  p.pump(at(100));
  EXPECT_FALSE(p.client.stream(id).ended);  // the client's window is full
  EXPECT_EQ(p.server.nextDeadline(), at(2'100));
  p.server.onDeadline(at(2'100));
  p.pump(at(2'100));
  EXPECT_EQ(p.client.stream(id).reset_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(p.hcm.downstream_rq_idle_timeout, 1u);
  EXPECT_EQ(p.server.openStreams(), 0u);
}

TEST(Http2Timers, MaxStreamDurationAnswers504OnceReceived) {
  connection::HttpConnectionSettings s = noTimers();
  s.max_stream_duration = Duration::seconds(3);
  Pair p({}, s);
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(0));
  p.events();
  p.server.onDeadline(at(3'000));
  p.pump(at(3'000));
  EXPECT_EQ(p.client.stream(id).status(), 504);
  EXPECT_EQ(p.client.stream(id).body, "downstream duration timeout");
  EXPECT_EQ(p.hcm.downstream_rq_max_duration_reached, 1u);
  EXPECT_EQ(p.hcm.downstream_rq_5xx, 1u);
}

TEST(Http2Timers, HeaderTimeoutAnswers408WhenHeadersNeverEnd) {
  connection::HttpConnectionSettings s = noTimers();
  s.request_headers_received_timeout = Duration::seconds(1);
  Http2Stats h2;
  connection::HttpConnectionStats hcm;
  ServerConnection server(at(0), {}, h2, hcm, s);
  test_support::Hpack hpack;
  // HEADERS without END_HEADERS: the CONTINUATION never comes.
  server.onBytes(at(10),
                 test_support::clientStart() +
                     test_support::frame(
                         NGHTTP2_HEADERS, 0, 1,
                         hpack.encode({{":method", "GET"}, {":scheme", "http"}, {":path", "/"}})));
  test_support::takeOutput(server);
  EXPECT_FALSE(server.nextEvent());
  EXPECT_EQ(server.nextDeadline(), at(1'010));
  server.onDeadline(at(1'010));
  EXPECT_EQ(hcm.downstream_rq_header_timeout, 1u);
  EXPECT_EQ(hcm.downstream_rq_4xx, 1u);
  const auto frames = test_support::parseFrames(test_support::takeOutput(server));
  bool headers_sent = false;
  for (const auto& f : frames) headers_sent |= f.type == NGHTTP2_HEADERS && f.stream_id == 1;
  EXPECT_TRUE(headers_sent);
}

TEST(Http2Timers, KeepalivePingIsAnswered) {
  Http2Options o;
  o.keepalive_interval = Duration::seconds(10);
  o.keepalive_timeout = Duration::seconds(1);
  Pair p(o, noTimers());
  p.pump(at(0));
  EXPECT_EQ(p.server.nextDeadline(), at(10'000));
  p.server.onDeadline(at(10'000));
  EXPECT_EQ(p.server.nextDeadline(), at(11'000));
  p.pump(at(10'050));
  EXPECT_EQ(p.client.pingsReceived(), 1);
  // The ACK arrived at 10.05 s: the next PING is an interval later, without jitter.
  EXPECT_EQ(p.server.nextDeadline(), at(20'050));
  EXPECT_FALSE(p.server.shouldClose());
  EXPECT_EQ(p.h2.http2_keepalive_timeout, 0u);
}

TEST(Http2Timers, KeepaliveWithoutAckCloses) {
  Http2Options o;
  o.keepalive_interval = Duration::seconds(10);
  o.keepalive_timeout = Duration::seconds(1);
  Pair p(o, noTimers(), Client::Options{.auto_ping_ack = false});
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(0));
  p.events();
  p.server.onDeadline(at(10'000));
  p.pump(at(10'000));
  EXPECT_EQ(p.client.pingsReceived(), 1);
  EXPECT_EQ(p.server.nextDeadline(), at(11'000));
  p.server.onDeadline(at(11'000));
  EXPECT_TRUE(p.server.shouldClose());
  EXPECT_EQ(p.server.closeReason(), connection::CloseReason::kCodec);
  EXPECT_TRUE(p.server.pendingOutput().empty());  // closed without flushing
  EXPECT_EQ(p.h2.http2_keepalive_timeout, 1u);
  const auto resets = eventsOf<http1::PeerReset>(p.events());
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].request_id, static_cast<uint64_t>(id));
}

TEST(Http2Timers, AnyFrameExtendsTheKeepaliveTimeout) {
  Http2Options o;
  o.keepalive_interval = Duration::seconds(10);
  o.keepalive_timeout = Duration::seconds(1);
  Pair p(o, noTimers(), Client::Options{.auto_ping_ack = false});
  p.pump(at(0));
  p.server.onDeadline(at(10'000));
  p.pump(at(10'000));
  p.client.request("GET", "/", "example.com");
  p.pump(at(10'900));
  EXPECT_EQ(p.server.nextDeadline(), at(11'900));
}

}  // namespace
}  // namespace ctplab::proxy::http2
