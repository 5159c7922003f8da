// Http2Options from the IR: defaults without a policy, the CTP http2 and header settings, and
// the ranges the translator guarantees checked again.
#include <gtest/gtest.h>

#include "ctplab/proxy/http2/http2_options.h"

namespace ctplab::proxy::http2 {
namespace {

policy::ir::Listener httpListener() {
  policy::ir::Listener l;
  l.name = "default/gw/http";
  l.protocol = "HTTP";
  return l;
}

TEST(Http2Options, DefaultsWithoutPolicy) {
  auto o = http2OptionsFromListener(httpListener());
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o.value().max_concurrent_streams, 100u);
  EXPECT_EQ(o.value().initial_stream_window_size, 65536u);
  EXPECT_EQ(o.value().initial_connection_window_size, 1048576u);
  EXPECT_FALSE(o.value().terminate_stream_on_invalid);
  EXPECT_EQ(o.value().max_request_headers_kb, 60u);
  EXPECT_EQ(o.value().max_request_headers_count, 100u);
  EXPECT_EQ(o.value().headers_with_underscores_action,
            http1::HeadersWithUnderscoresAction::kRejectRequest);
  EXPECT_FALSE(o.value().keepalive_interval);
  EXPECT_FALSE(o.value().max_request_body_bytes);
}

TEST(Http2Options, ReadsPolicySettings) {
  auto l = httpListener();
  l.http2.emplace();
  l.http2->initial_stream_window_size = 131072;
  l.http2->initial_connection_window_size = 2097152;
  l.http2->max_concurrent_streams = 10;
  l.http2->reset_stream_on_error = true;
  l.http2->connection_keepalive.emplace();
  l.http2->connection_keepalive->interval = Duration::seconds(30);
  l.http2->connection_keepalive->timeout = Duration::seconds(5);
  l.http2->connection_keepalive->interval_jitter = 20;
  l.headers.emplace();
  l.headers->with_underscores_action = "DropHeader";
  l.headers->max_request_headers_kb = 8;
  auto o = http2OptionsFromListener(l);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o.value().initial_stream_window_size, 131072u);
  EXPECT_EQ(o.value().initial_connection_window_size, 2097152u);
  EXPECT_EQ(o.value().max_concurrent_streams, 10u);
  EXPECT_TRUE(o.value().terminate_stream_on_invalid);
  EXPECT_EQ(o.value().keepalive_interval, Duration::seconds(30));
  EXPECT_EQ(o.value().keepalive_timeout, Duration::seconds(5));
  EXPECT_EQ(o.value().keepalive_jitter_percent, 20u);
  EXPECT_EQ(o.value().headers_with_underscores_action,
            http1::HeadersWithUnderscoresAction::kDropHeader);
  EXPECT_EQ(o.value().max_request_headers_kb, 8u);
}

TEST(Http2Options, RejectsOutOfRangeValues) {
  auto l = httpListener();
  l.http2.emplace();
  l.http2->initial_stream_window_size = 1000;
  EXPECT_FALSE(http2OptionsFromListener(l).ok());

  l.http2->initial_stream_window_size.reset();
  l.http2->max_concurrent_streams = 0;
  EXPECT_FALSE(http2OptionsFromListener(l).ok());

  l.http2->max_concurrent_streams.reset();
  l.http2->connection_keepalive.emplace();
  l.http2->connection_keepalive->interval = Duration::seconds(5);
  l.http2->connection_keepalive->timeout = Duration::seconds(5);
  auto e = http2OptionsFromListener(l);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("less than"), std::string::npos);

  l.http2->connection_keepalive->timeout = Duration::seconds(1);
  l.http2->connection_keepalive->interval_jitter = 101;
  EXPECT_FALSE(http2OptionsFromListener(l).ok());
}

TEST(Http2Options, RejectsNonHttpListenersAndUnknownActions) {
  auto tcp = httpListener();
  tcp.protocol = "TCP";
  EXPECT_FALSE(http2OptionsFromListener(tcp).ok());

  auto l = httpListener();
  l.headers.emplace();
  l.headers->with_underscores_action = "Whatever";
  EXPECT_FALSE(http2OptionsFromListener(l).ok());
}

}  // namespace
}  // namespace ctplab::proxy::http2
