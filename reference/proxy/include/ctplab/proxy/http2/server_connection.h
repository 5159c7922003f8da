// One downstream HTTP/2 connection as the proxy runs it, sans I/O: bytes in, request events out;
// answers in, frames out; connection and stream timers (spec 4.2-4.3, 4.14) on explicit times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"
#include "ctplab/proxy/http2/http2_options.h"
#include "ctplab/proxy/http2/http2_stats.h"

namespace ctplab::proxy::http2 {

// Streams reuse the HTTP/1 event types so the request flow and routing run unchanged:
//  - RequestHead: request_id = stream id, version 2.0, method and target from :method and :path
//    (:authority for CONNECT), `host` from :authority first, the other fields in arrival order
//    and crumbled cookies joined into one `cookie` field at the end. Framing is kContentLength
//    with a content-length, kNone when the HEADERS frame ended the stream, else kChunked
//    (meaning: body until END_STREAM).
//  - BodyData / RequestComplete (trailers included) as DATA and END_STREAM arrive.
//  - PeerReset: the client reset the stream, or the connection went away, before the answer.
//  - ProtocolError: the stream was refused. `replied` false: reset without an answer (header
//    limits 431, underscores 400, HTTP messaging 400, connection protocol error 400); true:
//    answered by the connection (413). Only that stream ends unless shouldClose().
// After a stream's ProtocolError or PeerReset, or once it is answered, no event follows for it.
//
// Responses may go to any open stream in any order. After every call, pull events (nextEvent)
// and output (pendingOutput) until empty. Close the socket once shouldClose() and the output is
// flushed.
class ServerConnection {
 public:
  // The stats must outlive the connection. The settings have their HTTP/1 meaning; HTTP/2 has no
  // safe mode for max_connection_duration, uses its windows instead of buffer_limit_bytes, and
  // leaves the TLS handshake timer and connection-limit admission to whoever accepted it.
  ServerConnection(TimePoint opened, const Http2Options& options, Http2Stats& h2_stats,
                   connection::HttpConnectionStats& hcm_stats,
                   connection::HttpConnectionSettings settings);
  ~ServerConnection();
  // A moved-from connection may only be destroyed or assigned to.
  ServerConnection(ServerConnection&&) noexcept;
  ServerConnection& operator=(ServerConnection&&) noexcept;
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  // Input from the peer, starting with the client preface. Flow control is HTTP/2's own: the
  // peer may send no more than the windows allow, and windows reopen as BodyData is pulled.
  void onBytes(TimePoint now, std::string_view bytes);
  // The client closed the TCP connection: streams still waiting for an answer get PeerReset.
  void onPeerClosed(TimePoint now);
  // Timers: the driver arms one timer at nextDeadline() and calls onDeadline when it fires.
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);

  // Pulling a BodyData event is what returns its bytes to the client's flow-control windows.
  std::optional<http1::Event> nextEvent();
  // Answers stream `stream_id` with the head and the whole body, ending the stream (body bytes
  // are kept until sent). A 1xx other than 101 is informational and leaves the stream open.
  // Health-check answers pass `count_status = false` (kept out of downstream_rq_<code>).
  // kNoRequest: the stream is not waiting for an answer (unknown, answered, reset, timed out).
  http1::EncodeResult respond(TimePoint now, uint64_t stream_id, const http1::ResponseHead& head,
                              std::string_view body, bool count_status = true);
  // RST_STREAM(NO_ERROR), as Envoy resets a downstream stream locally (http2.tx_reset).
  void resetStream(TimePoint now, uint64_t stream_id);
  // The application handed the stream's request to its upstream: requestReceivedTimeout stops
  // once the request is also fully received (spec 4.3), or when the answer starts.
  void requestForwarded(TimePoint now, uint64_t stream_id);
  // Graceful close: GOAWAY with the last stream id, open streams finish, then the connection
  // closes (http2.goaway_sent).
  void drain(TimePoint now);

  std::string_view pendingOutput() const;
  void consumeOutput(size_t n);
  bool shouldClose() const;
  connection::CloseReason closeReason() const;
  // Streams whose head arrived and whose response has not gone out completely.
  size_t openStreams() const;
  // Whether `stream_id` still waits for an answer (respond would accept it).
  bool isOpen(uint64_t stream_id) const;

  class Impl;  // the nghttp2 session and stream state, kept out of this header

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctplab::proxy::http2
