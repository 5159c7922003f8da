// ir::Listener → Http2Options: the HTTP/2 settings and header limits a ClientTrafficPolicy
// produced, checked against the ranges the proxy accepts.
#include "ctplab/proxy/http2/http2_options.h"

#include <string>

#include "ctplab/proxy/http1/config_from_ir.h"

namespace ctplab::proxy::http2 {
namespace {

constexpr uint32_t kMaxWindow = 2147483647;  // 2^31-1, RFC 9113 6.9.1
constexpr uint32_t kMinWindow = 65535;

std::optional<std::string> checkWindow(const char* what, uint32_t value) {
  if (value < kMinWindow || value > kMaxWindow) {
    return std::string(what) + " " + std::to_string(value) +
           " is out of range, must be between 65535 and 2147483647";
  }
  return std::nullopt;
}

// Zero disables a keepalive duration, as it disables a timeout elsewhere.
std::optional<Duration> positive(const std::optional<Duration>& d) {
  return d && d->ns() > 0 ? d : std::nullopt;
}

}  // namespace

Result<Http2Options> http2OptionsFromListener(const policy::ir::Listener& listener) {
  // The header limits and underscore policy are the listener's, shared with HTTP/1; reading
  // them through the HTTP/1 options keeps one interpretation of the IR.
  auto codec = http1::codecOptionsFromListener(listener);
  if (!codec.ok()) return codec.error();
  Http2Options o;
  o.max_request_headers_kb = codec.value().max_request_headers_kb;
  o.max_request_headers_count = codec.value().max_request_headers_count;
  o.headers_with_underscores_action = codec.value().headers_with_underscores_action;
  if (o.max_request_headers_kb == 0 || o.max_request_headers_kb > 8192) {
    return Error{"maxRequestHeaderLimit must be between 1 and 8192 KiB"};
  }
  if (!listener.http2) return o;

  const policy::ir::HTTP2Settings& h = *listener.http2;
  if (h.initial_stream_window_size) o.initial_stream_window_size = *h.initial_stream_window_size;
  if (h.initial_connection_window_size) {
    o.initial_connection_window_size = *h.initial_connection_window_size;
  }
  if (auto e = checkWindow("initialStreamWindowSize", o.initial_stream_window_size)) {
    return Error{*e};
  }
  if (auto e = checkWindow("initialConnectionWindowSize", o.initial_connection_window_size)) {
    return Error{*e};
  }
  if (h.max_concurrent_streams) {
    if (*h.max_concurrent_streams == 0 || *h.max_concurrent_streams > kMaxWindow) {
      return Error{"maxConcurrentStreams " + std::to_string(*h.max_concurrent_streams) +
                   " is out of range, must be between 1 and 2147483647"};
    }
    o.max_concurrent_streams = *h.max_concurrent_streams;
  }
  o.terminate_stream_on_invalid = h.reset_stream_on_error.value_or(false);
  if (h.connection_keepalive) {
    const auto& k = *h.connection_keepalive;
    o.keepalive_interval = positive(k.interval);
    o.keepalive_timeout = positive(k.timeout);
    if (k.interval_jitter) {
      if (*k.interval_jitter > 100) {
        return Error{"connectionKeepalive.intervalJitter must be at most 100"};
      }
      o.keepalive_jitter_percent = *k.interval_jitter;
    }
    if (o.keepalive_interval && o.keepalive_timeout &&
        *o.keepalive_timeout >= *o.keepalive_interval) {
      return Error{"connectionKeepalive.timeout must be less than connectionKeepalive.interval"};
    }
  }
  return o;
}

}  // namespace ctplab::proxy::http2
