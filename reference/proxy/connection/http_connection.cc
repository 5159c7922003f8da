// The HTTP connection state machine: admission, request and connection timers, local replies for
// timeouts, and flow control between the peer, the codec and the application.
#include "ctplab/proxy/connection/http_connection.h"

#include <algorithm>
#include <limits>

namespace ctplab::proxy::connection {
namespace {

void earliest(std::optional<TimePoint>& best, const std::optional<TimePoint>& t) {
  if (t && (!best || *t < *best)) best = t;
}

size_t bodyBytes(const http1::Event& e) {
  const auto* body = std::get_if<http1::BodyData>(&e);
  return body != nullptr ? body->data.size() : 0;
}

}  // namespace

HttpConnection::HttpConnection(TimePoint opened, connection_limit::CounterGroup::Decision admission,
                               http1::CodecConfigPtr codec_config, http1::CodecStats& codec_stats,
                               HttpConnectionStats& stats, HttpConnectionSettings settings,
                               ListenerConnectionStats* listener_stats)
    : codec_(std::move(codec_config), codec_stats),
      stats_(&stats),
      settings_(std::move(settings)),
      admitted_(admission.admitted),
      last_seen_(opened),
      tls_handshake_(settings_.tls_handshake_timeout,
                     listener_stats != nullptr
                         ? &listener_stats->downstream_cx_transport_socket_connect_timeout
                         : nullptr),
      input_watermark_(settings_.buffer_limit_bytes),
      output_watermark_(settings_.buffer_limit_bytes) {
  if (!admitted_) {
    reject_close_at_ = admission.close_at.value_or(opened);
    if (*reject_close_at_ <= opened) close_reason_ = CloseReason::kConnectionLimit;
    return;
  }
  if (settings_.idle_timeout) idle_deadline_ = opened + *settings_.idle_timeout;
  if (settings_.max_connection_duration) {
    max_duration_deadline_ = opened + *settings_.max_connection_duration;
  }
}

void HttpConnection::see(TimePoint now) { last_seen_ = std::max(last_seen_, now); }

void HttpConnection::startRequestTimer(TimePoint now) {
  // Envoy counts a request when its stream starts: the first byte of an HTTP/1 request.
  ++stats_->downstream_rq_total;
  request_in_progress_ = true;
  request_received_ = false;
  request_forwarded_ = false;
  idle_deadline_.reset();
  if (settings_.request_received_timeout) {
    request_deadline_ = now + *settings_.request_received_timeout;
  }
  if (settings_.request_headers_received_timeout) {
    header_deadline_ = now + *settings_.request_headers_received_timeout;
  }
  if (settings_.max_stream_duration) max_stream_deadline_ = now + *settings_.max_stream_duration;
  if (settings_.stream_idle_timeout) stream_idle_deadline_ = now + *settings_.stream_idle_timeout;
}

void HttpConnection::onBytes(TimePoint now, std::string_view bytes) {
  see(now);
  if (!admitted_ || shouldClose() || bytes.empty()) return;
  // Bytes on the stream restart its idle timer. A new request's timers start when its first byte
  // reaches the codec (afterCodecActivity), so slow header drips are timed.
  if (request_in_progress_ && settings_.stream_idle_timeout) {
    stream_idle_deadline_ = now + *settings_.stream_idle_timeout;
  }
  unread_.append(bytes);
  afterCodecActivity(now);
}

void HttpConnection::onPeerClosed(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  if (!admitted_) {
    close_reason_ = CloseReason::kPeer;
    return;
  }
  codec_.onPeerClosed();
  afterCodecActivity(now);
  if (!shouldClose()) close_reason_ = CloseReason::kPeer;
}

void HttpConnection::onTlsHandshakeStarted(TimePoint now) {
  see(now);
  if (!shouldClose()) tls_handshake_.start(now);
}

void HttpConnection::onTlsHandshakeDone(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  if (!tls_handshake_.finish(now)) close_reason_ = CloseReason::kTlsHandshakeTimeout;
}

std::optional<TimePoint> HttpConnection::nextDeadline() const {
  if (shouldClose()) return std::nullopt;
  std::optional<TimePoint> best;
  earliest(best, tls_handshake_.deadline());
  earliest(best, reject_close_at_);
  earliest(best, header_deadline_);
  earliest(best, request_deadline_);
  earliest(best, max_stream_deadline_);
  earliest(best, stream_idle_deadline_);
  if (!request_in_progress_) earliest(best, idle_deadline_);
  earliest(best, max_duration_deadline_);
  return best;
}

void HttpConnection::onDeadline(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  if (tls_handshake_.onDeadline(now)) {
    close_reason_ = CloseReason::kTlsHandshakeTimeout;
    return;
  }
  if (reject_close_at_) {
    if (now >= *reject_close_at_) close_reason_ = CloseReason::kConnectionLimit;
    return;
  }
  // Request-level timers, most specific first; each ends the request with a local reply. The
  // header timer only runs while the head is incomplete, so its reply is always a 408.
  if (header_deadline_ && now >= *header_deadline_) {
    ++stats_->downstream_rq_header_timeout;
    sendLocalReply(now, request_received_ ? 504 : 408, "request header timeout");
  } else if (request_deadline_ && now >= *request_deadline_) {
    ++stats_->downstream_rq_timeout;
    sendLocalReply(now, request_received_ ? 504 : 408, "request timeout");
  } else if (max_stream_deadline_ && now >= *max_stream_deadline_) {
    ++stats_->downstream_rq_max_duration_reached;
    sendLocalReply(now, request_received_ ? 504 : 408, "downstream duration timeout");
  } else if (stream_idle_deadline_ && now >= *stream_idle_deadline_) {
    ++stats_->downstream_rq_idle_timeout;
    sendLocalReply(now, 408, "stream timeout");
  }
  if (shouldClose()) return;
  if (max_duration_deadline_ && now >= *max_duration_deadline_) {
    max_duration_deadline_.reset();
    ++stats_->downstream_cx_max_duration_reached;
    if (settings_.safe_max_connection_duration) {
      // Safe mode: nothing happens until the next request, whose response closes.
      max_duration_reached_ = true;
    } else {
      codec_.startDrain();
      afterCodecActivity(now);
    }
  }
  if (!shouldClose() && !request_in_progress_ && idle_deadline_ && now >= *idle_deadline_) {
    ++stats_->downstream_cx_idle_timeout;
    close_reason_ = CloseReason::kIdleTimeout;
  }
}

void HttpConnection::sendLocalReply(TimePoint now, int status, std::string_view body) {
  clearRequestTimers();
  const bool next_request_waiting = codec_.bufferedBytes() > 0;
  // A 408 ends the connection: the rest of the request cannot be framed any more.
  if (status == 408) codec_.startDrain();
  stats_->countResponse(status);
  if (codec_.encodeHeaders(http1::localReplyHead(status, body), false) ==
      http1::EncodeResult::kOk) {
    codec_.encodeData(body, true);
  } else {
    // The request head never completed, so the codec has no request to answer: write the
    // reply ourselves and close.
    local_output_ = "HTTP/1.1 " + std::to_string(status) +
                    (status == 408 ? " Request Timeout" : " Gateway Timeout") +
                    "\r\ncontent-length: " + std::to_string(body.size()) +
                    "\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n";
    local_output_ += body;
    close_reason_ = CloseReason::kCodec;
    open_request_ = 0;
    return;
  }
  afterResponse(now, next_request_waiting);
}

void HttpConnection::afterResponse(TimePoint now, bool next_request_waiting) {
  request_in_progress_ = false;
  open_request_ = 0;
  clearRequestTimers();
  if (settings_.idle_timeout) idle_deadline_ = now + *settings_.idle_timeout;
  afterCodecActivity(now);
  // Pipelined bytes the codec held start the next request when parsing resumes, even when they
  // are not yet a whole head (which would have started it in afterCodecActivity).
  if (next_request_waiting && !request_in_progress_ && !codec_.shouldClose()) {
    startRequestTimer(now);
  }
}

void HttpConnection::clearRequestTimers() {
  request_deadline_.reset();
  header_deadline_.reset();
  max_stream_deadline_.reset();
  stream_idle_deadline_.reset();
}

std::optional<http1::Event> HttpConnection::nextEvent() {
  if (events_head_ == events_.size()) return std::nullopt;
  http1::Event e = std::move(events_[events_head_++]);
  if (events_head_ == events_.size()) {
    std::vector<http1::Event>().swap(events_);
    events_head_ = 0;
  }
  queued_body_bytes_ -= bodyBytes(e);
  updateFlowControl();
  return e;
}

http1::EncodeResult HttpConnection::respond(TimePoint now, const http1::ResponseHead& head,
                                            std::string_view body, bool count_status) {
  see(now);
  // Every event was pulled from the codec, so what it still holds is the next request's bytes.
  const bool next_request_waiting = codec_.bufferedBytes() > 0;
  auto r = codec_.encodeHeaders(head, body.empty());
  if (r == http1::EncodeResult::kOk && !body.empty()) r = codec_.encodeData(body, true);
  if (r != http1::EncodeResult::kOk) return r;
  if (count_status) stats_->countResponse(head.status);
  afterResponse(now, next_request_waiting);
  return r;
}

void HttpConnection::requestForwarded(TimePoint now) {
  see(now);
  if (open_request_ == 0) return;
  request_forwarded_ = true;
  if (request_received_) request_deadline_.reset();
}

std::string_view HttpConnection::pendingOutput() const {
  std::string_view codec_out = codec_.pendingOutput();
  return codec_out.empty() ? std::string_view(local_output_) : codec_out;
}

size_t HttpConnection::pendingOutputBytes() const {
  return codec_.pendingOutput().size() + local_output_.size();
}

void HttpConnection::consumeOutput(size_t n) { consumeOutput(last_seen_, n); }

void HttpConnection::consumeOutput(TimePoint now, size_t n) {
  see(now);
  if (!codec_.pendingOutput().empty()) {
    codec_.consumeOutput(n);
  } else {
    local_output_.erase(0, std::min(n, local_output_.size()));
  }
  const bool was_paused = output_watermark_.above();
  updateFlowControl();
  // Input held back while the output was over the limit can be parsed again.
  if (was_paused && !output_watermark_.above() && !shouldClose()) afterCodecActivity(now);
}

size_t HttpConnection::bufferedInputBytes() const {
  return unread_.size() + codec_.bufferedBytes() + queued_body_bytes_;
}

bool HttpConnection::readPaused() const {
  return admitted_ && !shouldClose() && input_watermark_.above();
}

size_t HttpConnection::readAllowance() const {
  constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();
  if (!admitted_ || shouldClose()) return kUnlimited;
  const std::optional<uint64_t> room = input_watermark_.room(bufferedInputBytes());
  if (!room) return kUnlimited;
  return static_cast<size_t>(std::min<uint64_t>(*room, kUnlimited));
}

bool HttpConnection::outputPaused() const {
  return admitted_ && !shouldClose() && output_watermark_.above();
}

void HttpConnection::updateFlowControl() {
  if (!admitted_ || shouldClose()) return;
  switch (input_watermark_.update(bufferedInputBytes())) {
    case Watermark::Change::kAbove:
      ++stats_->downstream_flow_control_paused_reading_total;
      break;
    case Watermark::Change::kBelow:
      ++stats_->downstream_flow_control_resumed_reading_total;
      break;
    case Watermark::Change::kNone:
      break;
  }
  output_watermark_.update(pendingOutputBytes());
}

void HttpConnection::afterCodecActivity(TimePoint now) {
  // A response just written may have pushed the output over the limit.
  output_watermark_.update(pendingOutputBytes());
  // Bounded: each round either feeds bytes or drains events; both shrink.
  for (int round = 0; round < 1024; ++round) {
    // While the output is over the limit no further input reaches the codec (Envoy does not
    // finish a response, and so start the next request, before the client reads), so it waits
    // here. Pipelined bytes the codec already holds are still parsed.
    if (!unread_.empty() && !output_watermark_.above()) {
      const size_t fed = codec_.feed(unread_);
      unread_.erase(0, fed);
      // A request starts (and is timed) with its first byte the codec takes.
      if (fed > 0 && !request_in_progress_ && !codec_.shouldClose()) startRequestTimer(now);
    }
    bool any = false;
    while (auto e = codec_.nextEvent()) {
      any = true;
      if (const auto* head = std::get_if<http1::RequestHead>(&*e)) {
        // A pipelined request parsed after a response starts its own timer now.
        if (!request_in_progress_) startRequestTimer(now);
        open_request_ = head->request_id;
        header_deadline_.reset();  // the head is complete
        ++requests_;
        const auto max = settings_.max_requests_per_connection;
        if (max && requests_ >= *max) {
          ++stats_->downstream_cx_max_requests_reached;
          codec_.startDrain();
        } else if (max_duration_reached_) {
          codec_.startDrain();
        }
      } else if (std::holds_alternative<http1::RequestComplete>(*e)) {
        // Fully received; the request timer stops once the application has also forwarded it.
        request_received_ = true;
        if (request_forwarded_) request_deadline_.reset();
      } else if (const auto* error = std::get_if<http1::ProtocolError>(&*e)) {
        if (error->replied) stats_->countResponse(error->status);
        open_request_ = 0;
        clearRequestTimers();
      } else if (std::holds_alternative<http1::PeerReset>(*e)) {
        ++stats_->downstream_rq_rx_reset;
        open_request_ = 0;
        clearRequestTimers();
      }
      queued_body_bytes_ += bodyBytes(*e);
      // A request without a body is two events (head, complete): room for both at once.
      if (events_.capacity() == 0) events_.reserve(2);
      events_.push_back(std::move(*e));
    }
    if (!any || codec_.readBlocked()) break;
  }
  if (codec_.shouldClose() && close_reason_ == CloseReason::kNone) {
    close_reason_ = CloseReason::kCodec;
  }
  updateFlowControl();
}

}  // namespace ctplab::proxy::connection
