// What the codec knows about a request once its head is parsed: the input to routing and filters.
// The target is raw (no normalization); path handling belongs to a later stage.
#pragma once

#include <cstdint>
#include <string>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::http1 {

struct Version {
  uint8_t major = 1;
  uint8_t minor = 1;
  bool operator==(const Version&) const = default;
};

// How the request body is delimited on the wire.
enum class BodyFraming {
  kNone,           // no body
  kContentLength,  // `content_length` bytes follow (0 allowed)
  kChunked,        // chunked transfer coding
  kTunnel,         // accepted upgrade/CONNECT: every later byte is payload until the peer closes
};

struct RequestHead {
  uint64_t request_id = 0;  // 1, 2, … per connection, in arrival order
  std::string method;
  std::string target;
  Version version;
  HeaderList headers;  // in arrival order, names in the client's case
  // The client's wish: HTTP/1.1 without `Connection: close`, or HTTP/1.0 with keep-alive.
  bool keep_alive = true;
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // meaningful with kContentLength
  std::string upgrade;          // accepted upgrade type (kTunnel), e.g. "websocket" or "CONNECT"
};

}  // namespace ctplab::proxy::http1
