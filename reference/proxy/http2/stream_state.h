// What the server connection knows about one client stream, from its first HEADERS frame until
// nghttp2 closes it: request progress, the answer, how it ends, and its four timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http2/request_assembler.h"

namespace ctplab::proxy::http2 {

struct StreamState {
  RequestAssembler request;
  bool head_emitted = false;      // the application has its RequestHead
  bool request_complete = false;  // END_STREAM arrived
  bool forwarded = false;         // the application passed the request upstream
  bool head_request = false;      // HEAD: the answer carries no body
  uint64_t body_bytes = 0;

  bool answered = false;       // a final response was submitted (application or local reply)
  bool response_done = false;  // and its END_STREAM went out
  std::string response_body;   // owned until nghttp2 has read it into DATA frames
  size_t response_sent = 0;

  bool events_done = false;  // ProtocolError or PeerReset was emitted, or the application reset
  bool resetting = false;    // we queued RST_STREAM
  bool peer_reset = false;   // the client sent RST_STREAM

  std::optional<TimePoint> header_deadline;   // requestHeadersReceivedTimeout
  std::optional<TimePoint> request_deadline;  // requestReceivedTimeout
  std::optional<TimePoint> max_stream_deadline;
  std::optional<TimePoint> idle_deadline;  // streamIdleTimeout

  bool awaitingAnswer() const { return head_emitted && !answered && !events_done && !resetting; }
  void clearTimers() {
    header_deadline.reset();
    request_deadline.reset();
    max_stream_deadline.reset();
    idle_deadline.reset();
  }
};

}  // namespace ctplab::proxy::http2
