#include "ctplab/live/upstream_codec.h"

#include <llhttp.h>

#include <vector>

namespace ctplab::live {

namespace {

using namespace std::string_view_literals;

// Every forwarded field is checked against these: lengths compared first, inline.
bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && proxy::http1::equalsIgnoreCase(a, b);
}

// Hop-by-hop fields, and content-length, which is rewritten for the buffered body.
bool dropsFromUpstreamRequest(std::string_view name,
                              const std::vector<std::string_view>& connection_tokens) {
  for (std::string_view h : {"connection"sv, "keep-alive"sv, "proxy-connection"sv,
                             "transfer-encoding"sv, "te"sv, "upgrade"sv, "content-length"sv}) {
    if (sameName(name, h)) return true;
  }
  for (std::string_view t : connection_tokens) {
    if (sameName(name, t)) return true;
  }
  return false;
}

std::vector<std::string_view> connectionTokens(const proxy::http1::HeaderList& headers) {
  std::vector<std::string_view> out;
  for (const auto& h : headers) {
    if (!sameName(h.name, "connection"sv)) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string_view token = rest.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      if (!token.empty()) out.push_back(token);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::string serializeUpstreamRequest(const proxy::http1::RequestHead& head, std::string_view body) {
  const auto tokens = connectionTokens(head.headers);
  // Sized once, then appended piece by piece: no temporary strings per field.
  size_t size = head.method.size() + head.target.size() + 64 + body.size();
  for (const auto& h : head.headers) size += h.name.size() + h.value.size() + 4;
  std::string out;
  out.reserve(size);
  out.append(head.method).append(" "sv).append(head.target).append(" HTTP/1.1\r\n"sv);
  for (const auto& h : head.headers) {
    if (dropsFromUpstreamRequest(h.name, tokens)) continue;
    out.append(h.name).append(": "sv).append(h.value).append("\r\n"sv);
  }
  // A request that had a body (even an empty one) keeps an explicit length; a body-less GET
  // stays without one, as it arrived.
  if (head.framing != proxy::http1::BodyFraming::kNone || !body.empty()) {
    out.append("content-length: "sv).append(std::to_string(body.size())).append("\r\n"sv);
  }
  out.append("\r\n"sv);
  out.append(body);
  return out;
}

namespace {
constexpr size_t kExpectedFields = 8;
}  // namespace

struct UpstreamResponseParser::Impl {
  llhttp_t parser;
};

struct UpstreamResponseParser::Callbacks {
  static UpstreamResponseParser& self(llhttp_t* p) {
    return *static_cast<UpstreamResponseParser*>(p->data);
  }
  static int messageBegin(llhttp_t* p) {
    auto& s = self(p);
    s.started_ = true;
    s.reason_.clear();
    s.headers_.clear();
    // Room for a usual response's fields at once, rather than growing one field at a time (the
    // list is moved out with each response).
    s.headers_.reserve(kExpectedFields);
    s.body_.clear();
    s.in_field_ = false;
    s.in_value_ = false;
    return 0;
  }
  static int status(llhttp_t* p, const char* at, size_t n) {
    self(p).reason_.append(at, n);
    return 0;
  }
  // A field is assembled in place, in the list's last entry (no copy per field).
  static proxy::http1::Header& current(UpstreamResponseParser& s) {
    if (!s.in_field_) {
      s.headers_.emplace_back();
      s.in_field_ = true;
    }
    return s.headers_.back();
  }
  static int field(llhttp_t* p, const char* at, size_t n) {
    auto& s = self(p);
    auto& h = current(s);
    if (s.in_value_) {
      h.name.clear();
      h.value.clear();
      s.in_value_ = false;
    }
    h.name.append(at, n);
    return 0;
  }
  static int value(llhttp_t* p, const char* at, size_t n) {
    auto& s = self(p);
    s.in_value_ = true;
    current(s).value.append(at, n);
    return 0;
  }
  static int valueComplete(llhttp_t* p) {
    auto& s = self(p);
    current(s);  // a field whose name and value both came empty still counts
    s.in_field_ = false;
    s.in_value_ = false;
    return 0;
  }
  static int headersComplete(llhttp_t* p) {
    auto& s = self(p);
    s.status_ = p->status_code;
    // 1: the message has no body (llhttp's skip-body answer), as for every reply to HEAD.
    return s.head_request_ && s.status_ >= 200 ? 1 : 0;
  }
  static int body(llhttp_t* p, const char* at, size_t n) {
    auto& s = self(p);
    if (s.body_.size() + n > s.max_body_bytes_) {
      s.error_ = "response body over " + std::to_string(s.max_body_bytes_) + " bytes";
      return -1;
    }
    s.body_.append(at, n);
    return 0;
  }
  static int messageComplete(llhttp_t* p) {
    auto& s = self(p);
    if (s.status_ >= 100 && s.status_ < 200 && s.status_ != 101) return 0;  // interim: go on
    s.keep_alive_ = llhttp_should_keep_alive(p) != 0;
    s.state_ = State::kComplete;
    return HPE_PAUSED;  // stop at the end of this response
  }
  static const llhttp_settings_t* settings() {
    static const llhttp_settings_t kSettings = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_message_begin = messageBegin;
      s.on_status = status;
      s.on_header_field = field;
      s.on_header_value = value;
      s.on_header_value_complete = valueComplete;
      s.on_headers_complete = headersComplete;
      s.on_body = body;
      s.on_message_complete = messageComplete;
      return s;
    }();
    return &kSettings;
  }
};

UpstreamResponseParser::UpstreamResponseParser(bool head_request, uint64_t max_body_bytes)
    : impl_(std::make_unique<Impl>()),
      head_request_(head_request),
      max_body_bytes_(max_body_bytes) {
  llhttp_init(&impl_->parser, HTTP_RESPONSE, Callbacks::settings());
  impl_->parser.data = this;
}

UpstreamResponseParser::~UpstreamResponseParser() = default;

void UpstreamResponseParser::reset(bool head_request) {
  llhttp_init(&impl_->parser, HTTP_RESPONSE, Callbacks::settings());
  impl_->parser.data = this;
  state_ = State::kNeedMore;
  head_request_ = head_request;
  status_ = 0;
  reason_.clear();
  headers_.clear();
  body_.clear();
  in_field_ = false;
  in_value_ = false;
  keep_alive_ = false;
  started_ = false;
  error_.clear();
}

UpstreamResponseParser::State UpstreamResponseParser::feed(std::string_view bytes) {
  if (state_ != State::kNeedMore || bytes.empty()) return state_;
  const llhttp_errno_t err = llhttp_execute(&impl_->parser, bytes.data(), bytes.size());
  if (state_ == State::kComplete) return state_;
  if (err != HPE_OK) {
    state_ = State::kError;
    if (error_.empty()) error_ = llhttp_get_error_reason(&impl_->parser);
  }
  return state_;
}

UpstreamResponseParser::State UpstreamResponseParser::finish() {
  if (state_ != State::kNeedMore) return state_;
  const llhttp_errno_t err = llhttp_finish(&impl_->parser);
  if (state_ == State::kComplete) return state_;
  state_ = State::kError;
  if (error_.empty()) {
    error_ = err == HPE_OK ? "connection closed before a complete response"
                           : llhttp_get_error_reason(&impl_->parser);
  }
  return state_;
}

}  // namespace ctplab::live
