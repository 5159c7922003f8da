#include "ctplab/simulator/clients/response_reader.h"

#include <llhttp.h>
#include <strings.h>

namespace ctplab::sim::clients {

struct ResponseReader::Parser {
  llhttp_t parser;
  ResponseReader* owner = nullptr;
  std::vector<ParsedResponse>* out = nullptr;
  ParsedResponse current;
  std::string field;        // the header name being read (names arrive in pieces)
  bool in_alt_svc = false;  // the value being read belongs to `alt-svc`

  static Parser& self(llhttp_t* p) { return *static_cast<Parser*>(p->data); }
  static int onBegin(llhttp_t* p) {
    self(p).current = {};
    self(p).owner->in_message_ = true;
    return 0;
  }
  static int onHeaderField(llhttp_t* p, const char* at, size_t n) {
    self(p).field.append(at, n);
    return 0;
  }
  static int onHeaderFieldComplete(llhttp_t* p) {
    Parser& s = self(p);
    s.in_alt_svc = s.field.size() == 7 && strncasecmp(s.field.data(), "alt-svc", 7) == 0;
    s.field.clear();
    // Several alt-svc fields combine as one comma-separated list.
    if (s.in_alt_svc && !s.current.alt_svc.empty()) s.current.alt_svc += ", ";
    return 0;
  }
  static int onHeaderValue(llhttp_t* p, const char* at, size_t n) {
    if (self(p).in_alt_svc) self(p).current.alt_svc.append(at, n);
    return 0;
  }
  static int onBody(llhttp_t* p, const char*, size_t n) {
    self(p).current.body_bytes += n;
    return 0;
  }
  static int onComplete(llhttp_t* p) {
    Parser& s = self(p);
    s.current.status = p->status_code;
    s.current.keep_alive = llhttp_should_keep_alive(p) != 0;
    s.owner->in_message_ = false;
    if (s.out != nullptr) s.out->push_back(s.current);
    return 0;
  }
  static const llhttp_settings_t* settings() {
    static const llhttp_settings_t kSettings = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_message_begin = &Parser::onBegin;
      s.on_header_field = &Parser::onHeaderField;
      s.on_header_field_complete = &Parser::onHeaderFieldComplete;
      s.on_header_value = &Parser::onHeaderValue;
      s.on_body = &Parser::onBody;
      s.on_message_complete = &Parser::onComplete;
      return s;
    }();
    return &kSettings;
  }
};

ResponseReader::ResponseReader() : parser_(std::make_unique<Parser>()) {
  llhttp_init(&parser_->parser, HTTP_RESPONSE, Parser::settings());
  parser_->parser.data = parser_.get();
  parser_->owner = this;
}

ResponseReader::~ResponseReader() = default;

bool ResponseReader::feed(std::string_view bytes, std::vector<ParsedResponse>& out) {
  if (failed_) return false;
  parser_->out = &out;
  const llhttp_errno_t err = llhttp_execute(&parser_->parser, bytes.data(), bytes.size());
  parser_->out = nullptr;
  // HPE_PAUSED_UPGRADE: a 101 switched protocols; the client model never asks for one.
  if (err != HPE_OK) failed_ = true;
  return !failed_;
}

bool ResponseReader::finish(std::vector<ParsedResponse>& out) {
  if (failed_) return false;
  parser_->out = &out;
  const llhttp_errno_t err = llhttp_finish(&parser_->parser);
  parser_->out = nullptr;
  if (err != HPE_OK) failed_ = true;
  return !failed_ && !in_message_;
}

}  // namespace ctplab::sim::clients
