// Serializes responses for HTTP/1.1 clients: status line, headers, framing, the codec's own
// replies. Pure functions over an output string; the codec decides when each is called.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/http1/response_head.h"

namespace ctplab::proxy::http1 {

// What the response head depends on besides itself.
struct ResponseContext {
  bool head_request = false;  // HEAD: no body on the wire, whatever the caller sends
  Version request_version;    // 1.0 clients get close-delimited bodies instead of chunked
  bool request_keep_alive = true;
  bool close = false;             // the connection closes after this response
  bool upgrade_accepted = false;  // 101 to an accepted upgrade
  bool preserve_case = false;
};

struct WrittenHead {
  ResponseFraming framing = ResponseFraming::kNoBody;
  uint64_t content_length = 0;  // with kContentLength
  bool close = false;           // `connection: close` was written
};

// Checks status (100..999), field syntax and content-length (digits, at most one value).
// Returns the declared content-length in `content_length` when present.
bool validateResponseHead(const ResponseHead& head, std::optional<uint64_t>& content_length);
bool validateTrailers(const HeaderList& trailers);

// Writes a final response head and returns the framing the body must follow.
WrittenHead writeResponseHead(const ResponseHead& head, std::optional<uint64_t> content_length,
                              bool end_stream, const ResponseContext& context, std::string& out);
// A 1xx head (not 101): no framing or connection headers.
void writeInformationalHead(const ResponseHead& head, bool preserve_case, std::string& out);
void writeChunk(std::string_view data, std::string& out);
// The last chunk; trailers when given (the caller decides whether they are enabled).
void writeLastChunk(const HeaderList* trailers, bool preserve_case, std::string& out);
// The codec's own answer to a refused request, as Envoy's local replies look: the reason phrase
// as a text/plain body and `connection: close`.
void writeLocalReply(int status, bool head_request, std::string& out);

}  // namespace ctplab::proxy::http1
