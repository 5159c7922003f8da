// HTTP/1.1 response serialization and the framing rules of RFC 9112 section 6.
#include "response_writer.h"

#include "status_text.h"

namespace ctplab::proxy::http1 {
namespace {

constexpr uint64_t kReservedBodyBytes = 16384;

// Connection management belongs to the codec, so the caller's copies are dropped.
bool isCodecOwned(std::string_view name) {
  // By length first: every field of every response goes through here.
  switch (name.size()) {
    case 10:
      return equalsIgnoreCase(name, "connection") || equalsIgnoreCase(name, "keep-alive");
    case 14:
      return equalsIgnoreCase(name, "content-length");
    case 16:
      return equalsIgnoreCase(name, "proxy-connection");
    case 17:
      return equalsIgnoreCase(name, "transfer-encoding");
    default:
      return false;
  }
}

void appendName(std::string& out, std::string_view name, bool preserve_case) {
  if (preserve_case) {
    out += name;
    return;
  }
  const size_t at = out.size();
  out.append(name);
  for (size_t i = at; i < out.size(); ++i) {
    if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  }
}

void appendField(std::string& out, std::string_view name, std::string_view value,
                 bool preserve_case) {
  appendName(out, name, preserve_case);
  out += ": ";
  out += value;
  out += "\r\n";
}

void appendStatusLine(std::string& out, const ResponseHead& head) {
  out += "HTTP/1.1 ";
  out += std::to_string(head.status);
  out += ' ';
  out += head.reason.empty() ? reasonPhrase(head.status) : std::string_view(head.reason);
  out += "\r\n";
}

void appendCallerHeaders(std::string& out, const HeaderList& headers, bool preserve_case) {
  for (const Header& h : headers) {
    if (!isCodecOwned(h.name)) appendField(out, h.name, h.value, preserve_case);
  }
}

std::optional<uint64_t> parseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits always fit in uint64_t
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

bool validateResponseHead(const ResponseHead& head, std::optional<uint64_t>& content_length) {
  content_length.reset();
  if (head.status < 100 || head.status > 999) return false;
  if (!isValidFieldValue(head.reason)) return false;
  for (const Header& h : head.headers) {
    if (!isValidFieldName(h.name) || !isValidFieldValue(h.value)) return false;
    if (h.name.size() != 14 || !equalsIgnoreCase(h.name, "content-length")) continue;
    auto v = parseDecimal(h.value);
    if (!v || (content_length && *content_length != *v)) return false;
    content_length = v;
  }
  return true;
}

bool validateTrailers(const HeaderList& trailers) {
  for (const Header& h : trailers) {
    if (!isValidFieldName(h.name) || !isValidFieldValue(h.value)) return false;
  }
  return true;
}

WrittenHead writeResponseHead(const ResponseHead& head, std::optional<uint64_t> content_length,
                              bool end_stream, const ResponseContext& ctx, std::string& out) {
  WrittenHead w;
  w.close = ctx.close;
  if (out.empty()) {
    // The head (and a known-length body, appended next) in one allocation instead of a
    // doubling per few fields; only into an empty buffer, so queued output never regrows.
    size_t size = 128 + head.reason.size();
    for (const Header& h : head.headers) size += h.name.size() + h.value.size() + 4;
    // A large body is streamed in pieces anyway: only a small one is counted in.
    if (content_length && !ctx.head_request && *content_length <= kReservedBodyBytes) {
      size += *content_length;
    }
    out.reserve(size);
  }
  appendStatusLine(out, head);
  appendCallerHeaders(out, head.headers, ctx.preserve_case);
  const bool no_body_status = head.status == 204 || head.status == 304 || head.status < 200;
  if (ctx.upgrade_accepted) {
    w.framing = ResponseFraming::kTunnel;
    out += "connection: upgrade\r\n";
    out += "\r\n";
    return w;
  }
  if (ctx.head_request || no_body_status) {
    // A HEAD or 304 response may announce the length it would have had; 204 may not.
    if (content_length && head.status != 204) {
      appendField(out, "content-length", std::to_string(*content_length), false);
    }
    w.framing = ResponseFraming::kNoBody;
  } else if (content_length || end_stream) {
    w.framing = ResponseFraming::kContentLength;
    w.content_length = content_length.value_or(0);
    appendField(out, "content-length", std::to_string(w.content_length), false);
  } else if (ctx.request_version == Version{1, 1}) {
    w.framing = ResponseFraming::kChunked;
    out += "transfer-encoding: chunked\r\n";
  } else {
    // HTTP/1.0 has no chunked coding: the end of the body is the end of the connection.
    w.framing = ResponseFraming::kCloseDelimited;
    w.close = true;
  }
  if (w.close) {
    out += "connection: close\r\n";
  } else if (ctx.request_version != Version{1, 1} && ctx.request_keep_alive) {
    out += "connection: keep-alive\r\n";  // 1.0 clients close unless told otherwise
  }
  out += "\r\n";
  return w;
}

void writeInformationalHead(const ResponseHead& head, bool preserve_case, std::string& out) {
  appendStatusLine(out, head);
  appendCallerHeaders(out, head.headers, preserve_case);
  out += "\r\n";
}

void writeChunk(std::string_view data, std::string& out) {
  if (data.empty()) return;  // an empty chunk would end the body
  // Chunk size in lowercase hex (formatted by hand: the data plane never touches stdio).
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[16];
  int n = 0;
  for (size_t v = data.size(); v != 0; v >>= 4) digits[n++] = kHex[v & 15];
  while (n > 0) out.push_back(digits[--n]);
  out += "\r\n";
  out += data;
  out += "\r\n";
}

void writeLastChunk(const HeaderList* trailers, bool preserve_case, std::string& out) {
  out += "0\r\n";
  if (trailers != nullptr) {
    for (const Header& h : *trailers) appendField(out, h.name, h.value, preserve_case);
  }
  out += "\r\n";
}

void writeLocalReply(int status, bool head_request, std::string& out) {
  const std::string_view body = reasonPhrase(status);
  out += "HTTP/1.1 " + std::to_string(status) + " ";
  out += body;
  out += "\r\ncontent-length: " + std::to_string(body.size()) + "\r\n";
  out += "content-type: text/plain\r\nconnection: close\r\n\r\n";
  if (!head_request) out += body;
}

}  // namespace ctplab::proxy::http1
