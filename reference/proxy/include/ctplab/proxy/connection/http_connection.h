// One downstream HTTP/1.1 connection as the proxy runs it: the connection-limit verdict, the
// codec, the connection/request timers of spec 4.2-4.3 and flow control (4.17), on explicit times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/connection/listener_stats.h"
#include "ctplab/proxy/connection/phase_timer.h"
#include "ctplab/proxy/connection/watermark.h"
#include "ctplab/proxy/connection_limit/counter_group.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::proxy::connection {

// The settings of one listener (per HCM). Defaults are the proxy's with no policy.
struct HttpConnectionSettings {
  std::optional<Duration> idle_timeout = Duration::seconds(3600);
  std::optional<Duration> request_received_timeout;
  std::optional<Duration> request_headers_received_timeout;
  std::optional<Duration> stream_idle_timeout = Duration::seconds(300);
  std::optional<Duration> max_stream_duration;
  std::optional<Duration> max_connection_duration;
  bool safe_max_connection_duration = true;  // false: http1.disableSafeMaxConnectionDuration
  std::optional<uint32_t> max_requests_per_connection;
  // CTP bufferLimit: soft limit on the bytes held for the peer in each direction; nullopt: none
  // (bufferLimit 0).
  std::optional<uint64_t> buffer_limit_bytes = 32768;
  // tcp.tlsHandshakeTimeout; runs only once the driver reports a handshake.
  std::optional<Duration> tls_handshake_timeout;

  static HttpConnectionSettings fromListener(const policy::ir::Listener& listener);
};

// New reasons are appended, so existing values keep their meaning.
enum class CloseReason {
  kNone,
  kConnectionLimit,      // rejected by the counter group, closed at closeDelay
  kIdleTimeout,          // no request for idleTimeout
  kCodec,                // the codec decided (protocol error, drain done, Connection: close)
  kPeer,                 // the client closed
  kTlsHandshakeTimeout,  // the TLS handshake did not finish within tlsHandshakeTimeout
};

class HttpConnection {
 public:
  // `admission` is the counter group's decision for this connection at `opened`. With
  // `listener_stats` (optional, must outlive the connection) the TLS handshake timeout is counted.
  HttpConnection(TimePoint opened, connection_limit::CounterGroup::Decision admission,
                 http1::CodecConfigPtr codec_config, http1::CodecStats& codec_stats,
                 HttpConnectionStats& stats, HttpConnectionSettings settings,
                 ListenerConnectionStats* listener_stats = nullptr);

  // Input from the peer. A rejected connection ignores everything it is sent. Deliver at most
  // readAllowance() bytes per call; more is kept (the limit is soft) but defeats back-pressure.
  void onBytes(TimePoint now, std::string_view bytes);
  void onPeerClosed(TimePoint now);
  // Timers: the driver arms one timer at nextDeadline() and calls onDeadline when it fires.
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);

  // HTTPS: the driver reports the TLS handshake (normally started at `opened`); unfinished after
  // tlsHandshakeTimeout, the connection closes (listener downstream_cx_transport_socket_connect_
  // timeout). Decrypted bytes go to onBytes once it is done.
  void onTlsHandshakeStarted(TimePoint now);
  void onTlsHandshakeDone(TimePoint now);

  // Requests for the application (router/backend), in order. Pulling a BodyData event is what
  // consumes its bytes for flow control, so an application models a slow upstream by pulling late.
  std::optional<http1::Event> nextEvent();
  // The application's answer to the oldest open request. Health-check answers pass
  // `count_status = false`: Envoy keeps them out of downstream_rq_<code>.
  http1::EncodeResult respond(TimePoint now, const http1::ResponseHead& head, std::string_view body,
                              bool count_status = true);
  // The application handed the open request to its upstream (its filters are done with it).
  // requestReceivedTimeout runs until the request is both fully received and forwarded, or
  // answered (spec 4.3): a filter holding a complete request (a rate-limit check, a queue) can
  // still time it out, with 504.
  void requestForwarded(TimePoint now);

  std::string_view pendingOutput() const;
  // `n` bytes of pendingOutput() reached the socket. The overload without a time uses the latest
  // time the connection saw, for the rare request that this lets in.
  void consumeOutput(size_t n);
  void consumeOutput(TimePoint now, size_t n);
  // The driver closes the socket once this is true and the output is flushed.
  bool shouldClose() const { return close_reason_ != CloseReason::kNone; }
  CloseReason closeReason() const { return close_reason_; }
  bool admitted() const { return admitted_; }
  // The request whose head has arrived and whose response has not been written (0: none). The
  // codec parses one request at a time, so there is at most one; an application holding a late
  // answer checks it is still for this request (a timeout may have answered it meanwhile).
  uint64_t openRequest() const { return open_request_; }

  // Flow control (spec 4.17). Bytes received but not yet consumed: not yet parsed, or body not
  // yet pulled. Above bufferLimit reading pauses (downstream_flow_control_paused_reading_total);
  // it resumes once they drain to half of it (..._resumed_reading_total).
  size_t bufferedInputBytes() const;
  bool readPaused() const;
  // How many bytes the driver may deliver now: 0 while paused; delivering exactly this many
  // pauses reading. Unlimited without a limit and on rejected or closing connections (input is
  // discarded there).
  size_t readAllowance() const;
  // pendingOutput() above bufferLimit (until it drains to half): the application should hold
  // further response data, and no further pipelined request is parsed meanwhile.
  bool outputPaused() const;

 private:
  void afterCodecActivity(TimePoint now);
  // A response just completed; the next request starts now if its first bytes were waiting.
  void afterResponse(TimePoint now, bool next_request_waiting);
  void startRequestTimer(TimePoint now);
  void clearRequestTimers();
  // Answers the request in progress locally (timeouts); 408 also closes the connection.
  void sendLocalReply(TimePoint now, int status, std::string_view body);
  void see(TimePoint now);
  void updateFlowControl();
  size_t pendingOutputBytes() const;

  http1::ServerCodec codec_;
  std::string unread_;  // peer bytes the codec's read window did not take yet
  // Pulled from events_head_ on; a vector (not a deque, which allocates even when empty) that
  // is released once drained, so an idle connection holds no event storage.
  std::vector<http1::Event> events_;
  size_t events_head_ = 0;
  size_t queued_body_bytes_ = 0;  // BodyData bytes in events_
  std::string local_output_;      // a reply written without the codec (408 before a request head)
  HttpConnectionStats* stats_;
  HttpConnectionSettings settings_;
  bool admitted_;
  std::optional<TimePoint> reject_close_at_;
  TimePoint last_seen_;  // the latest time any call reported
  PhaseTimer tls_handshake_;
  Watermark input_watermark_;
  Watermark output_watermark_;
  // Timers (nullopt = not armed).
  std::optional<TimePoint> idle_deadline_;
  std::optional<TimePoint> request_deadline_;
  std::optional<TimePoint> header_deadline_;
  std::optional<TimePoint> max_stream_deadline_;
  std::optional<TimePoint> stream_idle_deadline_;
  std::optional<TimePoint> max_duration_deadline_;
  bool request_in_progress_ = false;   // bytes of a request seen, response not complete
  bool request_received_ = false;      // the request in progress fully arrived
  bool request_forwarded_ = false;     // and the application passed it upstream
  bool max_duration_reached_ = false;  // safe mode: drain on the next request
  uint32_t requests_ = 0;
  uint64_t open_request_ = 0;
  CloseReason close_reason_ = CloseReason::kNone;
};

}  // namespace ctplab::proxy::connection
