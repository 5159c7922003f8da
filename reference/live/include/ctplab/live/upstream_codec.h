// The upstream side of HTTP/1.1 proxying without sockets: the request as written to the backend,
// and an incremental parser for its response (llhttp), so the live driver only moves bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/request_head.h"

namespace ctplab::live {

// `head` as the flow rewrote it, with `body` (already de-chunked) as a content-length body.
// Hop-by-hop fields (connection, keep-alive, proxy-connection, transfer-encoding, te, upgrade,
// and those a Connection field names) are not forwarded; the connection to the backend is
// HTTP/1.1 keep-alive whatever the client's version was.
std::string serializeUpstreamRequest(const proxy::http1::RequestHead& head, std::string_view body);

// One response read from a backend connection. Feed bytes as they arrive; `finish()` at EOF (a
// response without a length ends there). 1xx responses other than 101 are skipped.
class UpstreamResponseParser {
 public:
  enum class State { kNeedMore, kComplete, kError };

  // `head_request`: the response has no body whatever its headers say. `max_body_bytes`: a
  // longer body is an error (the driver answers 502 rather than buffer without bound).
  UpstreamResponseParser(bool head_request, uint64_t max_body_bytes);
  ~UpstreamResponseParser();
  UpstreamResponseParser(const UpstreamResponseParser&) = delete;
  UpstreamResponseParser& operator=(const UpstreamResponseParser&) = delete;

  // Ready for the next response on the same connection, as if newly constructed (the buffers
  // it grew are kept).
  void reset(bool head_request);

  // Bytes after the response are not taken (a well-behaved backend sends none).
  State feed(std::string_view bytes);
  State finish();
  State state() const { return state_; }

  int status() const { return status_; }
  const std::string& reason() const { return reason_; }
  const proxy::http1::HeaderList& headers() const { return headers_; }
  const std::string& body() const { return body_; }
  // The complete response's fields and body, moved out (they read empty afterwards).
  proxy::http1::HeaderList takeHeaders() { return std::move(headers_); }
  std::string takeBody() { return std::move(body_); }
  // The backend connection may carry the next request.
  bool keepAlive() const { return keep_alive_; }
  // True once any byte of a response arrived (a reused connection that closes before that was
  // stale, and the request may be retried on a new one).
  bool started() const { return started_; }
  const std::string& error() const { return error_; }

 private:
  struct Callbacks;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  State state_ = State::kNeedMore;
  bool head_request_;
  uint64_t max_body_bytes_;
  int status_ = 0;
  std::string reason_;
  proxy::http1::HeaderList headers_;
  std::string body_;
  bool in_field_ = false;  // headers_.back() is the field being assembled
  bool in_value_ = false;
  bool keep_alive_ = false;
  bool started_ = false;
  std::string error_;
};

}  // namespace ctplab::live
