// Collects one HTTP/2 header block (a request head, later its trailers) field by field as nghttp2
// decodes it, applying the listener's header limits and underscore policy, and shapes the result
// as the HTTP/1 request types the rest of the data plane consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/request_head.h"

namespace ctplab::proxy::http2 {

struct HeaderPolicy {
  uint64_t max_bytes = 60 * 1024;  // names + values, pseudo-headers included
  uint32_t max_count = 100;
  http1::HeadersWithUnderscoresAction underscores =
      http1::HeadersWithUnderscoresAction::kRejectRequest;
};

enum class FieldVerdict {
  kKept,
  kDropped,   // name with '_' under DropHeader
  kRejected,  // name with '_' under RejectRequest
  kOverflow,  // the block went over the size or count limit
};

class RequestAssembler {
 public:
  // A new block (trailers) gets a budget of its own, as the head had.
  void beginBlock();
  FieldVerdict add(const HeaderPolicy& policy, std::string_view name, std::string_view value);

  // The head block as http1's RequestHead (see ServerConnection for the mapping).
  http1::RequestHead takeHead(uint64_t stream_id, bool end_stream);
  http1::HeaderList takeTrailers();

 private:
  std::string method_;
  std::string path_;
  std::optional<std::string> authority_;
  http1::HeaderList fields_;
  std::optional<std::string> cookie_;  // RFC 9113 8.2.3: crumbs are joined with "; "
  uint64_t bytes_ = 0;
  uint32_t count_ = 0;
};

}  // namespace ctplab::proxy::http2
