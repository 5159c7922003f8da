// CodecConfig validation and the mapping from the policy engine's IR listener.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/config_from_ir.h"

namespace ctplab::proxy::http1 {
namespace {

struct InvalidCase {
  std::string name;
  CodecOptions options;
  std::string error;
};

std::vector<InvalidCase> invalidCases() {
  return {
      {"HeadersKbZero",
       {.max_request_headers_kb = 0},
       "max_request_headers_kb 0 is outside 1..8192"},
      {"HeadersKbTooLarge",
       {.max_request_headers_kb = 8193},
       "max_request_headers_kb 8193 is outside 1..8192"},
      {"HeaderCountZero",
       {.max_request_headers_count = 0},
       "max_request_headers_count must be at least 1"},
      {"WindowZero", {.read_window_bytes = 0}, "read_window_bytes 0 is outside 1..67108864"},
      {"EmptyDefaultHost",
       {.accept_http10 = true, .http10_default_host = ""},
       "http10_default_host is empty"},
      {"EmptyUpgradeMatcher",
       {.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kExact, ""}}},
       "ignoredUpgradeTypes: a matcher has an empty value"},
      {"EmptyAllowedUpgrade",
       {.allowed_upgrade_types = {""}},
       "allowed_upgrade_types holds an empty or invalid type"},
  };
}

TEST(Http1CodecConfig, InvalidOptionsReturnErrors) {
  for (const InvalidCase& c : invalidCases()) {
    auto config = CodecConfig::create(c.options);
    ASSERT_FALSE(config.ok()) << c.name;
    EXPECT_EQ(config.error().message, c.error) << c.name;
  }
}

TEST(Http1CodecConfig, BadRegexIsAnError) {
  CodecOptions o;
  o.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kRegex, "(unclosed"}};
  auto config = CodecConfig::create(o);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.rfind("ignoredUpgradeTypes: invalid regex \"(unclosed\"", 0),
            0u);
}

TEST(Http1CodecConfig, DefaultsMatchAListenerWithoutPolicy) {
  auto config = CodecConfig::create({});
  ASSERT_TRUE(config.ok());
  const CodecOptions& o = config.value()->options();
  EXPECT_EQ(config.value()->maxRequestHeadersBytes(), 60u * 1024);
  EXPECT_EQ(o.headers_with_underscores_action, HeadersWithUnderscoresAction::kRejectRequest);
  EXPECT_FALSE(o.accept_http10);
  EXPECT_EQ(o.read_window_bytes, 32768u);
  EXPECT_TRUE(config.value()->allowsUpgrade("WebSocket"));
  EXPECT_FALSE(config.value()->allowsUpgrade("CONNECT"));
}

TEST(Http1CodecConfig, UpgradeMatcherKinds) {
  CodecOptions o;
  o.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kExact, "a/1"},
                             {UpgradeTypeMatch::Kind::kPrefix, "TLS/"},
                             {UpgradeTypeMatch::Kind::kSuffix, "-legacy"},
                             {UpgradeTypeMatch::Kind::kRegex, "x[0-9]+"}};
  auto config = CodecConfig::create(o);
  ASSERT_TRUE(config.ok());
  const CodecConfig& c = *config.value();
  EXPECT_TRUE(c.ignoresUpgrade("a/1"));
  EXPECT_FALSE(c.ignoresUpgrade("A/1"));  // StringMatch is case-sensitive by default
  EXPECT_TRUE(c.ignoresUpgrade("TLS/1.2"));
  EXPECT_TRUE(c.ignoresUpgrade("proto-legacy"));
  EXPECT_TRUE(c.ignoresUpgrade("x42"));
  EXPECT_FALSE(c.ignoresUpgrade("x42y"));                       // regexes match the whole value
  EXPECT_FALSE(c.ignoresUpgrade("x" + std::string(300, '1')));  // over the regex input cap
  EXPECT_FALSE(c.ignoresUpgrade("websocket"));
}

policy::ir::Listener httpListener() {
  policy::ir::Listener l;
  l.name = "envoy-gateway/gw/http";
  l.protocol = "HTTP";
  return l;
}

TEST(Http1ConfigFromIr, NoPolicyGivesDefaults) {
  auto options = codecOptionsFromListener(httpListener());
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options.value().max_request_headers_kb, 60u);
  EXPECT_EQ(options.value().headers_with_underscores_action,
            HeadersWithUnderscoresAction::kRejectRequest);
  EXPECT_FALSE(options.value().accept_http10);
  EXPECT_TRUE(CodecConfig::create(options.value()).ok());
}

TEST(Http1ConfigFromIr, PolicySettingsCarryOver) {
  policy::ir::Listener l = httpListener();
  l.headers.emplace();
  l.headers->with_underscores_action = "DropHeader";
  l.headers->max_request_headers_kb = 8;
  l.http1.emplace();
  l.http1->enable_trailers = true;
  l.http1->preserve_header_case = true;
  l.http1->has_http10 = true;
  l.http1->http10_default_host = "www.example.com";
  policy::ir::StringMatch prefix;
  prefix.prefix = "TLS/";
  policy::ir::StringMatch regex;
  regex.safe_regex = "foo.*";
  l.http1->ignored_upgrade_types = {prefix, regex};
  l.connection.emplace();
  l.connection->buffer_limit_bytes = 1024;
  auto options = codecOptionsFromListener(l);
  ASSERT_TRUE(options.ok());
  const CodecOptions& o = options.value();
  EXPECT_EQ(o.headers_with_underscores_action, HeadersWithUnderscoresAction::kDropHeader);
  EXPECT_EQ(o.max_request_headers_kb, 8u);
  EXPECT_TRUE(o.enable_trailers);
  EXPECT_TRUE(o.preserve_header_case);
  EXPECT_TRUE(o.accept_http10);
  EXPECT_EQ(o.http10_default_host, "www.example.com");
  ASSERT_EQ(o.ignored_upgrade_types.size(), 2u);
  EXPECT_EQ(o.ignored_upgrade_types[0].kind, UpgradeTypeMatch::Kind::kPrefix);
  EXPECT_EQ(o.ignored_upgrade_types[1].kind, UpgradeTypeMatch::Kind::kRegex);
  EXPECT_EQ(o.read_window_bytes, 1024u);
  EXPECT_TRUE(CodecConfig::create(o).ok());
}

TEST(Http1ConfigFromIr, UnlimitedBufferMapsToTheLargestWindow) {
  policy::ir::Listener l = httpListener();
  l.connection.emplace();
  l.connection->buffer_limit_bytes = 0;
  EXPECT_EQ(codecOptionsFromListener(l).value().read_window_bytes, kMaxReadWindowBytes);
  l.connection->buffer_limit_bytes = 4294967295u;
  EXPECT_EQ(codecOptionsFromListener(l).value().read_window_bytes, kMaxReadWindowBytes);
}

TEST(Http1ConfigFromIr, Errors) {
  policy::ir::Listener tcp = httpListener();
  tcp.protocol = "TCP";
  auto a = codecOptionsFromListener(tcp);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message,
            "listener envoy-gateway/gw/http has protocol TCP; only HTTP and HTTPS listeners have "
            "an HTTP/1 codec");
  policy::ir::Listener bad = httpListener();
  bad.headers.emplace();
  bad.headers->with_underscores_action = "Sometimes";
  auto b = codecOptionsFromListener(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "unknown withUnderscoresAction \"Sometimes\"");
  policy::ir::Listener empty_match = httpListener();
  empty_match.http1.emplace();
  empty_match.http1->ignored_upgrade_types.emplace_back();
  EXPECT_FALSE(codecOptionsFromListener(empty_match).ok());
}

}  // namespace
}  // namespace ctplab::proxy::http1
