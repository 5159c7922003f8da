#include "ctplab/proxy/connection/http_connection.h"

#include <algorithm>

namespace ctplab::proxy::connection {
namespace {

http1::ResponseHead localReplyHead(int status, std::string_view body) {
  http1::ResponseHead head;
  head.status = status;
  head.headers = {{"content-length", std::to_string(body.size())}, {"content-type", "text/plain"}};
  return head;
}

void earliest(std::optional<TimePoint>& best, const std::optional<TimePoint>& t) {
  if (t && (!best || *t < *best)) best = t;
}

}  // namespace

HttpConnectionSettings HttpConnectionSettings::fromListener(const policy::ir::Listener& l) {
  HttpConnectionSettings s;
  if (l.timeout && l.timeout->http) {
    const auto& h = *l.timeout->http;
    if (h.idle_timeout) {
      // Zero disables the timer, as in Envoy.
      s.idle_timeout = h.idle_timeout->ns() > 0 ? h.idle_timeout : std::nullopt;
    }
    if (h.request_received_timeout && h.request_received_timeout->ns() > 0) {
      s.request_received_timeout = h.request_received_timeout;
    }
    if (h.stream_idle_timeout) {
      s.stream_idle_timeout =
          h.stream_idle_timeout->ns() > 0 ? h.stream_idle_timeout : std::nullopt;
    }
  }
  if (l.connection && l.connection->limit) {
    const auto& lim = *l.connection->limit;
    if (lim.max_connection_duration && lim.max_connection_duration->ns() > 0) {
      s.max_connection_duration = lim.max_connection_duration;
    }
    s.max_requests_per_connection = lim.max_requests_per_connection;
    if (lim.max_stream_duration && lim.max_stream_duration->ns() > 0) {
      s.max_stream_duration = lim.max_stream_duration;
    }
  }
  if (l.http1) s.safe_max_connection_duration = !l.http1->disable_safe_max_connection_duration;
  return s;
}

HttpConnection::HttpConnection(TimePoint opened, connection_limit::CounterGroup::Decision admission,
                               http1::CodecConfigPtr codec_config, http1::CodecStats& codec_stats,
                               HttpConnectionStats& stats, HttpConnectionSettings settings)
    : codec_(std::move(codec_config), codec_stats),
      stats_(&stats),
      settings_(std::move(settings)),
      admitted_(admission.admitted) {
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

void HttpConnection::startRequestTimer(TimePoint now) {
  request_in_progress_ = true;
  request_received_ = false;
  idle_deadline_.reset();
  if (settings_.request_received_timeout) {
    request_deadline_ = now + *settings_.request_received_timeout;
  }
  if (settings_.max_stream_duration) max_stream_deadline_ = now + *settings_.max_stream_duration;
  if (settings_.stream_idle_timeout) stream_idle_deadline_ = now + *settings_.stream_idle_timeout;
}

void HttpConnection::onBytes(TimePoint now, std::string_view bytes) {
  if (!admitted_ || shouldClose() || bytes.empty()) return;
  // The request (and its timer) starts with its first byte, so slow header drips are timed.
  if (!request_in_progress_) {
    startRequestTimer(now);
  } else if (settings_.stream_idle_timeout) {
    // Bytes on the stream restart its idle timer.
    stream_idle_deadline_ = now + *settings_.stream_idle_timeout;
  }
  unread_.append(bytes);
  afterCodecActivity(now);
}

void HttpConnection::onPeerClosed(TimePoint now) {
  if (shouldClose()) return;
  if (!admitted_) {
    close_reason_ = CloseReason::kPeer;
    return;
  }
  codec_.onPeerClosed();
  afterCodecActivity(now);
  if (!shouldClose()) close_reason_ = CloseReason::kPeer;
}

std::optional<TimePoint> HttpConnection::nextDeadline() const {
  if (shouldClose()) return std::nullopt;
  std::optional<TimePoint> best;
  earliest(best, reject_close_at_);
  earliest(best, request_deadline_);
  earliest(best, max_stream_deadline_);
  earliest(best, stream_idle_deadline_);
  if (!request_in_progress_) earliest(best, idle_deadline_);
  earliest(best, max_duration_deadline_);
  return best;
}

void HttpConnection::onDeadline(TimePoint now) {
  if (shouldClose()) return;
  if (reject_close_at_) {
    if (now >= *reject_close_at_) close_reason_ = CloseReason::kConnectionLimit;
    return;
  }
  // Request-level timers, most specific first; each ends the request with a local reply.
  if (request_deadline_ && now >= *request_deadline_) {
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
  // A 408 ends the connection: the rest of the request cannot be framed any more.
  if (status == 408) codec_.startDrain();
  if (codec_.encodeHeaders(localReplyHead(status, body), false) == http1::EncodeResult::kOk) {
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
    return;
  }
  request_in_progress_ = false;
  if (settings_.idle_timeout) idle_deadline_ = now + *settings_.idle_timeout;
  afterCodecActivity(now);
}

void HttpConnection::clearRequestTimers() {
  request_deadline_.reset();
  max_stream_deadline_.reset();
  stream_idle_deadline_.reset();
}

std::optional<http1::Event> HttpConnection::nextEvent() {
  if (events_.empty()) return std::nullopt;
  http1::Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

http1::EncodeResult HttpConnection::respond(TimePoint now, const http1::ResponseHead& head,
                                            std::string_view body) {
  auto r = codec_.encodeHeaders(head, body.empty());
  if (r == http1::EncodeResult::kOk && !body.empty()) r = codec_.encodeData(body, true);
  if (r != http1::EncodeResult::kOk) return r;
  request_in_progress_ = false;
  clearRequestTimers();
  if (settings_.idle_timeout) idle_deadline_ = now + *settings_.idle_timeout;
  afterCodecActivity(now);
  return r;
}

std::string_view HttpConnection::pendingOutput() const {
  std::string_view codec_out = codec_.pendingOutput();
  return codec_out.empty() ? std::string_view(local_output_) : codec_out;
}

void HttpConnection::consumeOutput(size_t n) {
  if (!codec_.pendingOutput().empty()) {
    codec_.consumeOutput(n);
  } else {
    local_output_.erase(0, std::min(n, local_output_.size()));
  }
}

void HttpConnection::afterCodecActivity(TimePoint now) {
  // Bounded: each round either feeds bytes or drains events; both shrink.
  for (int round = 0; round < 1024; ++round) {
    if (!unread_.empty()) unread_.erase(0, codec_.feed(unread_));
    bool any = false;
    while (auto e = codec_.nextEvent()) {
      any = true;
      if (std::holds_alternative<http1::RequestHead>(*e)) {
        // A pipelined request parsed after a response starts its own timer now.
        if (!request_in_progress_) startRequestTimer(now);
        ++requests_;
        const auto max = settings_.max_requests_per_connection;
        if (max && requests_ >= *max) {
          ++stats_->downstream_cx_max_requests_reached;
          codec_.startDrain();
        } else if (max_duration_reached_) {
          codec_.startDrain();
        }
      } else if (std::holds_alternative<http1::RequestComplete>(*e)) {
        // Fully received and handed upstream: the request timer stops here.
        request_received_ = true;
        request_deadline_.reset();
      } else if (std::holds_alternative<http1::ProtocolError>(*e) ||
                 std::holds_alternative<http1::PeerReset>(*e)) {
        clearRequestTimers();
      }
      events_.push_back(std::move(*e));
    }
    if (!any || codec_.readBlocked()) break;
  }
  if (codec_.shouldClose() && close_reason_ == CloseReason::kNone) {
    close_reason_ = CloseReason::kCodec;
  }
}

}  // namespace ctplab::proxy::connection
