// Hostile and broken input: bytes that are not HTTP/2, random and truncated frames, HTTP
// messaging errors under both onInvalidMessage modes, and byte-by-byte delivery.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "http2/h2_client.h"

namespace ctplab::proxy::http2 {
namespace {

using test_support::at;
using test_support::eventsOf;
using test_support::Hpack;
using test_support::Pair;

struct Server {
  Http2Stats h2;
  connection::HttpConnectionStats hcm;
  ServerConnection conn{at(0), {}, h2, hcm, {}};

  std::vector<http1::Event> events() {
    std::vector<http1::Event> out;
    while (auto e = conn.nextEvent()) out.push_back(std::move(*e));
    return out;
  }
};

std::string getHeaders(Hpack& hpack, uint32_t id,
                       std::vector<std::pair<std::string, std::string>> extra = {}) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "a"}};
  for (auto& f : extra) fields.push_back(std::move(f));
  return test_support::frame(NGHTTP2_HEADERS, NGHTTP2_FLAG_END_HEADERS | NGHTTP2_FLAG_END_STREAM,
                             id, hpack.encode(fields));
}

TEST(Http2Robustness, Http1RequestClosesWithGoAway) {
  Server s;
  s.conn.onBytes(at(1), "GET / HTTP/1.1\r\nhost: a\r\n\r\n");
  EXPECT_TRUE(s.conn.shouldClose());
  EXPECT_EQ(s.conn.closeReason(), connection::CloseReason::kCodec);
  EXPECT_EQ(s.h2.downstream_cx_protocol_error, 1u);
  const auto frames = test_support::parseFrames(test_support::takeOutput(s.conn));
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0].type, NGHTTP2_SETTINGS);
  EXPECT_EQ(test_support::goAwayCode(frames), NGHTTP2_PROTOCOL_ERROR);
  EXPECT_TRUE(s.events().empty());
  // Later input and calls are ignored.
  s.conn.onBytes(at(2), "more");
  s.conn.onDeadline(at(3));
  EXPECT_EQ(s.h2.downstream_cx_protocol_error, 1u);
  EXPECT_EQ(s.conn.nextDeadline(), std::nullopt);
}

TEST(Http2Robustness, RandomBytesNeverCrashAndClose) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    Server s;
    std::string bytes(1 + rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (bytes[0] == 'P') bytes[0] = 'Q';  // keep it from being a preface by chance
    s.conn.onBytes(at(1), bytes);
    EXPECT_TRUE(s.conn.shouldClose()) << round;
    s.events();
  }
}

TEST(Http2Robustness, RandomFramesAfterAValidStartNeverCrash) {
  std::mt19937 rng(777);
  for (int round = 0; round < 500; ++round) {
    Server s;
    Hpack hpack;
    std::string in = test_support::clientStart() + getHeaders(hpack, 1);
    for (int f = 0; f < 4; ++f) {
      std::string payload(rng() % 40, '\0');
      for (char& c : payload) c = static_cast<char>(rng());
      in += test_support::frame(static_cast<uint8_t>(rng() % 12), static_cast<uint8_t>(rng()),
                                rng() % 8, payload);
    }
    // Delivered in random pieces, so truncated frames sit in the parser between calls.
    size_t pos = 0;
    while (pos < in.size() && !s.conn.shouldClose()) {
      const size_t n = std::min(in.size() - pos, size_t{1} + rng() % 30);
      s.conn.onBytes(at(1), std::string_view(in).substr(pos, n));
      pos += n;
      test_support::takeOutput(s.conn);
    }
    for (const auto& e : s.events()) {
      if (const auto* head = std::get_if<http1::RequestHead>(&e)) {
        s.conn.respond(at(2), head->request_id, {}, "x");
      }
    }
    s.conn.onDeadline(at(3));
    s.conn.onPeerClosed(at(4));
    EXPECT_TRUE(s.conn.shouldClose()) << round;
  }
}

TEST(Http2Robustness, MutatedClientConversationsNeverCrash) {
  // A real client's bytes (several streams, bodies, trailers, a reset) with random bytes
  // overwritten reach deeper states than random frames do.
  std::string conversation;
  {
    Pair p;
    p.client.request("GET", "/a", "example.com", {{"accept", "*/*"}});
    p.client.request("POST", "/b", "example.com", {{"content-length", "5"}}, "hello");
    const int32_t c = p.client.openRequest("PUT", "/c", "example.com");
    p.client.sendData(c, std::string(3000, 'c'), false);
    conversation = p.client.takeOutput();
    p.client.sendTrailers(c, {{"x-t", "1"}});
    p.client.reset(p.client.request("GET", "/d", "example.com"));
    conversation += p.client.takeOutput();
  }
  std::mt19937 rng(4242);
  for (int round = 0; round < 400; ++round) {
    std::string in = conversation;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      // The preface is left alone so the damage lands in frames.
      const size_t at_byte = kClientPreface.size() + rng() % (in.size() - kClientPreface.size());
      in[at_byte] = static_cast<char>(rng());
    }
    Server s;
    size_t pos = 0;
    while (pos < in.size() && !s.conn.shouldClose()) {
      const size_t n = std::min(in.size() - pos, size_t{1} + rng() % 500);
      s.conn.onBytes(at(1), std::string_view(in).substr(pos, n));
      pos += n;
      for (const auto& e : s.events()) {
        if (const auto* done = std::get_if<http1::RequestComplete>(&e)) {
          s.conn.respond(at(2), done->request_id, {}, "x");
        }
      }
      test_support::takeOutput(s.conn);
    }
    s.conn.onDeadline(at(400'000));
    s.conn.onPeerClosed(at(400'001));
    EXPECT_TRUE(s.conn.shouldClose()) << round;
  }
}

TEST(Http2Robustness, TruncatedFrameWaitsForTheRest) {
  Server s;
  Hpack hpack;
  const std::string whole = test_support::clientStart() + getHeaders(hpack, 1);
  s.conn.onBytes(at(1), std::string_view(whole).substr(0, whole.size() - 3));
  EXPECT_FALSE(s.conn.shouldClose());
  EXPECT_TRUE(s.events().empty());
  s.conn.onBytes(at(2), std::string_view(whole).substr(whole.size() - 3));
  EXPECT_EQ(eventsOf<http1::RequestHead>(s.events()).size(), 1u);
  s.conn.onPeerClosed(at(3));
  EXPECT_TRUE(s.conn.shouldClose());
  EXPECT_EQ(eventsOf<http1::PeerReset>(s.events()).size(), 1u);
}

TEST(Http2Robustness, InvalidMessageClosesTheConnectionByDefault) {
  Server s;
  Hpack hpack;
  // Built in sequence: the encoder's dynamic table must see the blocks in wire order.
  std::string in = test_support::clientStart();
  in += getHeaders(hpack, 1);
  in += getHeaders(hpack, 3, {{"connection", "keep-alive"}});
  s.conn.onBytes(at(1), in);
  EXPECT_TRUE(s.conn.shouldClose());
  EXPECT_EQ(s.h2.http2_rx_messaging_error, 1u);
  EXPECT_EQ(s.h2.downstream_cx_protocol_error, 1u);
  EXPECT_EQ(test_support::goAwayCode(test_support::parseFrames(test_support::takeOutput(s.conn))),
            NGHTTP2_PROTOCOL_ERROR);
  const auto events = s.events();
  EXPECT_EQ(eventsOf<http1::RequestHead>(events).size(), 1u);
  const auto errors = eventsOf<http1::ProtocolError>(events);
  ASSERT_EQ(errors.size(), 1u);  // stream 1 dies with the connection
  EXPECT_EQ(errors[0].request_id, 1u);
  EXPECT_EQ(errors[0].details, "http2.codec_error");
}

TEST(Http2Robustness, TerminateStreamResetsOnlyTheOffendingStream) {
  Http2Options o;
  o.terminate_stream_on_invalid = true;
  Pair p(o);
  // nghttp2 lower-cases names it sends, so the violation is a connection-specific field.
  const int32_t bad = p.client.request("GET", "/", "example.com", {{"connection", "close"}});
  const int32_t good = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  const auto events = p.events();
  const auto errors = eventsOf<http1::ProtocolError>(events);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].request_id, static_cast<uint64_t>(bad));
  EXPECT_EQ(errors[0].details, "http2.invalid.header.field");
  EXPECT_EQ(p.client.stream(bad).reset_code, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_EQ(eventsOf<http1::RequestHead>(events).size(), 1u);
  EXPECT_EQ(p.h2.http2_rx_messaging_error, 1u);
  EXPECT_EQ(p.h2.downstream_cx_protocol_error, 0u);
  EXPECT_FALSE(p.server.shouldClose());
  ASSERT_EQ(p.ok(2, good), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_EQ(p.client.stream(good).status(), 200);
}

TEST(Http2Robustness, BodyLongerThanContentLengthResetsTheStream) {
  Pair p;
  const int32_t id = p.client.openRequest("POST", "/", "example.com", {{"content-length", "2"}});
  p.pump(at(1));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 1u);
  p.client.sendData(id, "too long", true);
  p.pump(at(2));
  const auto errors = eventsOf<http1::ProtocolError>(p.events());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_FALSE(errors[0].replied);
  EXPECT_EQ(p.client.stream(id).reset_code, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_FALSE(p.server.shouldClose());
}

TEST(Http2Robustness, ByteByByteDeliveryGivesTheSameEvents) {
  Hpack hpack;
  std::string in = test_support::clientStart();
  in += getHeaders(hpack, 1, {{"x", "1"}});
  in += getHeaders(hpack, 3);
  Server whole;
  whole.conn.onBytes(at(1), in);
  Server split;
  for (char c : in) split.conn.onBytes(at(1), std::string_view(&c, 1));
  const auto a = whole.events();
  const auto b = split.events();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(http1::describe(a[i]), http1::describe(b[i]));
  EXPECT_EQ(a.size(), 4u);
}

}  // namespace
}  // namespace ctplab::proxy::http2
