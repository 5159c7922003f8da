// The HTTP/3 server's per-stream timers (spec 4.3) against an in-memory client on a virtual
// clock: request, idle and duration timeouts answered 408/504 and counted, as on HTTP/2.
#include <gtest/gtest.h>

#include "ctplab/proxy/http3/http3_server.h"
#include "http3/server_world.h"

namespace ctplab::proxy::http3 {
namespace {

using test::awesomeConfig;
using test::ended;
using test::QuicTestClient;
using test::World;

ServerConfig withTimeouts(const StreamTimeouts& timeouts) {
  ServerConfig config = awesomeConfig();
  for (ChainConfig& c : config.chains) c.timeouts = timeouts;
  return config;
}

TEST(Http3StreamTimersTest, RequestTimeoutAnswers408WhileTheRequestIsStillArriving) {
  World world(withTimeouts({std::nullopt, Duration::seconds(2), std::nullopt, std::nullopt}));
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.openRequest("POST", "www.example.com", "/upload");
  ASSERT_GE(stream, 0);
  ASSERT_TRUE(world.runUntil([&] { return !world.heads().empty(); }));
  const TimePoint head_at = world.now();
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }, Duration::seconds(5)));
  const auto& response = client.responses().at(stream);
  ASSERT_TRUE(response.complete);
  EXPECT_EQ(response.status(), 408);
  EXPECT_EQ(response.body, "request timeout");
  EXPECT_EQ(response.fields.at("content-type"), "text/plain");
  EXPECT_NEAR((world.now() - head_at).wholeMilliseconds(), 2000, 20);
  // The caller learns its exchange is over; a late answer is refused.
  ASSERT_EQ(world.errors().size(), 1u);
  EXPECT_EQ(world.errors()[0].request_id, static_cast<uint64_t>(stream));
  EXPECT_EQ(world.errors()[0].status, 408);
  EXPECT_EQ(world.errors()[0].details, "request_overall_timeout");
  http1::ResponseHead late;
  late.status = 200;
  EXPECT_EQ(world.server().respond(world.now(), world.opened()[0].connection,
                                   static_cast<uint64_t>(stream), late, ""),
            http1::EncodeResult::kNoRequest);
  EXPECT_EQ(world.requestStats().downstream_rq_timeout, 1u);
  EXPECT_EQ(world.requestStats().downstream_rq_4xx, 1u);
  // The head was the caller's to count; the server adds no second count.
  EXPECT_EQ(world.requestStats().downstream_rq_total, 0u);

  // The client was asked to stop sending, so the stream closes and the connection can end
  // gracefully at once; it also still serves new requests until then.
  const int64_t next = client.get("/after", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return ended(client, next); }));
  EXPECT_EQ(client.responses().at(next).status(), 200);
  world.server().goaway(world.now(), world.opened()[0].connection);
  ASSERT_TRUE(world.runUntil([&] { return client.dead(); }, Duration::seconds(1)));
}

// A head too large for one packet whose later packets are lost: the header timer answers the
// stream itself, and since the caller never saw the request, the server counts it as one.
TEST(Http3StreamTimersTest, HeaderTimeoutAnswersAHeadThatNeverCompletes) {
  World world(withTimeouts({Duration::seconds(1), std::nullopt, std::nullopt, std::nullopt}));
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  // Field values QPACK's Huffman code cannot shrink much: the head spans several packets.
  std::string cookie;
  for (int i = 0; i < 6000; ++i) cookie += "zQ9~"[i % 4];
  const int64_t stream = client.request("GET", "www.example.com", "/big", {{"cookie", cookie}});
  ASSERT_GE(stream, 0);
  int passed = 0;
  world.drop_from_clients = [&](const std::string&) { return ++passed > 1; };
  const TimePoint sent_at = world.now();
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }, Duration::seconds(5)));
  const auto& response = client.responses().at(stream);
  ASSERT_TRUE(response.complete);
  EXPECT_EQ(response.status(), 408);
  EXPECT_EQ(response.body, "request header timeout");
  EXPECT_NEAR((world.now() - sent_at).wholeMilliseconds(), 1000, 20);
  EXPECT_TRUE(world.heads().empty());
  EXPECT_TRUE(world.errors().empty());  // nothing for the caller to drop
  EXPECT_EQ(world.requestStats().downstream_rq_header_timeout, 1u);
  EXPECT_EQ(world.requestStats().downstream_rq_4xx, 1u);
  EXPECT_EQ(world.requestStats().downstream_rq_total, 1u);
  EXPECT_EQ(world.http3_requests, 1u);

  // Once packets flow again the connection serves the next request.
  world.drop_from_clients = nullptr;
  const int64_t next = client.get("/after", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return ended(client, next); }));
  EXPECT_EQ(client.responses().at(next).status(), 200);
}

TEST(Http3StreamTimersTest, RequestTimerRunsUntilTheCompleteRequestIsForwarded) {
  World world(withTimeouts({std::nullopt, Duration::seconds(1), std::nullopt, std::nullopt}));
  world.answering = false;  // the caller's filters hold the requests
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t held = client.get("/held", "www.example.com");
  const int64_t passed = client.get("/passed", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return world.heads().size() == 2; }));
  world.server().requestForwarded(world.now(), world.opened()[0].connection,
                                  static_cast<uint64_t>(passed));
  ASSERT_TRUE(world.runUntil([&] { return ended(client, held); }, Duration::seconds(3)));
  // Complete but never forwarded: the gateway's own timeout, 504 (spec 4.3).
  EXPECT_EQ(client.responses().at(held).status(), 504);
  EXPECT_EQ(client.responses().at(held).body, "request timeout");
  world.runUntil([] { return false; }, Duration::seconds(3));
  EXPECT_FALSE(ended(client, passed));  // forwarded: only the backend's answer ends it
  EXPECT_EQ(world.requestStats().downstream_rq_timeout, 1u);
}

TEST(Http3StreamTimersTest, StreamIdleTimeoutIsRefreshedByEachPieceOfBody) {
  World world(withTimeouts({std::nullopt, std::nullopt, Duration::seconds(1), std::nullopt}));
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.openRequest("POST", "www.example.com", "/drip");
  ASSERT_TRUE(world.runUntil([&] { return !world.heads().empty(); }));
  // Three pieces 600 ms apart: 1.8 s in all, never 1 s without progress.
  for (int i = 0; i < 3; ++i) {
    world.runUntil([] { return false; }, Duration::milliseconds(600));
    ASSERT_FALSE(ended(client, stream)) << "piece " << i;
    ASSERT_TRUE(client.sendBody(stream, "piece", false));
  }
  world.runUntil([] { return false; }, Duration::milliseconds(20));
  const TimePoint last_piece = world.now();
  EXPECT_EQ(world.requestBodies(), "piecepiecepiece");
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }, Duration::seconds(3)));
  EXPECT_EQ(client.responses().at(stream).status(), 408);
  EXPECT_EQ(client.responses().at(stream).body, "stream timeout");
  EXPECT_NEAR((world.now() - last_piece).wholeMilliseconds(), 1000, 40);
  EXPECT_EQ(world.requestStats().downstream_rq_idle_timeout, 1u);
  ASSERT_EQ(world.errors().size(), 1u);
  EXPECT_EQ(world.errors()[0].details, "stream_idle_timeout");
}

TEST(Http3StreamTimersTest, MaxStreamDurationAnswers504WhenTheAnswerIsLate) {
  World world(withTimeouts({std::nullopt, std::nullopt, std::nullopt, Duration::seconds(1)}));
  world.answering = false;  // a backend slower than the limit
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.get("/slow", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }, Duration::seconds(3)));
  EXPECT_EQ(client.responses().at(stream).status(), 504);
  EXPECT_EQ(client.responses().at(stream).body, "downstream duration timeout");
  EXPECT_EQ(world.requestStats().downstream_rq_max_duration_reached, 1u);
  EXPECT_EQ(world.requestStats().downstream_rq_5xx, 1u);
  ASSERT_EQ(world.errors().size(), 1u);
  EXPECT_EQ(world.errors()[0].status, 504);
}

TEST(Http3StreamTimersTest, AnsweredStreamsAndUnsetTimersNeverFire) {
  World world(withTimeouts(
      {std::nullopt, Duration::seconds(1), Duration::seconds(1), Duration::seconds(1)}));
  QuicTestClient& client = world.connect("www.example.com", "h3", Duration::seconds(600));
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.get("/fast", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }));
  EXPECT_EQ(client.responses().at(stream).status(), 200);
  world.runUntil([] { return false; }, Duration::seconds(5));
  EXPECT_TRUE(world.errors().empty());
  EXPECT_EQ(world.requestStats().downstream_rq_timeout, 0u);
  EXPECT_EQ(world.requestStats().downstream_rq_idle_timeout, 0u);
  EXPECT_EQ(world.requestStats().downstream_rq_max_duration_reached, 0u);

  // No stream timer at all: a stalled upload is held (until the connection's idle timeout).
  World untimed(withTimeouts({std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  QuicTestClient& slow = untimed.connect("www.example.com", "h3", Duration::seconds(600));
  ASSERT_TRUE(untimed.runUntil([&] { return slow.handshakeCompleted(); }));
  const int64_t open = slow.openRequest("POST", "www.example.com", "/stalled");
  untimed.runUntil([] { return false; }, Duration::seconds(20));
  EXPECT_FALSE(ended(slow, open));
  EXPECT_TRUE(untimed.errors().empty());
}

}  // namespace
}  // namespace ctplab::proxy::http3
