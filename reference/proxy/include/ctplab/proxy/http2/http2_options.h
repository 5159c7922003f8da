// The HTTP/2 settings of one listener (spec 1.3.10, 4.11, 4.14) as plain values, read once from
// the policy engine's IR and shared by every HTTP/2 connection of that listener.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http2 {

// The defaults are what a listener without a ClientTrafficPolicy gets from Envoy Gateway.
struct Http2Options {
  uint32_t max_concurrent_streams = 100;
  uint32_t initial_stream_window_size = 65536;
  uint32_t initial_connection_window_size = 1048576;
  // onInvalidMessage TerminateStream (IR reset_stream_on_error): an HTTP messaging error resets
  // only its stream instead of closing the connection.
  bool terminate_stream_on_invalid = false;
  // Over either limit the stream is reset (http2.header_overflow); pseudo-headers count too.
  uint32_t max_request_headers_kb = 60;
  uint32_t max_request_headers_count = 100;
  http1::HeadersWithUnderscoresAction headers_with_underscores_action =
      http1::HeadersWithUnderscoresAction::kRejectRequest;
  // connectionKeepalive: a PING every interval, the connection closes without its ACK within
  // timeout. Jitter is accepted but not applied, so the schedule stays deterministic.
  std::optional<Duration> keepalive_interval;
  std::optional<Duration> keepalive_timeout;
  uint32_t keepalive_jitter_percent = 15;
  // Request body limit for every stream; over it the stream is answered 413.
  std::optional<uint64_t> max_request_body_bytes;
};

// Errors: a non-HTTP listener, an unknown withUnderscoresAction, a header limit out of
// 1..8192 KiB, windows out of 65535..2147483647, maxConcurrentStreams out of 1..2147483647,
// a keepalive jitter over 100 or a keepalive timeout not below its interval.
Result<Http2Options> http2OptionsFromListener(const policy::ir::Listener& listener);

}  // namespace ctplab::proxy::http2
