// Header block assembly: limits and underscore policy per field, then the http1 request shape.
#include "ctplab/proxy/http2/request_assembler.h"

#include <charconv>
#include <utility>
#include <vector>

namespace ctplab::proxy::http2 {

namespace {

// As the HTTP/1 decoder reserves them: fields added before the request is forwarded.
constexpr size_t kFieldsAddedDownstream = 4;
constexpr size_t kTypicalFields = 12;

}  // namespace

void RequestAssembler::beginBlock() {
  fields_.clear();
  cookie_.reset();
  bytes_ = 0;
  count_ = 0;
}

FieldVerdict RequestAssembler::add(const HeaderPolicy& policy, std::string_view name,
                                   std::string_view value) {
  // The underscore check comes first, so a dropped field costs nothing against the limits.
  if (policy.underscores != http1::HeadersWithUnderscoresAction::kAllow &&
      name.find('_') != std::string_view::npos) {
    return policy.underscores == http1::HeadersWithUnderscoresAction::kDropHeader
               ? FieldVerdict::kDropped
               : FieldVerdict::kRejected;
  }
  bytes_ += name.size() + value.size();
  ++count_;
  if (bytes_ > policy.max_bytes || count_ > policy.max_count) return FieldVerdict::kOverflow;

  if (name == ":method") {
    method_ = value;
  } else if (name == ":path") {
    path_ = value;
  } else if (name == ":authority") {
    authority_ = std::string(value);
  } else if (!name.empty() && name.front() == ':') {
    // :scheme and :protocol have no place in the HTTP/1 head; nghttp2 already validated them.
  } else if (name == "cookie") {
    if (cookie_) {
      *cookie_ += "; ";
      *cookie_ += value;
    } else {
      cookie_ = std::string(value);
    }
  } else {
    // Room for a typical request's fields and what forwarding adds, allocated once.
    if (fields_.capacity() == 0) fields_.reserve(kTypicalFields);
    fields_.push_back({std::string(name), std::string(value)});
  }
  return FieldVerdict::kKept;
}

http1::RequestHead RequestAssembler::takeHead(uint64_t stream_id, bool end_stream) {
  http1::RequestHead head;
  head.request_id = stream_id;
  head.version = {2, 0};
  head.method = std::move(method_);
  head.target = head.method == "CONNECT" && authority_ ? *authority_ : std::move(path_);
  // The fields' own list becomes the head's, so a request's fields are allocated once.
  // :authority becomes the Host field the HTTP/1 flow routes on; it wins over a `host` field.
  if (authority_) {
    std::erase_if(fields_, [](const http1::Header& f) { return f.name == "host"; });
    fields_.insert(fields_.begin(), {"host", *authority_});
  }
  if (cookie_) fields_.push_back({"cookie", std::move(*cookie_)});
  // Room for the fields the request flow adds (x-forwarded-for, x-forwarded-proto, x-request-id,
  // x-envoy-external-address), so forwarding does not grow the list again.
  fields_.reserve(fields_.size() + kFieldsAddedDownstream);
  head.headers = std::exchange(fields_, {});
  head.framing = end_stream ? http1::BodyFraming::kNone : http1::BodyFraming::kChunked;
  if (const http1::Header* length = http1::findHeader(head.headers, "content-length")) {
    uint64_t n = 0;
    const char* first = length->value.data();
    const char* last = first + length->value.size();
    const auto [end, error] = std::from_chars(first, last, n);
    if (error == std::errc() && end == last) {
      head.framing = http1::BodyFraming::kContentLength;
      head.content_length = n;
    }
  }
  beginBlock();
  method_.clear();
  path_.clear();
  authority_.reset();
  return head;
}

http1::HeaderList RequestAssembler::takeTrailers() {
  http1::HeaderList trailers = std::move(fields_);
  if (cookie_) trailers.push_back({"cookie", std::move(*cookie_)});
  beginBlock();
  return trailers;
}

}  // namespace ctplab::proxy::http2
