// One HTTP/1.1 connection to the forwarding backend, opened on first use and kept while the
// upstream allows it, carrying one request at a time; idle ones wait in the worker's UpstreamPool.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asio.h"
#include "ctplab/live/upstream_codec.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::live {

struct UpstreamResult {
  enum class Kind {
    kOk,
    kConnectFailure,  // could not connect (refused, unreachable, connect timeout)
    kReset,           // the connection closed or failed before a complete response
    kTimeout,         // no complete response within the response timeout
    kProtocolError,   // the response could not be parsed, or its body was too large
  };
  Kind kind = Kind::kOk;
  int status = 0;
  std::string reason;
  proxy::http1::HeaderList headers;
  std::string body;
  std::string detail;  // for logs: the socket error or parser reason
};

class UpstreamClient : public std::enable_shared_from_this<UpstreamClient> {
 public:
  struct Limits {
    std::chrono::nanoseconds connect_timeout;
    std::chrono::nanoseconds response_timeout;
    uint64_t max_body_bytes = 0;
  };

  UpstreamClient(const asio::any_io_executor& executor, tcp::endpoint endpoint, Limits limits);

  // `request` is the serialized request. `done` runs once on the connection's executor, unless
  // cancel() came first. A reused connection that turns out closed is retried once.
  void send(std::string request, bool head_request, std::function<void(UpstreamResult)> done);
  // Drops the pending callback and closes the connection.
  void cancel();
  // Idle with an open connection: may carry another request.
  bool reusable() const { return connected_ && !done_; }

 private:
  void connect();
  void write();
  void read();
  void onBytes(size_t n);
  void onEof();
  bool retryOnFreshConnection();
  void finish(UpstreamResult result);
  void fail(UpstreamResult::Kind kind, std::string detail);
  // The request's deadline; kind: what it fails with when reached.
  void armTimer(std::chrono::nanoseconds after, UpstreamResult::Kind kind);
  void waitUntil(std::chrono::steady_clock::time_point at);
  void onTimer();
  void stopTimer();
  void closeSocket();

  tcp::socket socket_;
  asio::steady_timer timer_;
  tcp::endpoint endpoint_;
  Limits limits_;
  bool connected_ = false;
  bool reused_ = false;   // this request went out on a connection an earlier one used
  bool retried_ = false;  // the one retry on a fresh connection was spent
  std::string request_;
  bool head_request_ = false;
  std::function<void(UpstreamResult)> done_;
  UpstreamResponseParser parser_;
  std::vector<char> buffer_;
  uint64_t generation_ = 0;  // handlers of an earlier request or connection are stale
  // The current request's deadline (connect, then response), unset between requests. The timer
  // may wait for an earlier instant than the deadline (it fires early and re-arms), so a request
  // on a kept-alive connection seldom touches it.
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  UpstreamResult::Kind deadline_kind_ = UpstreamResult::Kind::kTimeout;
  std::optional<std::chrono::steady_clock::time_point> timer_at_;  // the wait in progress
  uint64_t timer_generation_ = 0;  // waits cancelled or replaced are stale
};

}  // namespace ctplab::live
