// Pipelining, keep-alive, read-window back-pressure, draining and peer close.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http1/codec_harness.h"

namespace ctplab::proxy::http1 {
namespace {

using testing::Harness;
using testing::okResponse;
using Lines = std::vector<std::string>;

const std::string kThree =
    "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
    "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
    "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n";

TEST(Http1Pipelining, ThreeRequestsInOneBufferAnsweredInOrder) {
  Harness h;
  EXPECT_EQ(h.feed(kThree), kThree.size());
  EXPECT_EQ(h.lines(),
            (Lines{"head #1 GET /1 HTTP/1.1 keep-alive no-body [Host: a]", "complete #1",
                   "head #2 POST /2 HTTP/1.1 keep-alive length=3 [Host: a] "
                   "[Content-Length: 3]",
                   "body #2 \"xyz\"", "complete #2",
                   "head #3 GET /3 HTTP/1.1 keep-alive no-body [Host: a]", "complete #3"}));
  EXPECT_EQ(h.output(), okResponse() + okResponse() + okResponse());
  EXPECT_FALSE(h.codec().shouldClose());
  EXPECT_EQ(h.stats()["downstream_rq_http1_total"], 3u);
}

TEST(Http1Pipelining, NextRequestWaitsForTheResponse) {
  Harness h;
  h.auto_respond = false;
  EXPECT_EQ(h.feed(kThree), kThree.size());
  // Only the first request is visible; the others wait, buffered.
  EXPECT_EQ(h.lines(),
            (Lines{"head #1 GET /1 HTTP/1.1 keep-alive no-body [Host: a]", "complete #1"}));
  const size_t first = std::string("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").size();
  EXPECT_EQ(h.codec().bufferedBytes(), kThree.size() - first);
  ResponseHead head;
  ASSERT_EQ(h.codec().encodeHeaders(head, false), EncodeResult::kOk);
  h.pump();
  EXPECT_EQ(h.lines().size(), 2u);  // still streaming #1's response: #2 stays parked
  ASSERT_EQ(h.codec().encodeData("one", true), EncodeResult::kOk);
  h.pump();
  ASSERT_EQ(h.lines().size(), 5u);
  EXPECT_EQ(h.lines()[4], "complete #2");
  ASSERT_EQ(h.codec().encodeHeaders(head, true), EncodeResult::kOk);
  h.pump();
  EXPECT_EQ(h.lines().back(), "complete #3");
  EXPECT_EQ(h.output(),
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\none\r\n0\r\n\r\n"
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
}

TEST(Http1Pipelining, ConnectionCloseDiscardsLaterRequests) {
  Harness h;
  const std::string input =
      "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nConnection: close\r\n\r\nGET /3 HTTP/1.1\r\n\r\n";
  EXPECT_EQ(h.feed(input), input.size());
  EXPECT_EQ(h.lines(),
            (Lines{"head #1 GET /1 HTTP/1.1 keep-alive no-body", "complete #1",
                   "head #2 GET /2 HTTP/1.1 close no-body [Connection: close]", "complete #2"}));
  EXPECT_EQ(h.output(), okResponse() + okResponse(true));
  EXPECT_TRUE(h.codec().shouldClose());
}

TEST(Http1Pipelining, SmallWindowAppliesBackPressure) {
  CodecOptions options;
  options.read_window_bytes = 16;
  Harness h(options);
  h.auto_respond = false;
  // One feed never takes more than the window, header bytes included.
  size_t accepted = h.codec().feed(kThree);
  EXPECT_EQ(accepted, 16u);
  // Keep offering: #1 completes, then the parked bytes of #2 fill the window.
  for (int i = 0; i < 10 && !h.codec().readBlocked(); ++i) {
    accepted += h.codec().feed(std::string_view(kThree).substr(accepted));
  }
  h.pump();
  EXPECT_TRUE(h.codec().readBlocked());
  EXPECT_EQ(h.codec().bufferedBytes(), 16u);
  EXPECT_EQ(h.codec().feed(std::string_view(kThree).substr(accepted)), 0u);
  EXPECT_EQ(h.lines().size(), 2u);
  // Answering #1 unparks #2 and frees the window.
  ResponseHead head;
  h.codec().encodeHeaders(head, true);
  EXPECT_FALSE(h.codec().readBlocked());
  // A driver that re-offers refused bytes gets everything served in order.
  Harness served(options);
  EXPECT_EQ(served.feed(kThree, 5), kThree.size());
  EXPECT_EQ(served.output(), okResponse() + okResponse() + okResponse());
  EXPECT_EQ(served.lines().size(), 7u);
}

TEST(Http1Pipelining, BodyLargerThanWindowFlowsWhenPulled) {
  CodecOptions options;
  options.read_window_bytes = 100;
  Harness h(options);
  const std::string body(1000, 'b');
  const std::string input = "POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + body;
  // The harness pulls after every accepted piece, freeing the window.
  EXPECT_EQ(h.feed(input), input.size());
  EXPECT_EQ(h.lines(), (Lines{"head #1 POST / HTTP/1.1 keep-alive length=1000 "
                              "[Content-Length: 1000]",
                              "body #1 \"" + body + "\"", "complete #1"}));
}

TEST(Http1Pipelining, UnpulledBodyFillsTheWindow) {
  CodecOptions options;
  options.read_window_bytes = 100;
  Harness h(options);
  const std::string head = "POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n";
  const std::string input = head + std::string(1000, 'b');
  EXPECT_EQ(h.codec().feed(input), 100u);  // the head plus the first body bytes
  // Unpulled body bytes count against the window until it is full.
  EXPECT_EQ(h.codec().feed(std::string_view(input).substr(100)), head.size());
  EXPECT_EQ(h.codec().bufferedBytes(), 100u);
  EXPECT_TRUE(h.codec().readBlocked());
  EXPECT_EQ(h.codec().feed("b"), 0u);
  h.pump();  // pulls the 100 body bytes
  EXPECT_FALSE(h.codec().readBlocked());
  EXPECT_EQ(h.codec().feed(std::string(150, 'b')), 100u);
}

TEST(Http1Pipelining, PeerHalfCloseAfterPipelinedRequestsServesThem) {
  Harness h;
  h.auto_respond = false;
  h.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
  h.peerClose();
  EXPECT_FALSE(h.codec().shouldClose());
  ResponseHead head;
  h.codec().encodeHeaders(head, true);
  h.pump();
  EXPECT_FALSE(h.codec().shouldClose());
  h.codec().encodeHeaders(head, true);
  h.pump();
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.lines(), (Lines{"head #1 GET /1 HTTP/1.1 keep-alive no-body", "complete #1",
                              "head #2 GET /2 HTTP/1.1 keep-alive no-body", "complete #2"}));
}

TEST(Http1Pipelining, PeerCloseMidRequestIsAReset) {
  Harness h;
  h.feed("GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
  h.peerClose();
  EXPECT_EQ(h.lines(), (Lines{"head #1 GET /1 HTTP/1.1 keep-alive no-body", "complete #1",
                              "head #2 POST /2 HTTP/1.1 keep-alive length=5 [Content-Length: 5]",
                              "body #2 \"ab\"", "reset #2"}));
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.output(), okResponse());
}

TEST(Http1Pipelining, PeerCloseWhileIdleCloses) {
  Harness h;
  h.feed("GET / HTTP/1.1\r\n\r\n");
  h.peerClose();
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.lines().size(), 2u);
}

TEST(Http1Drain, IdleConnectionClosesAtOnce) {
  Harness h;
  h.feed("GET / HTTP/1.1\r\n\r\n");
  EXPECT_FALSE(h.codec().shouldClose());
  h.codec().startDrain();
  EXPECT_TRUE(h.codec().shouldClose());
}

TEST(Http1Drain, NextResponseCarriesConnectionClose) {
  Harness h;
  h.auto_respond = false;
  h.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
  h.codec().startDrain();
  EXPECT_FALSE(h.codec().shouldClose());
  ResponseHead head;
  h.codec().encodeHeaders(head, true);
  h.pump();
  EXPECT_EQ(h.output(), "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.lines().size(), 2u);  // #2 is never parsed
}

TEST(Http1Drain, DrainAfterHeadersClosesAfterTheResponse) {
  Harness h;
  h.auto_respond = false;
  h.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
  ResponseHead head;
  h.codec().encodeHeaders(head, false);
  h.codec().startDrain();
  h.codec().encodeData("x", true);
  h.pump();
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.lines().size(), 2u);
}

TEST(Http1BodyLimitHook, LimitSetAfterHeadRejectsLaterBytes) {
  Harness h;
  h.auto_respond = false;
  h.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n");
  EXPECT_TRUE(h.codec().setRequestBodyLimit(1, 3));
  EXPECT_FALSE(h.codec().setRequestBodyLimit(2, 3));  // not the request being received
  h.feed("hello");
  EXPECT_EQ(h.lines(),
            (Lines{"head #1 POST / HTTP/1.1 keep-alive length=5 [Content-Length: 5]",
                   "body #1 \"hel\"", "error #1 413 request_payload_too_large replied"}));
  EXPECT_EQ(h.stats()["downstream_rq_too_large"], 1u);
  EXPECT_TRUE(h.codec().shouldClose());
}

TEST(Http1BodyLimitHook, LimitBelowWhatArrivedRejectsAtOnce) {
  Harness h;
  h.auto_respond = false;
  h.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel");
  EXPECT_TRUE(h.codec().setRequestBodyLimit(1, 2));
  h.pump();
  EXPECT_EQ(h.lines().back(), "error #1 413 request_payload_too_large replied");
  EXPECT_EQ(h.output().substr(0, 31), "HTTP/1.1 413 Payload Too Large\r");
}

TEST(Http1BodyLimitHook, LimitAfterResponseStartedClosesWithoutReply) {
  Harness h;
  h.auto_respond = false;
  h.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel");
  ResponseHead head;
  h.codec().encodeHeaders(head, false);
  EXPECT_TRUE(h.codec().setRequestBodyLimit(1, 2));
  h.pump();
  EXPECT_EQ(h.lines().back(), "error #1 413 request_payload_too_large unreplied");
  EXPECT_EQ(h.output(),
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n");
  EXPECT_EQ(h.codec().encodeData("x", true), EncodeResult::kClosed);
}

}  // namespace
}  // namespace ctplab::proxy::http1
