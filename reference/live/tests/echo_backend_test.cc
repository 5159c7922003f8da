#include "ctplab/live/echo_backend.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::live {
namespace {

proxy::http1::RequestHead request(std::string target, proxy::http1::HeaderList headers) {
  proxy::http1::RequestHead h;
  h.method = "GET";
  h.target = std::move(target);
  h.headers = std::move(headers);
  return h;
}

EchoRequest echoOf(const proxy::http1::RequestHead& head) {
  return {&head,
          "httproute/default/web/rule/0/match/-1/www_example_com",
          "default/gw/http",
          "203.0.113.7",
          "127.0.0.1",
          ""};
}

const proxy::http1::Header* find(const proxy::http1::HeaderList& h, std::string_view name) {
  return proxy::http1::findHeader(h, name);
}

TEST(EchoBackend, JsonDescribesTheForwardedRequest) {
  const auto head = request("/a?b=1", {{"host", "www.example.com"},
                                       {"x-forwarded-for", "203.0.113.7"},
                                       {"X-Request-Id", "abc"},
                                       {"accept", "*/*"},
                                       {"Accept", "text/plain"}});
  const EchoReply r = echoRespond(echoOf(head));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.delay, Duration());
  ASSERT_NE(find(r.headers, "content-type"), nullptr);
  EXPECT_EQ(find(r.headers, "content-type")->value, "application/json");
  EXPECT_EQ(r.body,
            "{\n"
            " \"path\": \"/a?b=1\",\n"
            " \"host\": \"www.example.com\",\n"
            " \"method\": \"GET\",\n"
            " \"proto\": \"HTTP/1.1\",\n"
            " \"headers\": {\n"
            "  \"Accept\": [\n"
            "   \"*/*\",\n"
            "   \"text/plain\"\n"
            "  ],\n"
            "  \"X-Forwarded-For\": [\n"
            "   \"203.0.113.7\"\n"
            "  ],\n"
            "  \"X-Request-Id\": [\n"
            "   \"abc\"\n"
            "  ]\n"
            " },\n"
            " \"namespace\": \"default\",\n"
            " \"ingress\": \"\",\n"
            " \"service\": \"\",\n"
            " \"pod\": \"\",\n"
            " \"sni\": \"\",\n"
            " \"ctplab\": {\n"
            "  \"clientAddress\": \"203.0.113.7\",\n"
            "  \"peerAddress\": \"127.0.0.1\",\n"
            "  \"listener\": \"default/gw/http\",\n"
            "  \"route\": \"httproute/default/web/rule/0/match/-1/www_example_com\"\n"
            " }\n"
            "}");
}

// Few fields are sorted in place, many with the library's stable sort: both keep the values of
// one name in arrival order.
TEST(EchoBackend, HeadersSortByCanonicalNameKeepingArrivalOrder) {
  for (const int count : {6, 40}) {
    proxy::http1::HeaderList headers;
    for (int i = count - 1; i >= 0; --i) {
      const std::string name = "x-f-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
      headers.push_back({name, "first"});
      if (i == 3) headers.push_back({"X-F-03", "second"});
    }
    const std::string body = echoRespond(echoOf(request("/", headers))).body;
    size_t last = 0;
    for (int i = 0; i < count; ++i) {
      const std::string key =
          "\"X-F-" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "\": [";
      const size_t at = body.find(key);
      ASSERT_NE(at, std::string::npos) << key;
      EXPECT_GT(at, last) << key;
      last = at;
    }
    EXPECT_NE(body.find("\"X-F-03\": [\n   \"first\",\n   \"second\"\n  ]"), std::string::npos)
        << count;
  }
}

TEST(EchoBackend, StatusHealthAndDelay) {
  auto head = request("/status/503", {});
  EXPECT_EQ(echoRespond(echoOf(head)).status, 503);
  EXPECT_EQ(echoRespond(echoOf(head)).body, "");
  head.target = "/status/42";
  EXPECT_EQ(echoRespond(echoOf(head)).status, 400);
  head.target = "/status/999";
  EXPECT_EQ(echoRespond(echoOf(head)).status, 400);
  head.target = "/health";
  EXPECT_EQ(echoRespond(echoOf(head)).body, "OK");
  head.target = "/?delay=250ms";
  EXPECT_EQ(echoRespond(echoOf(head)).delay, Duration::milliseconds(250));
  head.target = "/?delay=2h";
  EXPECT_EQ(echoRespond(echoOf(head)).delay, Duration::seconds(60));  // capped
  head.target = "/?delay=soon";
  const EchoReply bad = echoRespond(echoOf(head));
  EXPECT_EQ(bad.status, 500);
  EXPECT_NE(bad.body.find("invalid duration"), std::string::npos);
}

TEST(EchoBackend, EchoSetHeaderAddsValidResponseHeaders) {
  const auto head =
      request("/", {{"X-Echo-Set-Header", "X-Foo: 1, X-Foo: 2, bad name: x, X-Bar: y"}});
  const EchoReply r = echoRespond(echoOf(head));
  ASSERT_NE(find(r.headers, "X-Foo"), nullptr);
  EXPECT_EQ(find(r.headers, "X-Foo")->value, "1,2");
  EXPECT_EQ(find(r.headers, "X-Bar")->value, "y");
  EXPECT_EQ(find(r.headers, "bad name"), nullptr);
}

TEST(EchoBackend, CanonicalKeysAndJsonEscapes) {
  EXPECT_EQ(canonicalHeaderKey("x-forwarded-FOR"), "X-Forwarded-For");
  EXPECT_EQ(canonicalHeaderKey("bad name"), "bad name");
  EXPECT_EQ(jsonString("a\"b\\c\n\x01<"), "\"a\\\"b\\\\c\\n\\u0001\\u003c\"");
  EXPECT_EQ(jsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(jsonString("bad\xff"), "\"bad\\ufffd\"");
  EXPECT_EQ(jsonString("\xe0\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // overlong
  EXPECT_EQ(jsonString("a&b>c"), "\"a\\u0026b\\u003ec\"");
  // Line and paragraph separators end lines in JavaScript: Go escapes them, other 3-byte
  // sequences stay as they are.
  EXPECT_EQ(jsonString("a\xe2\x80\xa8"
                       "b\xe2\x80\xa9"
                       "c\xe2\x80\xaa"),
            "\"a\\u2028b\\u2029c\xe2\x80\xaa\"");
  EXPECT_EQ(jsonString(""), "\"\"");
  // Long runs are scanned eight bytes at a time: escapes anywhere in or after such a block.
  EXPECT_EQ(jsonString("abcdefgh<ijklmnopq\"rstuvwxyz012345\x1f"
                       "6789abcdefgh&ijklmnop\xc3\xa9qrstuvwxyz\x7f"),
            "\"abcdefgh\\u003cijklmnopq\\\"rstuvwxyz012345\\u001f"
            "6789abcdefgh\\u0026ijklmnop\xc3\xa9qrstuvwxyz\x7f\"");
  EXPECT_EQ(jsonString("0123456789abcdef>"), "\"0123456789abcdef\\u003e\"");
  EXPECT_EQ(jsonString("0123456789abcde<"), "\"0123456789abcde\\u003c\"");
  EXPECT_EQ(jsonString("0123456789abcdefghijklmnopqrs\x7f"),
            "\"0123456789abcdefghijklmnopqrs\x7f\"");
  EXPECT_EQ(canonicalHeaderKey("content-MD5"), "Content-Md5");
}

}  // namespace
}  // namespace ctplab::live
