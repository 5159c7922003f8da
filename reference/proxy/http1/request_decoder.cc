// llhttp callbacks → request events, plus the request-side rules Envoy's HTTP/1 codec applies.
#include "request_decoder.h"

#include <utility>

namespace ctplab::proxy::http1 {
namespace {

constexpr std::string_view kCodecError = "http1.codec_error";
// The fields the request flow may add to a head (x-request-id, X-Forwarded-For,
// X-Forwarded-Proto, x-envoy-external-address).
constexpr size_t kFieldsAddedDownstream = 4;

void trimTrailingOws(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
}

// A Connection value without `upgrade` (and, for h2c, `http2-settings`); "" when none is left.
std::string withoutTokens(std::string_view value, bool drop_http2_settings) {
  std::string out;
  while (true) {
    const size_t comma = value.find(',');
    const std::string_view token = trimOws(value.substr(0, comma));
    const bool drop = equalsIgnoreCase(token, "upgrade") ||
                      (drop_http2_settings && equalsIgnoreCase(token, "http2-settings"));
    if (!token.empty() && !drop) {
      if (!out.empty()) out += ", ";
      out += token;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

// An ignored upgrade is served as plain HTTP: the upgrade request headers go, the rest stays.
void stripUpgrade(HeaderList& headers, bool h2c) {
  HeaderList kept;
  kept.reserve(headers.size());
  for (Header& h : headers) {
    if (equalsIgnoreCase(h.name, "upgrade")) continue;
    if (h2c && equalsIgnoreCase(h.name, "http2-settings")) continue;
    if (equalsIgnoreCase(h.name, "connection")) {
      h.value = withoutTokens(h.value, h2c);
      if (h.value.empty()) continue;
    }
    kept.push_back(std::move(h));
  }
  headers = std::move(kept);
}

}  // namespace

// llhttp calls plain C functions; these forward to the decoder stored in parser->data.
struct DecoderCallbacks {
  static RequestDecoder& self(llhttp_t* p) { return *static_cast<RequestDecoder*>(p->data); }
  static int messageBegin(llhttp_t* p) { return self(p).onMessageBegin(); }
  static int url(llhttp_t* p, const char* at, size_t n) { return self(p).onUrl(at, n); }
  static int field(llhttp_t* p, const char* at, size_t n) { return self(p).onHeaderField(at, n); }
  static int value(llhttp_t* p, const char* at, size_t n) { return self(p).onHeaderValue(at, n); }
  static int valueComplete(llhttp_t* p) { return self(p).onHeaderValueComplete(); }
  static int headersComplete(llhttp_t* p) { return self(p).onHeadersComplete(); }
  static int body(llhttp_t* p, const char* at, size_t n) { return self(p).onBody(at, n); }
  static int messageComplete(llhttp_t* p) { return self(p).onMessageComplete(); }

  // llhttp keeps a pointer to its settings for the parser's lifetime: one immutable instance.
  static const llhttp_settings_t* settings() {
    static const llhttp_settings_t kSettings = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_message_begin = messageBegin;
      s.on_url = url;
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

RequestDecoder::RequestDecoder(CodecConfigPtr config, CodecStats& stats)
    : config_(std::move(config)), stats_(&stats) {
  llhttp_init(&parser_, HTTP_REQUEST, DecoderCallbacks::settings());
  parser_.data = this;
}

DecodeOutcome RequestDecoder::execute(std::string_view bytes, EventQueue& events) {
  DecodeOutcome out;
  if (bytes.empty()) return out;
  sink_ = &events;
  chunk_begin_ = bytes.data();
  const llhttp_errno_t err = llhttp_execute(&parser_, bytes.data(), bytes.size());
  sink_ = nullptr;
  const char* pos = llhttp_get_error_pos(&parser_);
  const bool pos_valid =
      pos != nullptr && pos >= bytes.data() && pos <= bytes.data() + bytes.size();
  out.consumed =
      (err == HPE_OK || !pos_valid) ? bytes.size() : static_cast<size_t>(pos - bytes.data());
  switch (err) {
    case HPE_OK:
      break;
    case HPE_PAUSED:
      out.stop = DecodeOutcome::Stop::kMessageComplete;
      break;
    case HPE_PAUSED_UPGRADE:
      out.stop = DecodeOutcome::Stop::kTunnel;
      break;
    default:
      out.stop = DecodeOutcome::Stop::kRejected;
      out.rejection = rejection_.value_or(Rejection{400, kCodecError});
      break;
  }
  if (out.consumed > 0) last_byte_ = bytes[out.consumed - 1];
  return out;
}

void RequestDecoder::resume() { llhttp_resume(&parser_); }

uint64_t RequestDecoder::requestIdForError() {
  if (in_message_ || (info_.head_parsed && !info_.complete)) return info_.id;
  // Nothing of a new request was recognised (llhttp failed before message begin).
  info_ = RequestInfo{};
  info_.id = next_id_++;
  return info_.id;
}

std::optional<Rejection> RequestDecoder::setBodyLimit(uint64_t max_bytes) {
  body_limit_ = max_bytes;
  if (body_bytes_ > max_bytes) {
    return Rejection{413, "request_payload_too_large", Rejection::Kind::kPayloadTooLarge};
  }
  return std::nullopt;
}

int RequestDecoder::reject(int status, std::string_view details, Rejection::Kind kind) {
  rejection_ = Rejection{status, details, kind};
  return -1;  // llhttp stops and reports an error; execute() then returns rejection_
}

bool RequestDecoder::chargeHeaderBytes(size_t length) {
  header_bytes_ += length;
  return header_bytes_ <= config_->maxRequestHeadersBytes();
}

char RequestDecoder::byteBefore(const char* at) const {
  return at > chunk_begin_ ? at[-1] : last_byte_;
}

int RequestDecoder::onMessageBegin() {
  info_ = RequestInfo{};
  info_.id = next_id_++;
  in_message_ = true;
  head_ = RequestHead{};
  head_.request_id = info_.id;
  trailers_.clear();
  field_.clear();
  value_.clear();
  header_bytes_ = 0;
  header_count_ = 0;
  body_bytes_ = 0;
  body_limit_ = config_->options().max_request_body_bytes;
  ++stats_->downstream_rq_http1_total;
  return 0;
}

int RequestDecoder::onUrl(const char* at, size_t length) {
  // Envoy counts the request target against the header limit, so a huge URL is a 431 too.
  if (!chargeHeaderBytes(length)) return reject(431, "http1.headers_too_large");
  head_.target.append(at, length);
  return 0;
}

int RequestDecoder::onHeaderField(const char* at, size_t length) {
  if (inTrailers() && !config_->options().enable_trailers) return 0;  // dropped unread
  if (!chargeHeaderBytes(length)) return reject(431, "http1.headers_too_large");
  field_.append(at, length);
  return 0;
}

int RequestDecoder::onHeaderValue(const char* at, size_t length) {
  // llhttp accepts obsolete line folding even in strict mode; a value span that starts right
  // after a line break is a fold, which RFC 9112 lets a server reject with 400.
  if (length > 0 && byteBefore(at) == '\n') return reject(400, kCodecError);
  if (inTrailers() && !config_->options().enable_trailers) return 0;
  if (!chargeHeaderBytes(length)) return reject(431, "http1.headers_too_large");
  value_.append(at, length);
  return 0;
}

int RequestDecoder::onHeaderValueComplete() {
  const bool trailer = inTrailers();
  if (trailer && !config_->options().enable_trailers) return 0;
  if (++header_count_ > config_->options().max_request_headers_count) {
    return reject(431, "http1.too_many_headers");
  }
  // llhttp lets an empty name (": v") through; it is no token, so the request is malformed.
  if (!isValidFieldName(field_)) return reject(400, "http1.invalid_characters");
  trimTrailingOws(value_);
  if (field_.find('_') != std::string::npos) {
    switch (config_->options().headers_with_underscores_action) {
      case HeadersWithUnderscoresAction::kAllow:
        break;
      case HeadersWithUnderscoresAction::kDropHeader:
        ++stats_->http1_dropped_headers_with_underscores;
        field_.clear();
        value_.clear();
        return 0;
      case HeadersWithUnderscoresAction::kRejectRequest:
        ++stats_->http1_requests_rejected_with_underscores_in_headers;
        return reject(400, "http1.unexpected_underscore");
    }
  }
  HeaderList& target = trailer ? trailers_ : head_.headers;
  target.push_back(Header{std::move(field_), std::move(value_)});
  field_.clear();
  value_.clear();
  return 0;
}

int RequestDecoder::checkVersion() {
  const Version v{parser_.http_major, parser_.http_minor};
  if (v == Version{1, 1}) return 0;
  const bool old = v == Version{1, 0} || v == Version{0, 9};
  if (old && config_->options().accept_http10) return 0;
  // Spec 4.13: without `http10`, 1.0, 0.9 and any other non-1.1 version get 426.
  return reject(426, "low_version");
}

int RequestDecoder::decideUpgrade() {
  const bool connect = parser_.method == HTTP_CONNECT;
  std::string type = "CONNECT";
  if (!connect) {
    const Header* up = findHeader(head_.headers, "upgrade");
    type = up != nullptr ? std::string(trimOws(up->value)) : std::string();
    // Envoy drops h2c upgrade requests' upgrade headers; ignoredUpgradeTypes does the same for
    // the types a policy lists. Either way the request continues as plain HTTP/1.1.
    const bool h2c = equalsIgnoreCase(type, "h2c");
    if (h2c || config_->ignoresUpgrade(type)) {
      stripUpgrade(head_.headers, h2c);
      parser_.upgrade = 0;  // read by llhttp after this callback: no tunnel
      return 0;
    }
  }
  if (!config_->allowsUpgrade(type)) {
    return reject(403, "upgrade_failed", Rejection::Kind::kUpgradeRejected);
  }
  info_.tunnel = true;
  head_.framing = BodyFraming::kTunnel;
  head_.upgrade = std::move(type);
  return 0;
}

int RequestDecoder::onHeadersComplete() {
  if (int rc = checkVersion(); rc != 0) return rc;
  // llhttp itself rejects such a request, but only after this callback; checking here keeps
  // a head event from being emitted for a request that is refused anyway.
  if ((parser_.flags & F_TRANSFER_ENCODING) != 0 && (parser_.flags & F_CHUNKED) == 0) {
    return reject(400, "http1.invalid_transfer_encoding");
  }
  head_.version = Version{parser_.http_major, parser_.http_minor};
  head_.method = llhttp_method_name(static_cast<llhttp_method_t>(parser_.method));
  const auto& host = config_->options().http10_default_host;
  if (head_.version != Version{1, 1} && host && findHeader(head_.headers, "host") == nullptr) {
    head_.headers.push_back(Header{"host", *host});
  }
  if (parser_.upgrade != 0) {
    if (int rc = decideUpgrade(); rc != 0) return rc;
  }
  if (!info_.tunnel) {
    if ((parser_.flags & F_CHUNKED) != 0) {
      head_.framing = BodyFraming::kChunked;
    } else if ((parser_.flags & F_CONTENT_LENGTH) != 0) {
      head_.framing = BodyFraming::kContentLength;
      head_.content_length = parser_.content_length;
    }
  }
  head_.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
  info_.keep_alive = head_.keep_alive;
  info_.version = head_.version;
  info_.head_method = parser_.method == HTTP_HEAD;
  info_.head_parsed = true;
  header_bytes_ = 0;  // trailers get a budget of their own, as in Envoy
  header_count_ = 0;
  // Room for what the request flow adds, made once here rather than by doublings later; only
  // complete heads get it, so a connection stalled mid-head holds no more than before.
  head_.headers.reserve(head_.headers.size() + kFieldsAddedDownstream);
  sink_->push(std::move(head_));
  head_ = RequestHead{};
  return 0;
}

int RequestDecoder::onBody(const char* at, size_t length) {
  if (body_limit_ && body_bytes_ + length > *body_limit_) {
    // Pass on what fits first, so the events do not depend on how the bytes were split.
    const uint64_t fits = *body_limit_ > body_bytes_ ? *body_limit_ - body_bytes_ : 0;
    if (fits > 0) sink_->push(BodyData{info_.id, std::string(at, fits)});
    body_bytes_ += length;
    return reject(413, "request_payload_too_large", Rejection::Kind::kPayloadTooLarge);
  }
  body_bytes_ += length;
  sink_->push(BodyData{info_.id, std::string(at, length)});
  return 0;
}

int RequestDecoder::onMessageComplete() {
  in_message_ = false;
  // For a tunnel llhttp now stops with HPE_PAUSED_UPGRADE; the request ends when the peer does.
  if (info_.tunnel) return 0;
  info_.complete = true;
  sink_->push(RequestComplete{info_.id, std::move(trailers_)});
  trailers_.clear();
  // One request at a time: the next pipelined one waits until this one's response is complete.
  return HPE_PAUSED;
}

}  // namespace ctplab::proxy::http1
