// Stream lifecycle: the concurrency limit (refused before the SETTINGS ACK, a connection error
// after it), client resets, application resets, peer close, drain and max requests.
#include <gtest/gtest.h>

#include <string>

#include "http2/h2_client.h"

namespace ctplab::proxy::http2 {
namespace {

using test_support::at;
using test_support::Client;
using test_support::eventsOf;
using test_support::Hpack;
using test_support::Pair;

TEST(Http2Streams, StreamBeyondMaxConcurrentIsRefused) {
  // The client opens 101 streams before it has seen the server's SETTINGS.
  Pair p({}, {}, Client::Options{.peer_max_concurrent_streams = 1000});
  std::vector<int32_t> ids;
  for (int i = 0; i < 101; ++i) ids.push_back(p.client.request("GET", "/", "example.com"));
  p.pump(at(1));
  const auto events = p.events();
  EXPECT_EQ(eventsOf<http1::RequestHead>(events).size(), 100u);
  EXPECT_EQ(eventsOf<http1::RequestComplete>(events).size(), 100u);
  EXPECT_EQ(p.client.stream(ids.back()).reset_code, NGHTTP2_REFUSED_STREAM);
  EXPECT_FALSE(p.server.isOpen(ids.back()));
  EXPECT_EQ(p.server.openStreams(), 100u);
  EXPECT_EQ(p.h2.http2_stream_refused_errors, 1u);
  EXPECT_EQ(p.h2.http2_tx_reset, 1u);
  EXPECT_EQ(p.h2.downstream_rq_http2_total, 100u);
  EXPECT_EQ(p.hcm.downstream_rq_total, 100u);
  EXPECT_FALSE(p.server.shouldClose());

  for (int i = 0; i < 100; ++i) ASSERT_EQ(p.ok(2, ids[i]), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_EQ(p.server.openStreams(), 0u);
  // The client retries on the same connection.
  const int32_t retry = p.client.request("GET", "/", "example.com");
  p.pump(at(3));
  ASSERT_EQ(p.ok(4, retry), http1::EncodeResult::kOk);
  p.pump(at(4));
  EXPECT_EQ(p.client.stream(retry).status(), 200);
  EXPECT_EQ(p.hcm.downstream_rq_2xx, 101u);
}

TEST(Http2Streams, ExceedingAnAcknowledgedLimitIsAConnectionError) {
  Http2Options o;
  o.max_concurrent_streams = 2;
  Http2Stats h2;
  connection::HttpConnectionStats hcm;
  ServerConnection server(at(0), o, h2, hcm, {});
  Hpack hpack;
  std::string in = test_support::clientStart() + test_support::settingsAck();
  for (uint32_t id : {1u, 3u, 5u}) {
    in += test_support::frame(
        NGHTTP2_HEADERS, NGHTTP2_FLAG_END_HEADERS | NGHTTP2_FLAG_END_STREAM, id,
        hpack.encode(
            {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "a"}}));
  }
  server.onBytes(at(1), in);
  EXPECT_TRUE(server.shouldClose());
  EXPECT_EQ(server.closeReason(), connection::CloseReason::kCodec);
  const auto frames = test_support::parseFrames(test_support::takeOutput(server));
  EXPECT_EQ(test_support::goAwayCode(frames), NGHTTP2_PROTOCOL_ERROR);
  EXPECT_EQ(h2.downstream_cx_protocol_error, 1u);
  std::vector<http1::Event> events;
  while (auto e = server.nextEvent()) events.push_back(std::move(*e));
  EXPECT_EQ(eventsOf<http1::RequestHead>(events).size(), 2u);
  const auto errors = eventsOf<http1::ProtocolError>(events);
  ASSERT_EQ(errors.size(), 2u);  // the two accepted streams die with the connection
  EXPECT_FALSE(errors[0].replied);
  EXPECT_EQ(server.respond(at(2), 1, {}, ""), http1::EncodeResult::kClosed);
}

TEST(Http2Streams, ClientResetBecomesPeerReset) {
  Pair p;
  const int32_t id = p.client.openRequest("POST", "/", "example.com");
  p.pump(at(1));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 1u);
  p.client.reset(id);
  p.pump(at(2));
  const auto events = p.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<http1::PeerReset>(events[0]).request_id, static_cast<uint64_t>(id));
  EXPECT_EQ(p.h2.http2_rx_reset, 1u);
  EXPECT_EQ(p.hcm.downstream_rq_rx_reset, 1u);
  EXPECT_FALSE(p.server.isOpen(id));
  EXPECT_EQ(p.ok(3, id), http1::EncodeResult::kNoRequest);
  EXPECT_FALSE(p.server.shouldClose());
}

TEST(Http2Streams, ApplicationResetSendsRstNoError) {
  Pair p;
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  p.events();
  p.server.resetStream(at(2), id);
  p.pump(at(2));
  EXPECT_EQ(p.client.stream(id).reset_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(p.h2.http2_tx_reset, 1u);
  EXPECT_TRUE(p.events().empty());
  EXPECT_EQ(p.server.openStreams(), 0u);
  EXPECT_EQ(p.ok(3, id), http1::EncodeResult::kNoRequest);
}

TEST(Http2Streams, EarlyAnswerResetsTheRestOfTheRequest) {
  Pair p;
  const int32_t id = p.client.openRequest("POST", "/", "example.com");
  p.pump(at(1));
  p.events();
  ASSERT_EQ(p.ok(2, id, "early"), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_EQ(p.client.stream(id).body, "early");
  EXPECT_TRUE(p.client.stream(id).ended);
  EXPECT_EQ(p.client.stream(id).reset_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(p.h2.http2_tx_reset, 1u);
  EXPECT_EQ(p.server.openStreams(), 0u);
}

TEST(Http2Streams, PeerCloseResetsOpenStreams) {
  Pair p;
  const int32_t a = p.client.request("GET", "/a", "example.com");
  const int32_t b = p.client.openRequest("POST", "/b", "example.com");
  const int32_t c = p.client.request("GET", "/c", "example.com");
  p.pump(at(1));
  p.events();
  ASSERT_EQ(p.ok(2, c), http1::EncodeResult::kOk);
  p.server.onPeerClosed(at(3));
  EXPECT_TRUE(p.server.shouldClose());
  EXPECT_EQ(p.server.closeReason(), connection::CloseReason::kPeer);
  const auto resets = eventsOf<http1::PeerReset>(p.events());
  ASSERT_EQ(resets.size(), 2u);
  EXPECT_EQ(resets[0].request_id, static_cast<uint64_t>(a));
  EXPECT_EQ(resets[1].request_id, static_cast<uint64_t>(b));
  EXPECT_EQ(p.hcm.downstream_rq_rx_reset, 2u);
  EXPECT_EQ(p.server.nextDeadline(), std::nullopt);
  EXPECT_EQ(p.ok(4, a), http1::EncodeResult::kClosed);
}

TEST(Http2Streams, DrainLetsOpenStreamsFinish) {
  Pair p;
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  p.events();
  p.server.drain(at(2));
  p.pump(at(2));
  ASSERT_TRUE(p.client.goaway());
  EXPECT_EQ(p.client.goaway()->last_stream_id, id);
  EXPECT_EQ(p.client.goaway()->error_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(p.h2.http2_goaway_sent, 1u);
  EXPECT_FALSE(p.server.shouldClose());
  ASSERT_EQ(p.ok(3, id), http1::EncodeResult::kOk);
  p.pump(at(3));
  EXPECT_EQ(p.client.stream(id).status(), 200);
  EXPECT_TRUE(p.server.shouldClose());
  EXPECT_EQ(p.server.closeReason(), connection::CloseReason::kCodec);
  EXPECT_EQ(p.h2.downstream_cx_protocol_error, 0u);
}

TEST(Http2Streams, MaxRequestsPerConnectionSendsGoAway) {
  connection::HttpConnectionSettings s;
  s.max_requests_per_connection = 2;
  Pair p({}, s);
  const int32_t first = p.client.request("GET", "/1", "example.com");
  p.pump(at(1));
  p.events();
  ASSERT_EQ(p.ok(2, first), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_FALSE(p.client.goaway());

  const int32_t second = p.client.request("GET", "/2", "example.com");
  p.pump(at(3));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 1u);
  ASSERT_TRUE(p.client.goaway());
  EXPECT_EQ(p.client.goaway()->last_stream_id, second);
  EXPECT_EQ(p.hcm.downstream_cx_max_requests_reached, 1u);
  EXPECT_EQ(p.h2.http2_goaway_sent, 1u);
  EXPECT_FALSE(p.server.shouldClose());
  ASSERT_EQ(p.ok(4, second), http1::EncodeResult::kOk);
  p.pump(at(4));
  EXPECT_EQ(p.client.stream(second).status(), 200);
  EXPECT_TRUE(p.server.shouldClose());
}

TEST(Http2Streams, MaxRequestsCountsEveryStreamAcceptedAtTheLimit) {
  connection::HttpConnectionSettings s;
  s.max_requests_per_connection = 1;
  Pair p({}, s);
  const int32_t a = p.client.request("GET", "/a", "example.com");
  const int32_t b = p.client.request("GET", "/b", "example.com");
  p.pump(at(1));
  // Both arrived in one read: the GOAWAY names the last of them, and both are served.
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 2u);
  ASSERT_TRUE(p.client.goaway());
  EXPECT_EQ(p.client.goaway()->last_stream_id, b);
  EXPECT_EQ(p.hcm.downstream_cx_max_requests_reached, 2u);
  ASSERT_EQ(p.ok(2, a), http1::EncodeResult::kOk);
  ASSERT_EQ(p.ok(2, b), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_TRUE(p.server.shouldClose());
}

}  // namespace
}  // namespace ctplab::proxy::http2
