// Header checks on requests (underscores in its three modes, size and count limits) and the
// shape of responses (lower case, no connection-specific fields, validation, HEAD, 1xx).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "http2/h2_client.h"

namespace ctplab::proxy::http2 {
namespace {

using test_support::at;
using test_support::eventsOf;
using test_support::Pair;
using Action = http1::HeadersWithUnderscoresAction;

Http2Options withUnderscores(Action action) {
  Http2Options o;
  o.headers_with_underscores_action = action;
  return o;
}

TEST(Http2Headers, UnderscoreRejectResetsTheStreamOnly) {
  Pair p(withUnderscores(Action::kRejectRequest));
  const int32_t bad = p.client.request("GET", "/", "example.com", {{"x_custom", "1"}});
  p.pump(at(1));
  const auto events = p.events();
  ASSERT_EQ(events.size(), 1u);
  const auto& error = std::get<http1::ProtocolError>(events[0]);
  EXPECT_EQ(error.request_id, static_cast<uint64_t>(bad));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.details, "http2.unexpected_underscore");
  EXPECT_FALSE(error.replied);
  EXPECT_EQ(p.client.stream(bad).reset_code, NGHTTP2_INTERNAL_ERROR);
  const std::map<std::string, uint64_t> stats = {
      {"downstream_cx_http2_total", 1},
      {"downstream_rq_http2_total", 1},
      {"downstream_rq_total", 1},
      {"http2.requests_rejected_with_underscores_in_headers", 1},
      {"http2.tx_reset", 1}};
  EXPECT_EQ(p.nonZeroStats(), stats);
  EXPECT_FALSE(p.server.shouldClose());

  const int32_t good = p.client.request("GET", "/", "example.com", {{"x-custom", "1"}});
  p.pump(at(2));
  EXPECT_EQ(eventsOf<http1::RequestHead>(p.events()).size(), 1u);
  ASSERT_EQ(p.ok(3, good), http1::EncodeResult::kOk);
  p.pump(at(3));
  EXPECT_EQ(p.client.stream(good).status(), 200);
}

TEST(Http2Headers, UnderscoreDropRemovesTheField) {
  Pair p(withUnderscores(Action::kDropHeader));
  p.client.request("GET", "/", "example.com", {{"x_a", "1"}, {"x-b", "2"}, {"x_c", "3"}});
  p.pump(at(1));
  const auto heads = eventsOf<http1::RequestHead>(p.events());
  ASSERT_EQ(heads.size(), 1u);
  const http1::HeaderList expected = {{"host", "example.com"}, {"x-b", "2"}};
  EXPECT_EQ(heads[0].headers, expected);
  EXPECT_EQ(p.h2.http2_dropped_headers_with_underscores, 2u);
  EXPECT_EQ(p.h2.http2_requests_rejected_with_underscores_in_headers, 0u);
}

TEST(Http2Headers, UnderscoreAllowKeepsTheField) {
  Pair p(withUnderscores(Action::kAllow));
  p.client.request("GET", "/", "example.com", {{"x_a", "1"}});
  p.pump(at(1));
  const auto heads = eventsOf<http1::RequestHead>(p.events());
  ASSERT_EQ(heads.size(), 1u);
  const http1::HeaderList expected = {{"host", "example.com"}, {"x_a", "1"}};
  EXPECT_EQ(heads[0].headers, expected);
  EXPECT_EQ(p.h2.http2_dropped_headers_with_underscores, 0u);
}

TEST(Http2Headers, OversizedHeadersResetTheStream) {
  Http2Options o;
  o.max_request_headers_kb = 1;
  Pair p(o);
  const int32_t big =
      p.client.request("GET", "/", "example.com", {{"x-big", std::string(1100, 'v')}});
  // Exactly at the limit passes: pseudo-headers count as name + value bytes too.
  const size_t pseudo = (7 + 3) + (7 + 4) + (5 + 1) + (10 + 11);  // method scheme path authority
  const int32_t fits =
      p.client.request("GET", "/", "example.com", {{"x-fit", std::string(1024 - pseudo - 5, 'v')}});
  p.pump(at(1));
  const auto events = p.events();
  const auto errors = eventsOf<http1::ProtocolError>(events);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].request_id, static_cast<uint64_t>(big));
  EXPECT_EQ(errors[0].status, 431);
  EXPECT_EQ(errors[0].details, "http2.too_many_headers");
  EXPECT_EQ(p.client.stream(big).reset_code, NGHTTP2_INTERNAL_ERROR);
  const auto heads = eventsOf<http1::RequestHead>(events);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].request_id, static_cast<uint64_t>(fits));
  EXPECT_EQ(p.h2.http2_header_overflow, 1u);
  EXPECT_FALSE(p.server.shouldClose());
}

TEST(Http2Headers, TooManyHeadersResetTheStream) {
  Http2Options o;
  o.max_request_headers_count = 6;  // four pseudo-headers and two fields
  Pair p(o);
  const int32_t ok = p.client.request("GET", "/", "example.com", {{"a", "1"}, {"b", "2"}});
  const int32_t over =
      p.client.request("GET", "/", "example.com", {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  p.pump(at(1));
  const auto events = p.events();
  ASSERT_EQ(eventsOf<http1::RequestHead>(events).size(), 1u);
  EXPECT_EQ(eventsOf<http1::RequestHead>(events)[0].request_id, static_cast<uint64_t>(ok));
  ASSERT_EQ(eventsOf<http1::ProtocolError>(events).size(), 1u);
  EXPECT_EQ(eventsOf<http1::ProtocolError>(events)[0].request_id, static_cast<uint64_t>(over));
  EXPECT_EQ(p.h2.http2_header_overflow, 1u);
}

TEST(Http2Headers, ResponseFieldsAreLowerCasedWithoutConnectionFields) {
  Pair p;
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  p.events();
  http1::ResponseHead head;
  head.status = 201;
  head.reason = "Ignored";
  head.headers = {{"Content-Type", "text/plain"},
                  {"Connection", "keep-alive, Upgrade"},
                  {"Keep-Alive", "timeout=5"},
                  {"Transfer-Encoding", "chunked"},
                  {"Upgrade", "h2c"},
                  {"Proxy-Connection", "x"},
                  {"X-Mixed-Case", "Value Kept"},
                  {"content-length", "4"}};
  ASSERT_EQ(p.server.respond(at(2), id, head, "body"), http1::EncodeResult::kOk);
  p.pump(at(2));
  const auto& seen = p.client.stream(id);
  EXPECT_EQ(seen.status(), 201);
  const http1::HeaderList expected = {
      {"content-type", "text/plain"}, {"x-mixed-case", "Value Kept"}, {"content-length", "4"}};
  EXPECT_EQ(seen.headers, expected);
  EXPECT_EQ(seen.body, "body");
  EXPECT_FALSE(seen.reset_code);
  EXPECT_EQ(p.hcm.downstream_rq_2xx, 1u);
}

TEST(Http2Headers, InvalidResponsesWriteNothing) {
  Pair p;
  const int32_t id = p.client.request("GET", "/", "example.com");
  p.pump(at(1));
  p.events();
  http1::ResponseHead bad_name;
  bad_name.headers = {{"bad name", "x"}};
  EXPECT_EQ(p.server.respond(at(2), id, bad_name, ""), http1::EncodeResult::kInvalidHeader);
  http1::ResponseHead bad_value;
  bad_value.headers = {{"x", "a\r\nb"}};
  EXPECT_EQ(p.server.respond(at(2), id, bad_value, ""), http1::EncodeResult::kInvalidHeader);
  http1::ResponseHead bad_status;
  bad_status.status = 99;
  EXPECT_EQ(p.server.respond(at(2), id, bad_status, ""), http1::EncodeResult::kInvalidHeader);
  http1::ResponseHead switching;
  switching.status = 101;
  EXPECT_EQ(p.server.respond(at(2), id, switching, ""), http1::EncodeResult::kInvalidHeader);
  http1::ResponseHead short_length;
  short_length.headers = {{"content-length", "2"}};
  EXPECT_EQ(p.server.respond(at(2), id, short_length, "abc"), http1::EncodeResult::kBodyTooLong);
  EXPECT_EQ(p.server.respond(at(2), 99, {}, ""), http1::EncodeResult::kNoRequest);
  EXPECT_TRUE(p.server.isOpen(id));
  EXPECT_EQ(p.hcm.downstream_rq_completed, 0u);
  ASSERT_EQ(p.ok(3, id), http1::EncodeResult::kOk);
  p.pump(at(3));
  EXPECT_EQ(p.client.stream(id).status(), 200);
}

TEST(Http2Headers, HeadAnswerKeepsLengthButSendsNoBody) {
  Pair p;
  const int32_t id = p.client.request("HEAD", "/", "example.com");
  p.pump(at(1));
  p.events();
  ASSERT_EQ(p.ok(2, id, "abc"), http1::EncodeResult::kOk);
  p.pump(at(2));
  const auto& seen = p.client.stream(id);
  EXPECT_EQ(seen.status(), 200);
  EXPECT_EQ(seen.body, "");
  EXPECT_TRUE(seen.ended);
  ASSERT_NE(http1::findHeader(seen.headers, "content-length"), nullptr);
  EXPECT_EQ(http1::findHeader(seen.headers, "content-length")->value, "3");
}

TEST(Http2Headers, InformationalThenFinal) {
  Pair p;
  const int32_t id = p.client.openRequest("POST", "/", "example.com", {{"expect", "100-continue"}});
  p.pump(at(1));
  p.events();
  http1::ResponseHead cont;
  cont.status = 100;
  ASSERT_EQ(p.server.respond(at(2), id, cont, ""), http1::EncodeResult::kOk);
  EXPECT_TRUE(p.server.isOpen(id));
  p.pump(at(2));
  p.client.sendData(id, "payload", true);
  p.pump(at(3));
  const auto events = p.events();
  ASSERT_EQ(eventsOf<http1::BodyData>(events).size(), 1u);
  ASSERT_EQ(eventsOf<http1::RequestComplete>(events).size(), 1u);
  ASSERT_EQ(p.ok(4, id, "fine"), http1::EncodeResult::kOk);
  p.pump(at(4));
  const auto& seen = p.client.stream(id);
  EXPECT_EQ(seen.statuses, (std::vector<int>{100, 200}));
  EXPECT_EQ(seen.body, "fine");
  EXPECT_EQ(p.hcm.downstream_rq_1xx, 0u);  // informational heads are not responses
  EXPECT_EQ(p.hcm.downstream_rq_2xx, 1u);
}

TEST(Http2Headers, HealthCheckAnswersAreNotCounted) {
  Pair p;
  const int32_t id = p.client.request("GET", "/healthz", "example.com");
  p.pump(at(1));
  p.events();
  ASSERT_EQ(p.server.respond(at(2), id, {}, "", false), http1::EncodeResult::kOk);
  p.pump(at(2));
  EXPECT_EQ(p.client.stream(id).status(), 200);
  EXPECT_EQ(p.hcm.downstream_rq_2xx, 0u);
  EXPECT_EQ(p.hcm.downstream_rq_completed, 0u);
}

}  // namespace
}  // namespace ctplab::proxy::http2
