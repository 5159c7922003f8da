// Turns an http1::ResponseHead into the field list of an HTTP/2 response: `:status` first, names
// lower-cased (HTTP/2 forbids upper case) and the HTTP/1 connection-specific fields removed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::proxy::http2 {

struct ResponseField {
  std::string_view name;
  std::string_view value;
};

// The fields of one response. They point into the head they were built from and into `storage`
// (the status, and names that needed lower-casing): both must outlive their use. Kept by the
// caller between responses, so answering allocates nothing once the capacities have grown.
struct ResponseFields {
  std::vector<ResponseField> list;
  std::string storage;
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
                                        size_t body_size, ResponseFields& out);

}  // namespace ctplab::proxy::http2
