// One-line descriptions of codec events, stable enough to compare in table-driven tests.
#include "ctplab/proxy/http1/events.h"

namespace ctplab::proxy::http1 {
namespace {

void appendEscaped(std::string& out, std::string_view bytes) {
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

void appendHeaders(std::string& out, const HeaderList& headers) {
  for (const Header& h : headers) {
    out += " [";
    appendEscaped(out, h.name);
    out += ": ";
    appendEscaped(out, h.value);
    out += "]";
  }
}

std::string framingText(const RequestHead& head) {
  switch (head.framing) {
    case BodyFraming::kNone:
      return "no-body";
    case BodyFraming::kContentLength:
      return "length=" + std::to_string(head.content_length);
    case BodyFraming::kChunked:
      return "chunked";
    case BodyFraming::kTunnel:
      return "tunnel=" + head.upgrade;
  }
  return "?";
}

std::string describeHead(const RequestHead& h) {
  std::string out = "head #" + std::to_string(h.request_id) + " " + h.method + " ";
  appendEscaped(out, h.target);
  out += " HTTP/" + std::to_string(h.version.major) + "." + std::to_string(h.version.minor);
  out += h.keep_alive ? " keep-alive " : " close ";
  out += framingText(h);
  appendHeaders(out, h.headers);
  return out;
}

}  // namespace

uint64_t requestIdOf(const Event& event) {
  return std::visit([](const auto& e) { return e.request_id; }, event);
}

std::string describe(const Event& event) {
  if (const auto* head = std::get_if<RequestHead>(&event)) return describeHead(*head);
  if (const auto* body = std::get_if<BodyData>(&event)) {
    std::string out = "body #" + std::to_string(body->request_id) + " \"";
    appendEscaped(out, body->data);
    return out + "\"";
  }
  if (const auto* done = std::get_if<RequestComplete>(&event)) {
    std::string out = "complete #" + std::to_string(done->request_id);
    if (!done->trailers.empty()) {
      out += " trailers";
      appendHeaders(out, done->trailers);
    }
    return out;
  }
  if (const auto* err = std::get_if<ProtocolError>(&event)) {
    return "error #" + std::to_string(err->request_id) + " " + std::to_string(err->status) + " " +
           std::string(err->details) + (err->replied ? " replied" : " unreplied");
  }
  return "reset #" + std::to_string(std::get_if<PeerReset>(&event)->request_id);
}

}  // namespace ctplab::proxy::http1
