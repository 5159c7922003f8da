// What the HTTP/3 server knows about one request stream, from its first header field until the
// stream closes: request progress, whether it was answered, and its four per-stream timers.
#pragma once

#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http2/request_assembler.h"
#include "ctplab/proxy/http3/server_config.h"

namespace ctplab::proxy::http3 {

// Which timer ended a stream, most specific first: when several are due at once the earlier
// phase's timer is the one Envoy reports.
enum class StreamTimer { kNone, kHeaders, kRequest, kMaxDuration, kIdle };

struct StreamState {
  http2::RequestAssembler assembler;
  bool head_sent = false;  // RequestHead went out: the stream is a request of the data plane
  bool answered = false;   // answered, reset or abandoned: no more events, no answer accepted
  bool ended = false;      // the request's FIN arrived
  bool forwarded = false;  // the caller passed the request upstream (requestForwarded)
  bool rejected = false;   // its header block broke the listener's limits: reset, never seen
  bool head_request = false;
  http1::HeaderList trailers;

  std::optional<TimePoint> headers_deadline;  // request_headers_received
  std::optional<TimePoint> request_deadline;  // request_received
  std::optional<TimePoint> max_duration_deadline;
  std::optional<TimePoint> idle_deadline;

  // The stream began (its first header field): every configured timer starts.
  void startTimers(TimePoint now, const StreamTimeouts& t) {
    if (t.request_headers_received) headers_deadline = now + *t.request_headers_received;
    if (t.request_received) request_deadline = now + *t.request_received;
    if (t.max_stream_duration) max_duration_deadline = now + *t.max_stream_duration;
    if (t.stream_idle) idle_deadline = now + *t.stream_idle;
  }
  // Progress on the stream either way (request bytes in, response bytes acknowledged).
  void touch(TimePoint now, const StreamTimeouts& t) {
    if (t.stream_idle && idle_deadline) idle_deadline = now + *t.stream_idle;
  }
  void clearTimers() {
    headers_deadline.reset();
    request_deadline.reset();
    max_duration_deadline.reset();
    idle_deadline.reset();
  }
  std::optional<TimePoint> nextDeadline() const {
    std::optional<TimePoint> best;
    for (const auto* d :
         {&headers_deadline, &request_deadline, &max_duration_deadline, &idle_deadline}) {
      if (*d && (!best || **d < *best)) best = *d;
    }
    return best;
  }
  StreamTimer due(TimePoint now) const {
    auto reached = [now](const std::optional<TimePoint>& d) { return d && now >= *d; };
    if (reached(headers_deadline)) return StreamTimer::kHeaders;
    if (reached(request_deadline)) return StreamTimer::kRequest;
    if (reached(max_duration_deadline)) return StreamTimer::kMaxDuration;
    if (reached(idle_deadline)) return StreamTimer::kIdle;
    return StreamTimer::kNone;
  }
};

}  // namespace ctplab::proxy::http3
