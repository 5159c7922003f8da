// A response as the caller hands it to the codec for serialization.
// Framing and connection-management headers are the codec's; the caller's are replaced.
#pragma once

#include <string>
#include <string_view>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::http1 {

// How a response body is delimited on the wire, decided by the codec from the head.
enum class ResponseFraming {
  kNoBody,          // HEAD request, 1xx, 204, 304: body bytes are dropped
  kContentLength,   // the caller's content-length, or 0 when the head ends the stream
  kChunked,         // HTTP/1.1 client, length unknown
  kCloseDelimited,  // HTTP/1.0 client, length unknown: the connection closes after it
  kTunnel,          // 101 to an accepted upgrade: raw bytes both ways
};

struct ResponseHead {
  int status = 200;
  std::string reason;  // empty: the standard phrase for `status`
  // Kept in order. `content-length` selects length framing; `connection`, `keep-alive`,
  // `proxy-connection` and `transfer-encoding` are dropped and rewritten by the codec.
  HeaderList headers;
};

// The head of a reply the proxy makes itself (a timeout's): `body` as text/plain, as Envoy's.
inline ResponseHead localReplyHead(int status, std::string_view body) {
  ResponseHead head;
  head.status = status;
  head.headers = {{"content-length", std::to_string(body.size())}, {"content-type", "text/plain"}};
  return head;
}

}  // namespace ctplab::proxy::http1
