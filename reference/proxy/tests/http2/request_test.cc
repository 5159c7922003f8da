// Requests through a real nghttp2 client: the head in HTTP/1 shape (:authority → host), bodies
// across DATA frames under flow control, trailers, cookies, the body limit, and exact stats.
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

TEST(Http2Request, SimpleGetBecomesAnHttp1ShapedHead) {
  Pair p;
  const int32_t id = p.client.request("GET", "/hello?x=1", "example.com:8080",
                                      {{"accept", "*/*"}, {"user-agent", "t"}});
  p.pump(at(1));
  const auto events = p.events();
  ASSERT_EQ(events.size(), 2u);
  const auto& head = std::get<http1::RequestHead>(events[0]);
  EXPECT_EQ(head.request_id, static_cast<uint64_t>(id));
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/hello?x=1");
  EXPECT_EQ(head.version, (http1::Version{2, 0}));
  const http1::HeaderList expected = {
      {"host", "example.com:8080"}, {"accept", "*/*"}, {"user-agent", "t"}};
  EXPECT_EQ(head.headers, expected);
  EXPECT_EQ(head.framing, http1::BodyFraming::kNone);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(std::get<http1::RequestComplete>(events[1]).request_id, static_cast<uint64_t>(id));
  EXPECT_TRUE(p.server.isOpen(id));
  EXPECT_EQ(p.server.openStreams(), 1u);

  ASSERT_EQ(p.ok(2, id, "hi"), http1::EncodeResult::kOk);
  p.pump(at(2));
  const auto& seen = p.client.stream(id);
  EXPECT_EQ(seen.status(), 200);
  EXPECT_EQ(seen.body, "hi");
  EXPECT_TRUE(seen.ended);
  EXPECT_FALSE(seen.reset_code);
  EXPECT_FALSE(p.server.isOpen(id));
  EXPECT_EQ(p.server.openStreams(), 0u);
  EXPECT_EQ(p.ok(3, id), http1::EncodeResult::kNoRequest);
  EXPECT_FALSE(p.server.shouldClose());

  const std::map<std::string, uint64_t> stats = {{"downstream_cx_http2_total", 1},
                                                 {"downstream_rq_http2_total", 1},
                                                 {"downstream_rq_total", 1},
                                                 {"downstream_rq_2xx", 1},
                                                 {"downstream_rq_completed", 1}};
  EXPECT_EQ(p.nonZeroStats(), stats);
}

TEST(Http2Request, ServerSettingsAndConnectionWindowGoOutFirst) {
  Http2Options o;
  o.max_concurrent_streams = 7;
  o.initial_stream_window_size = 70000;
  Pair p(o);
  const auto frames = test_support::parseFrames(test_support::takeOutput(p.server));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, NGHTTP2_SETTINGS);
  // Two settings of six bytes each: MAX_CONCURRENT_STREAMS and INITIAL_WINDOW_SIZE.
  const std::string expected_settings("\x00\x03\x00\x00\x00\x07\x00\x04\x00\x01\x11\x70", 12);
  EXPECT_EQ(frames[0].payload, expected_settings);
  EXPECT_EQ(frames[1].type, NGHTTP2_WINDOW_UPDATE);
  EXPECT_EQ(frames[1].stream_id, 0u);
  // 1048576 - 65535 = 983041 = 0x000F0001.
  EXPECT_EQ(frames[1].payload, std::string("\x00\x0f\x00\x01", 4));
}

TEST(Http2Request, PostBodyFlowsAsTheApplicationPulls) {
  Pair p;
  std::string body;
  for (int i = 0; i < 200 * 1024; ++i) body += static_cast<char>('a' + i % 26);
  const int32_t id = p.client.request("POST", "/upload", "example.com",
                                      {{"content-length", std::to_string(body.size())}}, body);
  p.pump(at(1));

  // Without pulls the client may send no more than the stream window.
  size_t buffered = 0;
  auto first = p.events();
  ASSERT_GE(first.size(), 2u);
  const auto& head = std::get<http1::RequestHead>(first[0]);
  EXPECT_EQ(head.framing, http1::BodyFraming::kContentLength);
  EXPECT_EQ(head.content_length, body.size());
  std::string received;
  for (const auto& d : eventsOf<http1::BodyData>(first)) {
    EXPECT_EQ(d.request_id, static_cast<uint64_t>(id));
    received += d.data;
  }
  buffered = received.size();
  EXPECT_LE(buffered, 65536u);
  EXPECT_GT(buffered, 0u);

  // Each pull reopens the window: the rest arrives over several rounds.
  bool complete = false;
  int rounds = 0;
  for (; rounds < 100 && !complete; ++rounds) {
    p.pump(at(2 + rounds));
    for (const auto& e : p.events()) {
      if (const auto* d = std::get_if<http1::BodyData>(&e)) received += d->data;
      if (std::holds_alternative<http1::RequestComplete>(e)) complete = true;
    }
  }
  EXPECT_TRUE(complete);
  EXPECT_GT(rounds, 1);
  EXPECT_EQ(received, body);
  ASSERT_EQ(p.ok(200, id, "done"), http1::EncodeResult::kOk);
  p.pump(at(200));
  EXPECT_EQ(p.client.stream(id).body, "done");
  EXPECT_FALSE(p.client.stream(id).reset_code);
}

TEST(Http2Request, LargeResponseWaitsForTheClientsWindow) {
  Pair p({}, {}, Client::Options{.auto_window_update = false});
  const int32_t id = p.client.request("GET", "/big", "example.com");
  p.pump(at(1));
  p.events();
  const std::string body(100 * 1024, 'z');
  http1::ResponseHead head;
  ASSERT_EQ(p.server.respond(at(2), id, head, body), http1::EncodeResult::kOk);
  p.pump(at(2));
  // The client's stream window (65535) stops the response; the stream stays open meanwhile.
  EXPECT_EQ(p.client.stream(id).body.size(), 65535u);
  EXPECT_FALSE(p.client.stream(id).ended);
  EXPECT_EQ(p.server.openStreams(), 1u);
  EXPECT_FALSE(p.server.isOpen(id));
  p.client.consume(id, 65535);
  p.pump(at(3));
  EXPECT_EQ(p.client.stream(id).body, body);
  EXPECT_TRUE(p.client.stream(id).ended);
  EXPECT_EQ(p.server.openStreams(), 0u);
}

TEST(Http2Request, TrailersAndCookies) {
  Pair p;
  const int32_t id = p.client.openRequest("POST", "/t", "example.com",
                                          {{"cookie", "a=1"}, {"x-y", "z"}, {"cookie", "b=2"}});
  p.pump(at(1));
  p.client.sendData(id, "abc", false);
  p.pump(at(2));
  p.client.sendTrailers(id, {{"grpc-status", "0"}});
  p.pump(at(3));
  const auto events = p.events();
  const auto heads = eventsOf<http1::RequestHead>(events);
  ASSERT_EQ(heads.size(), 1u);
  const http1::HeaderList expected = {
      {"host", "example.com"}, {"x-y", "z"}, {"cookie", "a=1; b=2"}};
  EXPECT_EQ(heads[0].headers, expected);
  EXPECT_EQ(heads[0].framing, http1::BodyFraming::kChunked);
  const auto bodies = eventsOf<http1::BodyData>(events);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].data, "abc");
  const auto done = eventsOf<http1::RequestComplete>(events);
  ASSERT_EQ(done.size(), 1u);
  const http1::HeaderList trailers = {{"grpc-status", "0"}};
  EXPECT_EQ(done[0].trailers, trailers);
  EXPECT_EQ(p.h2.http2_trailers, 1u);
}

TEST(Http2Request, HostFieldIsReplacedByAuthority) {
  Pair p;
  p.client.request("GET", "/", "a.example", {{"host", "b.example"}});
  p.pump(at(1));
  const auto heads = eventsOf<http1::RequestHead>(p.events());
  ASSERT_EQ(heads.size(), 1u);
  const http1::HeaderList expected = {{"host", "a.example"}};
  EXPECT_EQ(heads[0].headers, expected);
}

TEST(Http2Request, BodyOverTheLimitIsAnswered413) {
  Http2Options o;
  o.max_request_body_bytes = 10;
  Pair p(o);
  const int32_t id = p.client.request("POST", "/", "example.com", {}, std::string(25, 'x'));
  p.pump(at(1));
  const auto events = p.events();
  const auto bodies = eventsOf<http1::BodyData>(events);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].data, std::string(10, 'x'));
  const auto errors = eventsOf<http1::ProtocolError>(events);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].status, 413);
  EXPECT_TRUE(errors[0].replied);
  EXPECT_EQ(errors[0].details, "request_payload_too_large");
  EXPECT_TRUE(eventsOf<http1::RequestComplete>(events).empty());
  EXPECT_EQ(p.client.stream(id).status(), 413);
  EXPECT_EQ(p.client.stream(id).body, "Payload Too Large");
  EXPECT_EQ(p.h2.downstream_rq_too_large, 1u);
  EXPECT_EQ(p.hcm.downstream_rq_4xx, 1u);
  EXPECT_FALSE(p.server.isOpen(id));
  EXPECT_EQ(p.ok(2, id), http1::EncodeResult::kNoRequest);
  EXPECT_FALSE(p.server.shouldClose());
}

TEST(Http2Request, ManyStreamsAnsweredOutOfOrder) {
  Pair p;
  const int32_t a = p.client.request("GET", "/a", "example.com");
  const int32_t b = p.client.request("GET", "/b", "example.com");
  const int32_t c = p.client.request("GET", "/c", "example.com");
  p.pump(at(1));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 3u);
  EXPECT_EQ(p.server.openStreams(), 3u);
  ASSERT_EQ(p.ok(2, c, "C"), http1::EncodeResult::kOk);
  ASSERT_EQ(p.ok(2, a, "A"), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_EQ(p.client.stream(c).body, "C");
  EXPECT_EQ(p.client.stream(a).body, "A");
  EXPECT_EQ(p.client.stream(b).status(), 0);
  EXPECT_TRUE(p.server.isOpen(b));
  ASSERT_EQ(p.ok(3, b, "B"), http1::EncodeResult::kOk);
  p.pump(at(3));
  EXPECT_EQ(p.client.stream(b).body, "B");
  EXPECT_EQ(p.hcm.downstream_rq_2xx, 3u);
}

TEST(Http2Request, SurvivesAMove) {
  Pair p;
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  ServerConnection moved = std::move(p.server);
  EXPECT_EQ(eventsOf<http1::RequestHead>([&] {
              std::vector<http1::Event> out;
              while (auto e = moved.nextEvent()) out.push_back(std::move(*e));
              return out;
            }())
                .size(),
            1u);
  ASSERT_EQ(moved.respond(at(2), id, {}, "x"), http1::EncodeResult::kOk);
  p.client.receive(test_support::takeOutput(moved));
  EXPECT_EQ(p.client.stream(id).body, "x");
}

}  // namespace
}  // namespace ctplab::proxy::http2
