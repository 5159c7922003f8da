// The sans-I/O HTTP/1.1 server codec of one downstream connection: bytes in, events out; responses
// in, bytes out. No sockets, clocks or threads: a driver (live or simulated) moves the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/codec_stats.h"
#include "ctplab/proxy/http1/event_queue.h"
#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http1/response_head.h"

namespace ctplab::proxy::http1 {

class RequestDecoder;
struct DecodeOutcome;
struct Rejection;

enum class EncodeResult {
  kOk,
  kClosed,         // the connection is closing (error, drain done); nothing was written
  kNoRequest,      // no request head is waiting for this call's part of a response
  kInvalidHeader,  // bad name/value, status or content-length; nothing was written
  kBodyTooLong,    // more bytes than the response's content-length; nothing was written
};

// Requests are served one at a time, as Envoy does: after a request completes, parsing pauses
// (later pipelined bytes wait, bounded by the read window) until its response is complete. So
// responses leave in request order by construction.
//
// After every call, pull events (nextEvent) and output (pendingOutput) until empty; completing a
// response may parse the next pipelined request at once. Close the connection when
// shouldClose() and pendingOutput() is empty.
class ServerCodec {
 public:
  // `stats` must outlive the codec (one aggregate per listener or counter group).
  ServerCodec(CodecConfigPtr config, CodecStats& stats);
  ~ServerCodec();
  ServerCodec(ServerCodec&&) noexcept;
  ServerCodec& operator=(ServerCodec&&) noexcept;
  ServerCodec(const ServerCodec&) = delete;
  ServerCodec& operator=(const ServerCodec&) = delete;

  // Takes bytes read from the peer; returns how many it accepted. Fewer than offered means the
  // read window is full: keep the rest, stop reading, and offer it again after pulling events
  // or completing a response. After shouldClose(), input is discarded (all accepted).
  size_t feed(std::string_view bytes);
  // The peer half-closed: ends a tunnel's payload, or resets a request still arriving.
  void onPeerClosed();

  std::optional<Event> nextEvent() { return events_.pop(); }
  bool hasEvents() const { return !events_.empty(); }

  // Bytes held on behalf of the peer: unparsed pipelined input plus unpulled body data.
  size_t bufferedBytes() const;
  // True while the read window is full (Envoy's "paused reading").
  bool readBlocked() const;

  // The body-limit hook: a filter that must buffer the whole body sets its limit (e.g. CTP
  // bufferLimit) after seeing the head. Over the limit → 413 and close. Returns false when
  // `request_id` is not the request being received.
  bool setRequestBodyLimit(uint64_t request_id, uint64_t max_bytes);
  // Graceful close (max requests, max duration, shutdown): the current or next response carries
  // `connection: close` and the connection closes after it; an idle connection closes now.
  void startDrain();

  // Responses always go to the oldest request without a complete response. 1xx (other than 101)
  // heads are informational and may precede the final head. `end_stream` completes the response.
  EncodeResult encodeHeaders(const ResponseHead& head, bool end_stream);
  EncodeResult encodeData(std::string_view data, bool end_stream);
  // Ends the response; trailers are written only with chunked framing and enable_trailers.
  EncodeResult encodeTrailers(const HeaderList& trailers);

  // Serialized bytes for the peer; call consumeOutput(n) after writing n of them.
  std::string_view pendingOutput() const;
  void consumeOutput(size_t n);
  bool shouldClose() const { return state_ == State::kClosing; }

 private:
  enum class State { kReading, kAwaitingResponse, kTunnel, kClosing };
  enum class Response { kNone, kStreaming, kComplete };

  void onOutcome(const DecodeOutcome& outcome, std::string_view leftover);
  void parsePending();
  void fail(const Rejection& rejection);
  void enterClosing();
  bool responseStreaming() const;
  void finishBody(const HeaderList* trailers);
  void completeResponse();

  CodecConfigPtr config_;
  CodecStats* stats_;
  std::unique_ptr<RequestDecoder> decoder_;
  EventQueue events_;
  std::string pending_input_;  // bytes after a complete request, waiting for its response
  std::string output_;
  size_t output_head_ = 0;  // output_[0, output_head_) was already consumed
  State state_ = State::kReading;
  // Response state of the request the decoder holds (decoder request id == response_id_).
  uint64_t response_id_ = 0;
  Response response_ = Response::kNone;
  ResponseFraming framing_ = ResponseFraming::kNoBody;
  uint64_t body_remaining_ = 0;  // with kContentLength
  bool close_after_response_ = false;
  bool draining_ = false;
  bool peer_closed_ = false;
  bool discard_input_ = false;  // after a `Connection: close` request: nothing more is parsed
};

}  // namespace ctplab::proxy::http1
