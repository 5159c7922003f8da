// One downstream HTTP/1.1 connection as the proxy runs it: the connection-limit verdict, the
// codec, and the connection/request timers of spec 4.2-4.3, driven by explicit times.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/connection_limit/counter_group.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::proxy::connection {

// The timer settings of one listener (per HCM). Defaults are the proxy's with no policy.
struct HttpConnectionSettings {
  std::optional<Duration> idle_timeout = Duration::seconds(3600);
  std::optional<Duration> request_received_timeout;
  std::optional<Duration> stream_idle_timeout = Duration::seconds(300);
  std::optional<Duration> max_stream_duration;
  std::optional<Duration> max_connection_duration;
  bool safe_max_connection_duration = true;  // false: http1.disableSafeMaxConnectionDuration
  std::optional<uint32_t> max_requests_per_connection;

  static HttpConnectionSettings fromListener(const policy::ir::Listener& listener);
};

enum class CloseReason {
  kNone,
  kConnectionLimit,  // rejected by the counter group, closed at closeDelay
  kIdleTimeout,      // no request for idleTimeout
  kCodec,            // the codec decided (protocol error, drain done, Connection: close)
  kPeer,             // the client closed
};

class HttpConnection {
 public:
  // `admission` is the counter group's decision for this connection at `opened`.
  HttpConnection(TimePoint opened, connection_limit::CounterGroup::Decision admission,
                 http1::CodecConfigPtr codec_config, http1::CodecStats& codec_stats,
                 HttpConnectionStats& stats, HttpConnectionSettings settings);

  // Input from the peer. A rejected connection ignores everything it is sent.
  void onBytes(TimePoint now, std::string_view bytes);
  void onPeerClosed(TimePoint now);
  // Timers: the driver arms one timer at nextDeadline() and calls onDeadline when it fires.
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);

  // Requests for the application (router/backend), in order.
  std::optional<http1::Event> nextEvent();
  // The application's answer to the oldest open request.
  http1::EncodeResult respond(TimePoint now, const http1::ResponseHead& head,
                              std::string_view body);

  std::string_view pendingOutput() const;
  void consumeOutput(size_t n);
  // The driver closes the socket once this is true and the output is flushed.
  bool shouldClose() const { return close_reason_ != CloseReason::kNone; }
  CloseReason closeReason() const { return close_reason_; }
  bool admitted() const { return admitted_; }

 private:
  void afterCodecActivity(TimePoint now);
  void startRequestTimer(TimePoint now);
  void clearRequestTimers();
  // Answers the request in progress locally (timeouts); 408 also closes the connection.
  void sendLocalReply(TimePoint now, int status, std::string_view body);

  http1::ServerCodec codec_;
  std::string unread_;  // peer bytes the codec's read window did not take yet
  std::deque<http1::Event> events_;
  std::string local_output_;  // a reply written without the codec (408 before a request head)
  HttpConnectionStats* stats_;
  HttpConnectionSettings settings_;
  bool admitted_;
  std::optional<TimePoint> reject_close_at_;
  // Timers (nullopt = not armed).
  std::optional<TimePoint> idle_deadline_;
  std::optional<TimePoint> request_deadline_;
  std::optional<TimePoint> max_stream_deadline_;
  std::optional<TimePoint> stream_idle_deadline_;
  std::optional<TimePoint> max_duration_deadline_;
  bool request_in_progress_ = false;   // bytes of a request seen, response not complete
  bool request_received_ = false;      // the request in progress fully arrived
  bool max_duration_reached_ = false;  // safe mode: drain on the next request
  uint32_t requests_ = 0;
  CloseReason close_reason_ = CloseReason::kNone;
};

}  // namespace ctplab::proxy::connection
