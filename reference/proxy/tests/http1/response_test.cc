// Response serialization: status line, header case, framing choice, connection management.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "http1/codec_harness.h"

namespace ctplab::proxy::http1 {
namespace {

using testing::Harness;

struct ResponseCase {
  std::string name;
  CodecOptions options;
  std::string request;
  // Encodes the response; returns the results of the calls, in order.
  std::function<std::vector<EncodeResult>(ServerCodec&)> respond;
  std::vector<EncodeResult> results;
  std::string output;
  bool closes = false;
};

void PrintTo(const ResponseCase& c, std::ostream* os) { *os << c.name; }

ResponseHead head(int status, HeaderList headers = {}) {
  ResponseHead h;
  h.status = status;
  h.headers = std::move(headers);
  return h;
}

constexpr EncodeResult kOk = EncodeResult::kOk;
const std::string kGet = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

std::vector<ResponseCase> framingCases() {
  return {
      {"CallerContentLength",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{
             c.encodeHeaders(head(200, {{"Content-Type", "text/plain"}, {"Content-Length", "5"}}),
                             false),
             c.encodeData("hello", true)};
       },
       {kOk, kOk},
       "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello"},
      {"EndStreamAtHeadersAddsZeroLength",
       {},
       kGet,
       [](ServerCodec& c) { return std::vector{c.encodeHeaders(head(404), true)}; },
       {kOk},
       "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"},
      {"UnknownLengthIsChunked",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), false), c.encodeData("abc", false),
                            c.encodeData("", false), c.encodeData("de", true)};
       },
       {kOk, kOk, kOk, kOk},
       "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"},
      {"TrailersDroppedByDefault",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), false), c.encodeData("abc", false),
                            c.encodeTrailers({{"Grpc-Status", "0"}})};
       },
       {kOk, kOk, kOk},
       "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
      {"TrailersWrittenWhenEnabled",
       {.enable_trailers = true},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), false),
                            c.encodeTrailers({{"Grpc-Status", "0"}})};
       },
       {kOk, kOk},
       "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\ngrpc-status: 0\r\n\r\n"},
      {"HeadResponseKeepsLengthDropsBody",
       {},
       "HEAD / HTTP/1.1\r\n\r\n",
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200, {{"Content-Length", "10"}}), false),
                            c.encodeData("0123456789", true)};
       },
       {kOk, kOk},
       "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n"},
      {"NoContentDropsLength",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(204, {{"Content-Length", "3"}}), true)};
       },
       {kOk},
       "HTTP/1.1 204 No Content\r\n\r\n"},
      {"NotModifiedKeepsLength",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(304, {{"Content-Length", "3"}}), true)};
       },
       {kOk},
       "HTTP/1.1 304 Not Modified\r\ncontent-length: 3\r\n\r\n"},
      {"Http10UnknownLengthIsCloseDelimited",
       {.accept_http10 = true},
       "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), false), c.encodeData("abc", true)};
       },
       {kOk, kOk},
       "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nabc",
       true},
      {"ShortBodyForcesClose",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200, {{"Content-Length", "5"}}), false),
                            c.encodeData("abc", true)};
       },
       {kOk, kOk},
       "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nabc",
       true},
      {"LongBodyRefused",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200, {{"Content-Length", "2"}}), false),
                            c.encodeData("abc", false), c.encodeData("ab", true)};
       },
       {kOk, EncodeResult::kBodyTooLong, kOk},
       "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nab"},
  };
}

std::vector<ResponseCase> headerCases() {
  const HeaderList mixed = {{"X-Custom-Header", "V"}, {"Content-Length", "0"}};
  return {
      {"NamesLowerCasedByDefault",
       {},
       kGet,
       [mixed](ServerCodec& c) { return std::vector{c.encodeHeaders(head(200, mixed), true)}; },
       {kOk},
       "HTTP/1.1 200 OK\r\nx-custom-header: V\r\ncontent-length: 0\r\n\r\n"},
      {"PreserveHeaderCase",
       {.preserve_header_case = true},
       kGet,
       [mixed](ServerCodec& c) { return std::vector{c.encodeHeaders(head(200, mixed), true)}; },
       {kOk},
       "HTTP/1.1 200 OK\r\nX-Custom-Header: V\r\ncontent-length: 0\r\n\r\n"},
      {"CallerHopByHopHeadersReplaced",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200, {{"Connection", "close"},
                                                       {"Transfer-Encoding", "chunked"},
                                                       {"Keep-Alive", "timeout=5"}}),
                                            true)};
       },
       {kOk},
       "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"},
      {"CustomReason",
       {},
       kGet,
       [](ServerCodec& c) {
         ResponseHead h = head(599);
         h.reason = "Custom Thing";
         return std::vector{c.encodeHeaders(h, true)};
       },
       {kOk},
       "HTTP/1.1 599 Custom Thing\r\ncontent-length: 0\r\n\r\n"},
      {"InvalidHeadsWriteNothing",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{
             c.encodeHeaders(head(200, {{"Bad Name", "v"}}), true),
             c.encodeHeaders(head(200, {{"X", "a\r\nInjected: 1"}}), true),
             c.encodeHeaders(head(200, {{"Content-Length", "12a"}}), true),
             c.encodeHeaders(head(200, {{"Content-Length", "1"}, {"content-length", "2"}}), true),
             c.encodeHeaders(head(99), true),
             c.encodeHeaders(head(1000), true),
             c.encodeHeaders(head(101), true),
             c.encodeHeaders(head(200), true)};
       },
       {EncodeResult::kInvalidHeader, EncodeResult::kInvalidHeader, EncodeResult::kInvalidHeader,
        EncodeResult::kInvalidHeader, EncodeResult::kInvalidHeader, EncodeResult::kInvalidHeader,
        EncodeResult::kInvalidHeader, kOk},
       "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"},
      {"InformationalBeforeFinal",
       {},
       "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(100), false), c.encodeHeaders(head(200), true)};
       },
       {kOk, kOk},
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"},
      {"SecondResponseRefused",
       {},
       kGet,
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), true), c.encodeHeaders(head(200), true),
                            c.encodeData("x", true)};
       },
       {kOk, EncodeResult::kNoRequest, EncodeResult::kNoRequest},
       "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"},
      {"NoRequestYet",
       {},
       "GET / HT",
       [](ServerCodec& c) {
         return std::vector{c.encodeHeaders(head(200), true), c.encodeData("x", true),
                            c.encodeTrailers({})};
       },
       {EncodeResult::kNoRequest, EncodeResult::kNoRequest, EncodeResult::kNoRequest},
       ""},
  };
}

class Http1ResponseEncoding : public ::testing::TestWithParam<ResponseCase> {};

TEST_P(Http1ResponseEncoding, ExactBytes) {
  const ResponseCase& c = GetParam();
  Harness h(c.options);
  h.auto_respond = false;
  h.feed(c.request);
  EXPECT_EQ(c.respond(h.codec()), c.results);
  h.pump();
  EXPECT_EQ(h.output(), c.output);
  EXPECT_EQ(h.codec().shouldClose(), c.closes);
}

std::string caseName(const ::testing::TestParamInfo<ResponseCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Framing, Http1ResponseEncoding, ::testing::ValuesIn(framingCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Headers, Http1ResponseEncoding, ::testing::ValuesIn(headerCases()),
                         caseName);

TEST(Http1Response, EarlyResponseClosesAndCounts) {
  Harness h;
  h.auto_respond = false;
  h.feed("POST /upload HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_EQ(h.codec().encodeHeaders(head(413), true), EncodeResult::kOk);
  h.pump();
  EXPECT_EQ(h.output(),
            "HTTP/1.1 413 Payload Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  EXPECT_TRUE(h.codec().shouldClose());
  EXPECT_EQ(h.stats()["downstream_rq_response_before_rq_complete"], 1u);
}

TEST(Http1Response, WebsocketTunnelBothWays) {
  Harness h;
  h.auto_respond = false;
  h.feed("GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nhello");
  EXPECT_EQ(h.codec().encodeHeaders(head(101, {{"Upgrade", "websocket"}}), false),
            EncodeResult::kOk);
  EXPECT_EQ(h.codec().encodeData("server-frame", false), EncodeResult::kOk);
  h.feed("more");
  h.peerClose();
  EXPECT_FALSE(h.codec().shouldClose());  // the server side of the tunnel is still open
  EXPECT_EQ(h.codec().encodeData("bye", true), EncodeResult::kOk);
  h.pump();
  EXPECT_EQ(h.lines(),
            (std::vector<std::string>{"head #1 GET /chat HTTP/1.1 keep-alive tunnel=websocket "
                                      "[Connection: Upgrade] [Upgrade: websocket]",
                                      "body #1 \"hellomore\"", "complete #1"}));
  EXPECT_EQ(h.output(),
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n"
            "server-framebye");
  EXPECT_TRUE(h.codec().shouldClose());
}

TEST(Http1Response, RefusedUpgradeResponseCloses) {
  Harness h;
  h.auto_respond = false;
  h.feed("GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
  EXPECT_EQ(h.codec().encodeHeaders(head(404), true), EncodeResult::kOk);
  h.pump();
  EXPECT_EQ(h.output(), "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  EXPECT_TRUE(h.codec().shouldClose());
}

}  // namespace
}  // namespace ctplab::proxy::http1
