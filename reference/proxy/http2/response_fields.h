// Turns an http1::ResponseHead into the field list of an HTTP/2 response: `:status` first, names
// lower-cased (HTTP/2 forbids upper case) and the HTTP/1 connection-specific fields removed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::proxy::http2 {

struct ResponseField {
  std::string name;
  std::string value;
};

// How the body of one response may go out.
enum class ResponseBody {
  kAllowed,
  kDropped,        // HEAD request, 204, 304: body bytes are not sent, content-length is kept
  kInformational,  // 1xx: no body and no content-length
};

ResponseBody responseBodyKind(int status, bool head_request);

// kInvalidHeader: status out of 100..999, 101 (no upgrades in HTTP/2), a bad name or value, a
// bad content-length, or a body shorter than it; kBodyTooLong: a body longer than it. `out` is
// only meaningful with kOk.
http1::EncodeResult buildResponseFields(const http1::ResponseHead& head, ResponseBody body_kind,
                                        size_t body_size, std::vector<ResponseField>& out);

}  // namespace ctplab::proxy::http2
