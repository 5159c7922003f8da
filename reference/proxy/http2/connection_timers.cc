// Timers of the HTTP/2 server connection: per-stream request, header, duration and idle timers,
// connection idle and max duration, and the keepalive PING, all on explicit times.
#include <algorithm>
#include <vector>

#include "http2/connection_impl.h"

namespace ctplab::proxy::http2 {
namespace {

using connection::CloseReason;

void earliest(std::optional<TimePoint>& best, const std::optional<TimePoint>& t) {
  if (t && (!best || *t < *best)) best = t;
}

bool due(const std::optional<TimePoint>& deadline, TimePoint now) {
  return deadline && now >= *deadline;
}

}  // namespace

std::optional<TimePoint> ServerConnection::Impl::nextDeadline() const {
  if (shouldClose()) return std::nullopt;
  std::optional<TimePoint> best;
  earliest(best, ping_due_);
  earliest(best, ping_deadline_);
  earliest(best, max_duration_deadline_);
  if (streams_.empty()) earliest(best, idle_deadline_);
  for (const auto& [id, s] : streams_) {
    earliest(best, s.header_deadline);
    earliest(best, s.request_deadline);
    earliest(best, s.max_stream_deadline);
    earliest(best, s.idle_deadline);
  }
  return best;
}

void ServerConnection::Impl::onDeadline(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  keepaliveTick(now);
  if (shouldClose()) return;
  expireStreams(now);
  if (due(max_duration_deadline_, now)) {
    max_duration_deadline_.reset();
    ++hcm_->downstream_cx_max_duration_reached;
    startDrain();
  }
  if (streams_.empty() && due(idle_deadline_, now)) {
    idle_deadline_.reset();
    ++hcm_->downstream_cx_idle_timeout;
    // GOAWAY first so the client does not send a request into a closing connection.
    startDrain();
    closeWith(CloseReason::kIdleTimeout);
  }
  afterActivity();
}

void ServerConnection::Impl::expireStreams(TimePoint now) {
  std::vector<int32_t> ids;
  ids.reserve(streams_.size());
  for (const auto& [id, s] : streams_) ids.push_back(id);
  // Local replies and resets only queue frames; streams leave the map when they are sent.
  for (const int32_t id : ids) {
    StreamState* s = find(id);
    if (s == nullptr) continue;
    // Most specific first, as for HTTP/1; each ends the stream.
    if (due(s->header_deadline, now)) {
      ++hcm_->downstream_rq_header_timeout;
      expire(*s, id, s->request_complete ? 504 : 408, "request header timeout");
    } else if (due(s->request_deadline, now)) {
      ++hcm_->downstream_rq_timeout;
      expire(*s, id, s->request_complete ? 504 : 408, "request timeout");
    } else if (due(s->max_stream_deadline, now)) {
      ++hcm_->downstream_rq_max_duration_reached;
      expire(*s, id, s->request_complete ? 504 : 408, "downstream duration timeout");
    } else if (due(s->idle_deadline, now)) {
      ++hcm_->downstream_rq_idle_timeout;
      expire(*s, id, 408, "stream timeout");
    }
  }
}

void ServerConnection::Impl::expire(StreamState& s, int32_t stream_id, int status,
                                    std::string_view body) {
  s.clearTimers();
  if (!s.answered && !s.resetting) {
    // The application's late answer will find the stream closed (respond: kNoRequest).
    s.events_done = true;
    localReply(s, stream_id, status, body);
    // The reply itself may stall on flow control; the idle timer still guards it.
    touch(s);
  } else {
    submitReset(s, stream_id);
  }
}

void ServerConnection::Impl::keepaliveTick(TimePoint now) {
  if (due(ping_deadline_, now)) {
    ++h2_->http2_keepalive_timeout;
    // Envoy closes without flushing: the peer is presumed gone.
    abandonStreams(Abandon::kPeerGone);
    discard_output_ = true;
    std::string().swap(output_);
    output_head_ = 0;
    closeWith(CloseReason::kCodec);
    return;
  }
  if (!due(ping_due_, now)) return;
  ping_due_.reset();  // the next one is scheduled by the ACK
  uint8_t opaque[8];
  const uint64_t sequence = ++pings_sent_;
  for (int i = 0; i < 8; ++i) opaque[i] = static_cast<uint8_t>(sequence >> (56 - 8 * i));
  nghttp2_submit_ping(session_.get(), NGHTTP2_FLAG_NONE, opaque);
  if (options_.keepalive_timeout) ping_deadline_ = now + *options_.keepalive_timeout;
}

void ServerConnection::Impl::onPingAck() {
  ping_deadline_.reset();
  if (options_.keepalive_interval) ping_due_ = now_ + *options_.keepalive_interval;
}

}  // namespace ctplab::proxy::http2
