// Events the HTTP/1 server codec hands to its caller, pulled one at a time in wire order.
// Every event names the request it belongs to, so outcome records can be joined later.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/request_head.h"

namespace ctplab::proxy::http1 {

// A piece of request body (de-chunked), or tunnel payload after an accepted upgrade.
struct BodyData {
  uint64_t request_id = 0;
  std::string data;
};

// The request has fully arrived. Trailers are kept only when the config enables them.
struct RequestComplete {
  uint64_t request_id = 0;
  HeaderList trailers;
};

// The codec refused the request. When `replied`, it already queued its answer (status below,
// `connection: close`); otherwise a response had started and the connection just closes.
// Either way the connection closes once the output is flushed; no event follows this one.
struct ProtocolError {
  uint64_t request_id = 0;
  int status = 400;          // 400, 403, 413, 426 or 431
  std::string_view details;  // Envoy's response-code details, e.g. "http1.codec_error"
  bool replied = true;
};

// The peer closed its side in the middle of a request; nothing can be answered.
struct PeerReset {
  uint64_t request_id = 0;
};

using Event = std::variant<RequestHead, BodyData, RequestComplete, ProtocolError, PeerReset>;

uint64_t requestIdOf(const Event& event);

// One line per event (`head #1 GET / HTTP/1.1 …`), for tests and traces; bytes are escaped.
std::string describe(const Event& event);

}  // namespace ctplab::proxy::http1
