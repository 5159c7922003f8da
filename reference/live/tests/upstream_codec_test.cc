#include "ctplab/live/upstream_codec.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

using State = UpstreamResponseParser::State;

TEST(UpstreamRequest, HopByHopFieldsAreDroppedAndTheBodyIsFramedByLength) {
  proxy::http1::RequestHead head;
  head.method = "POST";
  head.target = "/submit";
  head.version = {1, 0};
  head.framing = proxy::http1::BodyFraming::kChunked;
  head.headers = {
      {"host", "www.example.com"},      {"Connection", "keep-alive, X-Hop"}, {"X-Hop", "1"},
      {"transfer-encoding", "chunked"}, {"x-forwarded-for", "10.0.0.1"},     {"TE", "trailers"}};
  EXPECT_EQ(serializeUpstreamRequest(head, "hello"),
            "POST /submit HTTP/1.1\r\n"
            "host: www.example.com\r\n"
            "x-forwarded-for: 10.0.0.1\r\n"
            "content-length: 5\r\n"
            "\r\n"
            "hello");
}

TEST(UpstreamRequest, BodylessRequestHasNoLength) {
  proxy::http1::RequestHead head;
  head.method = "GET";
  head.target = "/";
  head.headers = {{"host", "h"}};
  EXPECT_EQ(serializeUpstreamRequest(head, ""), "GET / HTTP/1.1\r\nhost: h\r\n\r\n");
}

TEST(UpstreamResponse, ContentLengthResponseInPieces) {
  UpstreamResponseParser p(false, 1024);
  const std::string wire = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA";
  State s = State::kNeedMore;
  for (char c : wire) {
    s = p.feed(std::string_view(&c, 1));
    if (s != State::kNeedMore) break;
  }
  ASSERT_EQ(s, State::kComplete);
  EXPECT_EQ(p.status(), 201);
  EXPECT_EQ(p.reason(), "Created");
  EXPECT_EQ(p.body(), "hello");
  ASSERT_EQ(p.headers().size(), 2u);
  EXPECT_EQ(p.headers()[1].name, "X-A");
  EXPECT_TRUE(p.keepAlive());
}

TEST(UpstreamResponse, ChunkedAndInterimResponses) {
  UpstreamResponseParser p(false, 1024);
  EXPECT_EQ(p.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
            State::kComplete);
  EXPECT_EQ(p.status(), 200);
  EXPECT_EQ(p.body(), "abc");
}

TEST(UpstreamResponse, CloseDelimitedEndsAtEof) {
  UpstreamResponseParser p(false, 1024);
  EXPECT_EQ(p.feed("HTTP/1.0 200 OK\r\n\r\nall of it"), State::kNeedMore);
  EXPECT_EQ(p.finish(), State::kComplete);
  EXPECT_EQ(p.body(), "all of it");
  EXPECT_FALSE(p.keepAlive());
}

TEST(UpstreamResponse, HeadResponseHasNoBody) {
  UpstreamResponseParser p(true, 1024);
  EXPECT_EQ(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"), State::kComplete);
  EXPECT_EQ(p.body(), "");
}

TEST(UpstreamResponse, ErrorsAreReportedNotThrown) {
  UpstreamResponseParser garbage(false, 1024);
  EXPECT_EQ(garbage.feed("NOT HTTP\r\n\r\n"), State::kError);
  EXPECT_FALSE(garbage.error().empty());
  UpstreamResponseParser big(false, 4);
  EXPECT_EQ(big.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"), State::kError);
  UpstreamResponseParser cut(false, 1024);
  EXPECT_EQ(cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01"), State::kNeedMore);
  EXPECT_TRUE(cut.started());
  EXPECT_EQ(cut.finish(), State::kError);
  UpstreamResponseParser nothing(false, 1024);
  EXPECT_FALSE(nothing.started());
  EXPECT_EQ(nothing.finish(), State::kError);
}

}  // namespace
}  // namespace ctplab::live
