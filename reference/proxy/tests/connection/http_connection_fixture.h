// Test fixture for HttpConnection: a connection opened at t=0 with its stats, plus helpers that
// read the peer-visible output and answer requests, all on explicit millisecond times.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "ctplab/proxy/connection/http_connection.h"

namespace ctplab::proxy::connection::test_support {

inline TimePoint at(int64_t ms) { return TimePoint::fromUnixNanos(ms * 1'000'000); }

inline constexpr std::string_view kGet = "GET / HTTP/1.1\r\nhost: a\r\n\r\n";

class Fixture {
 public:
  explicit Fixture(HttpConnectionSettings settings,
                   connection_limit::CounterGroup::Decision admission = {},
                   http1::CodecOptions options = {}) {
    auto config = http1::CodecConfig::create(options);
    conn_ = std::make_unique<HttpConnection>(at(0), admission, std::move(config).value(),
                                             codec_stats_, stats_, settings, &listener_stats_);
  }
  HttpConnection& conn() { return *conn_; }
  HttpConnectionStats& stats() { return stats_; }
  ListenerConnectionStats& listenerStats() { return listener_stats_; }
  // Everything written to the peer so far.
  std::string drain() {
    std::string out;
    while (!conn_->pendingOutput().empty()) {
      out += std::string(conn_->pendingOutput());
      conn_->consumeOutput(conn_->pendingOutput().size());
    }
    return out;
  }
  int requestsSeen() {
    int n = 0;
    while (auto e = conn_->nextEvent()) n += std::holds_alternative<http1::RequestHead>(*e) ? 1 : 0;
    return n;
  }
  // Body bytes of the next event, which must be BodyData.
  size_t nextBody() {
    auto e = conn_->nextEvent();
    EXPECT_TRUE(e && std::holds_alternative<http1::BodyData>(*e));
    return e && std::holds_alternative<http1::BodyData>(*e)
               ? std::get<http1::BodyData>(*e).data.size()
               : 0;
  }
  void ok(int64_t ms, std::string_view body = "ok") {
    http1::ResponseHead head;
    head.headers = {{"content-length", std::to_string(body.size())}};
    ASSERT_EQ(conn_->respond(at(ms), head, body), http1::EncodeResult::kOk);
  }

 private:
  http1::CodecStats codec_stats_;
  HttpConnectionStats stats_;
  ListenerConnectionStats listener_stats_;
  std::unique_ptr<HttpConnection> conn_;
};

}  // namespace ctplab::proxy::connection::test_support
