// Table-driven request-side behaviour: exact events, bytes written, close decision and counters.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "http1/codec_harness.h"

namespace ctplab::proxy::http1 {
namespace {

using testing::Harness;
using testing::okResponse;
using Stats = std::map<std::string, uint64_t>;

struct Case {
  std::string name;
  CodecOptions options;
  std::string input;
  std::vector<std::string> events;
  std::string output;
  bool closes = false;
  Stats stats;
};

std::string reply(int status, std::string_view reason) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\ncontent-length: " + std::to_string(reason.size()) +
         "\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n" + std::string(reason);
}

Stats base(Stats extra = {}) {
  Stats s{{"downstream_cx_http1_total", 1}, {"downstream_rq_http1_total", 1}};
  for (auto& [k, v] : extra) s[k] = v;
  return s;
}

Stats protocolError(Stats extra = {}) {
  extra.emplace("downstream_cx_protocol_error", 1);
  return base(std::move(extra));
}

std::vector<Case> basicCases() {
  return {
      {"GetKeepsHeaderOrderAndCase",
       {},
       "GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nX-Mixed-Case: v1\r\nx-mixed-case: v2\r\n"
       "Accept:  */*  \r\n\r\n",
       {"head #1 GET /a?b=1 HTTP/1.1 keep-alive no-body [Host: example.com] [X-Mixed-Case: v1] "
        "[x-mixed-case: v2] [Accept: */*]",
        "complete #1"},
       okResponse(),
       false,
       base()},
      {"ConnectionCloseEndsTheConnection",
       {},
       "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n",
       {"head #1 GET / HTTP/1.1 close no-body [Connection: close]", "complete #1"},
       okResponse(true),
       true,
       base()},
      {"ContentLengthBody",
       {},
       "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
       {"head #1 POST /p HTTP/1.1 keep-alive length=5 [Content-Length: 5]", "body #1 \"hello\"",
        "complete #1"},
       okResponse(),
       false,
       base()},
      {"ChunkedBodyDropsTrailersByDefault",
       {},
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n"
       "X-Trailer: t\r\n\r\n",
       {"head #1 POST / HTTP/1.1 keep-alive chunked [Transfer-Encoding: chunked]",
        "body #1 \"abcde\"", "complete #1"},
       okResponse(),
       false,
       base()},
      {"ChunkedTrailersKeptWhenEnabled",
       {.enable_trailers = true},
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n",
       {"head #1 POST / HTTP/1.1 keep-alive chunked [Transfer-Encoding: chunked]",
        "body #1 \"abc\"", "complete #1 trailers [X-Trailer: t]"},
       okResponse(),
       false,
       base()},
      {"ZeroContentLengthHasNoBodyEvent",
       {},
       "PUT /z HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
       {"head #1 PUT /z HTTP/1.1 keep-alive length=0 [Content-Length: 0]", "complete #1"},
       okResponse(),
       false,
       base()},
  };
}

std::vector<Case> versionCases() {
  return {
      {"Http10RejectedWith426",
       {},
       "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
       {"error #1 426 low_version replied"},
       reply(426, "Upgrade Required"),
       true,
       protocolError()},
      {"Http20RejectedWith426",
       {.accept_http10 = true},
       "GET / HTTP/2.0\r\n\r\n",
       {"error #1 426 low_version replied"},
       reply(426, "Upgrade Required"),
       true,
       protocolError()},
      {"Http10AcceptedClosesByDefault",
       {.accept_http10 = true},
       "GET / HTTP/1.0\r\n\r\n",
       {"head #1 GET / HTTP/1.0 close no-body", "complete #1"},
       okResponse(true),
       true,
       base()},
      {"Http10KeepAliveIsAnswered",
       {.accept_http10 = true},
       "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
       {"head #1 GET / HTTP/1.0 keep-alive no-body [Connection: keep-alive]", "complete #1"},
       "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok",
       false,
       base()},
      {"Http10DefaultHostAddedWhenMissing",
       {.accept_http10 = true, .http10_default_host = "www.example.com"},
       "GET / HTTP/1.0\r\n\r\n",
       {"head #1 GET / HTTP/1.0 close no-body [host: www.example.com]", "complete #1"},
       okResponse(true),
       true,
       base()},
      {"Http10DefaultHostKeepsClientHost",
       {.accept_http10 = true, .http10_default_host = "www.example.com"},
       "GET / HTTP/1.0\r\nHost: mine\r\n\r\n",
       {"head #1 GET / HTTP/1.0 close no-body [Host: mine]", "complete #1"},
       okResponse(true),
       true,
       base()},
  };
}

std::vector<Case> underscoreCases() {
  const std::string input = "GET / HTTP/1.1\r\nX_Foo: 1\r\nHost: a\r\n\r\n";
  return {
      {"UnderscoreRejectedByDefault",
       {},
       input,
       {"error #1 400 http1.unexpected_underscore replied"},
       reply(400, "Bad Request"),
       true,
       protocolError({{"http1.requests_rejected_with_underscores_in_headers", 1}})},
      {"UnderscoreDropped",
       {.headers_with_underscores_action = HeadersWithUnderscoresAction::kDropHeader},
       input,
       {"head #1 GET / HTTP/1.1 keep-alive no-body [Host: a]", "complete #1"},
       okResponse(),
       false,
       base({{"http1.dropped_headers_with_underscores", 1}})},
      {"UnderscoreAllowed",
       {.headers_with_underscores_action = HeadersWithUnderscoresAction::kAllow},
       input,
       {"head #1 GET / HTTP/1.1 keep-alive no-body [X_Foo: 1] [Host: a]", "complete #1"},
       okResponse(),
       false,
       base()},
      {"UnderscoreInTrailerDroppedToo",
       {.headers_with_underscores_action = HeadersWithUnderscoresAction::kDropHeader,
        .enable_trailers = true},
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT_x: 1\r\nT: 2\r\n\r\n",
       {"head #1 POST / HTTP/1.1 keep-alive chunked [Transfer-Encoding: chunked]",
        "complete #1 trailers [T: 2]"},
       okResponse(),
       false,
       base({{"http1.dropped_headers_with_underscores", 1}})},
  };
}

std::vector<Case> limitCases() {
  // Limit 1 KiB = target + names + values. "/" + "X" + 1022 bytes is exactly at the limit.
  const std::string at_limit = "GET / HTTP/1.1\r\nX: " + std::string(1022, 'v') + "\r\n\r\n";
  const std::string over = "GET / HTTP/1.1\r\nX: " + std::string(1023, 'v') + "\r\n\r\n";
  const std::string long_url = "GET /" + std::string(1024, 'u') + " HTTP/1.1\r\n\r\n";
  return {
      {"HeadersAtLimitAccepted",
       {.max_request_headers_kb = 1},
       at_limit,
       {"head #1 GET / HTTP/1.1 keep-alive no-body [X: " + std::string(1022, 'v') + "]",
        "complete #1"},
       okResponse(),
       false,
       base()},
      {"HeadersOverLimitGet431",
       {.max_request_headers_kb = 1},
       over,
       {"error #1 431 http1.headers_too_large replied"},
       reply(431, "Request Header Fields Too Large"),
       true,
       protocolError()},
      {"LongTargetCountsTowardsTheLimit",
       {.max_request_headers_kb = 1},
       long_url,
       {"error #1 431 http1.headers_too_large replied"},
       reply(431, "Request Header Fields Too Large"),
       true,
       protocolError()},
      {"TooManyHeadersGet431",
       {.max_request_headers_count = 2},
       "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
       {"error #1 431 http1.too_many_headers replied"},
       reply(431, "Request Header Fields Too Large"),
       true,
       protocolError()},
      {"BodyOverConfiguredLimitGets413",
       {.max_request_body_bytes = 4},
       "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
       {"head #1 POST / HTTP/1.1 keep-alive length=5 [Content-Length: 5]", "body #1 \"hell\"",
        "error #1 413 request_payload_too_large replied"},
       reply(413, "Payload Too Large"),
       true,
       base({{"downstream_rq_too_large", 1}})},
      {"BodyAtConfiguredLimitPasses",
       {.max_request_body_bytes = 5},
       "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
       {"head #1 POST / HTTP/1.1 keep-alive length=5 [Content-Length: 5]", "body #1 \"hello\"",
        "complete #1"},
       okResponse(),
       false,
       base()},
  };
}

Case malformed(std::string name, std::string input,
               std::string_view details = "http1.codec_error") {
  return {std::move(name),
          {},
          std::move(input),
          {"error #1 400 " + std::string(details) + " replied"},
          reply(400, "Bad Request"),
          true,
          protocolError()};
}

std::vector<Case> malformedCases() {
  return {
      malformed("UnknownMethod", "BOGUS / HTTP/1.1\r\n\r\n"),
      malformed("SpaceInHeaderName", "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"),
      malformed("EmptyHeaderName", "GET / HTTP/1.1\r\n: v\r\n\r\n", "http1.invalid_characters"),
      malformed("RawUtf8InTarget", "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n"),
      malformed("ObsoleteLineFolding", "GET / HTTP/1.1\r\nX: a\r\n b\r\nHost: h\r\n\r\n"),
      malformed("ContentLengthWithChunked",
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
      malformed("DuplicateContentLength",
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
      malformed("NonChunkedTransferEncoding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
                "http1.invalid_transfer_encoding"),
      malformed("BareLineFeeds", "GET / HTTP/1.1\nHost: a\n\n"),
      malformed("BinaryGarbage", std::string("\x16\x03\x01\x02\x00\x01\x00", 7)),
      malformed("NulInHeaderValue", std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27)),
      malformed("UnknownVersionText", "GET / HTTP/1.7\r\n\r\n"),
  };
}

std::vector<Case> bodyErrorCases() {
  // The head is already out when the body turns bad: the error follows it.
  return {
      {"BadChunkSizeAfterHead",
       {},
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n",
       {"head #1 POST / HTTP/1.1 keep-alive chunked [Transfer-Encoding: chunked]",
        "body #1 \"abc\"", "error #1 400 http1.codec_error replied"},
       reply(400, "Bad Request"),
       true,
       protocolError()},
      {"ChunkWithoutCrlf",
       {},
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
       {"head #1 POST / HTTP/1.1 keep-alive chunked [Transfer-Encoding: chunked]",
        "body #1 \"abc\"", "error #1 400 http1.codec_error replied"},
       reply(400, "Bad Request"),
       true,
       protocolError()},
  };
}

std::vector<Case> upgradeCases() {
  return {
      {"WebsocketUpgradeBecomesATunnel",
       {},
       "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nRAW",
       {"head #1 GET /ws HTTP/1.1 keep-alive tunnel=websocket [Host: a] [Connection: Upgrade] "
        "[Upgrade: websocket]",
        "body #1 \"RAW\""},
       "",
       false,
       base({{"downstream_cx_upgrades_total", 1}})},
      {"H2cUpgradeIsStripped",
       {},
       "GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
       "HTTP2-Settings: AAMAAABkAAQAAP\r\nHost: a\r\n\r\n",
       {"head #1 GET / HTTP/1.1 keep-alive no-body [Host: a]", "complete #1"},
       okResponse(),
       false,
       base()},
      {"IgnoredUpgradeTypeIsStripped",
       {.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kPrefix, "TLS/"}}},
       "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: TLS/1.2\r\n\r\n",
       {"head #1 GET / HTTP/1.1 keep-alive no-body [Connection: keep-alive]", "complete #1"},
       okResponse(),
       false,
       base()},
      {"IgnoredUpgradeRegex",
       {.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kRegex, "foo/[0-9]+"}}},
       "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: foo/12\r\n\r\n",
       {"head #1 GET / HTTP/1.1 keep-alive no-body", "complete #1"},
       okResponse(),
       false,
       base()},
      {"UnknownUpgradeGets403",
       {.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kPrefix, "TLS/"}}},
       "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: spdy/3\r\n\r\n",
       {"error #1 403 upgrade_failed replied"},
       reply(403, "Forbidden"),
       true,
       base({{"downstream_rq_ws_on_non_ws_route", 1}})},
      {"UpgradeWithoutConnectionTokenIsPlainHttp",
       {},
       "GET / HTTP/1.1\r\nUpgrade: spdy/3\r\n\r\n",
       {"head #1 GET / HTTP/1.1 keep-alive no-body [Upgrade: spdy/3]", "complete #1"},
       okResponse(),
       false,
       base()},
      {"ConnectRejectedByDefault",
       {},
       "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
       {"error #1 403 upgrade_failed replied"},
       reply(403, "Forbidden"),
       true,
       base({{"downstream_rq_ws_on_non_ws_route", 1}})},
      {"ConnectTunnelsWhenAllowed",
       {.allowed_upgrade_types = {"websocket", "CONNECT"}},
       "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03",
       {"head #1 CONNECT example.com:443 HTTP/1.1 keep-alive tunnel=CONNECT "
        "[Host: example.com:443]",
        "body #1 \"\\x16\\x03\""},
       "",
       false,
       base({{"downstream_cx_upgrades_total", 1}})},
  };
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Http1RequestEvents : public ::testing::TestWithParam<Case> {};

TEST_P(Http1RequestEvents, ExactEventsOutputAndCounters) {
  const Case& c = GetParam();
  Harness h(c.options);
  h.feed(c.input);
  EXPECT_EQ(h.lines(), c.events);
  EXPECT_EQ(h.output(), c.output);
  EXPECT_EQ(h.codec().shouldClose(), c.closes);
  EXPECT_EQ(h.stats(), c.stats);
}

TEST_P(Http1RequestEvents, ByteByByteGivesTheSameResult) {
  const Case& c = GetParam();
  Harness h(c.options);
  h.feed(c.input, 1);
  EXPECT_EQ(h.lines(), c.events);
  EXPECT_EQ(h.output(), c.output);
  EXPECT_EQ(h.codec().shouldClose(), c.closes);
  EXPECT_EQ(h.stats(), c.stats);
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Basic, Http1RequestEvents, ::testing::ValuesIn(basicCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Version, Http1RequestEvents, ::testing::ValuesIn(versionCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Underscores, Http1RequestEvents, ::testing::ValuesIn(underscoreCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Limits, Http1RequestEvents, ::testing::ValuesIn(limitCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Malformed, Http1RequestEvents, ::testing::ValuesIn(malformedCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(BodyErrors, Http1RequestEvents, ::testing::ValuesIn(bodyErrorCases()),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Upgrade, Http1RequestEvents, ::testing::ValuesIn(upgradeCases()),
                         caseName);

}  // namespace
}  // namespace ctplab::proxy::http1
