// Response head → HTTP/2 fields, with the same validation the HTTP/1 codec applies.
#include "http2/response_fields.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::http2 {
namespace {

// RFC 9113 8.2.2: these are HTTP/1 connection management and make an HTTP/2 message malformed.
constexpr std::array<std::string_view, 5> kConnectionSpecific = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};

bool hasUpperCase(std::string_view name) {
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && http1::equalsIgnoreCase(a, b);
}

bool isConnectionSpecific(std::string_view name) {
  for (std::string_view specific : kConnectionSpecific) {
    if (sameName(name, specific)) return true;
  }
  return false;
}

bool parseLength(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

ResponseBody responseBodyKind(int status, bool head_request) {
  if (status >= 100 && status < 200) return ResponseBody::kInformational;
  if (head_request || status == 204 || status == 304) return ResponseBody::kDropped;
  return ResponseBody::kAllowed;
}

http1::EncodeResult buildResponseFields(const http1::ResponseHead& head, ResponseBody body_kind,
                                        size_t body_size, ResponseFields& out) {
  out.list.clear();
  out.storage.clear();
  if (head.status < 100 || head.status > 999 || head.status == 101) {
    return http1::EncodeResult::kInvalidHeader;
  }
  // Room for everything `storage` may hold, so the views into it never move.
  size_t room = 3;
  for (const http1::Header& field : head.headers) room += field.name.size();
  out.storage.reserve(room);
  char status[3] = {static_cast<char>('0' + head.status / 100),
                    static_cast<char>('0' + head.status / 10 % 10),
                    static_cast<char>('0' + head.status % 10)};
  out.storage.append(status, 3);
  out.list.push_back({":status", std::string_view(out.storage).substr(0, 3)});
  std::optional<uint64_t> content_length;
  for (const http1::Header& field : head.headers) {
    if (!http1::isValidFieldName(field.name) || !http1::isValidFieldValue(field.value)) {
      return http1::EncodeResult::kInvalidHeader;
    }
    if (isConnectionSpecific(field.name)) continue;
    if (sameName(field.name, "content-length")) {
      uint64_t n = 0;
      if (!parseLength(field.value, n)) return http1::EncodeResult::kInvalidHeader;
      // A 1xx or 204 must not carry one (RFC 9110 8.6); HTTP/2 clients reject it.
      if (body_kind == ResponseBody::kInformational || head.status == 204) continue;
      if (content_length && *content_length != n) return http1::EncodeResult::kInvalidHeader;
      if (content_length) continue;  // one field is enough
      content_length = n;
    }
    std::string_view name = field.name;
    if (hasUpperCase(name)) {
      const size_t at = out.storage.size();
      for (char c : name)
        out.storage += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      name = std::string_view(out.storage).substr(at, name.size());
    }
    out.list.push_back({name, field.value});
  }
  if (body_kind == ResponseBody::kInformational && body_size > 0) {
    return http1::EncodeResult::kInvalidHeader;
  }
  if (body_kind == ResponseBody::kAllowed && content_length) {
    // The whole response is written at once, so the length must match the body exactly.
    if (body_size > *content_length) return http1::EncodeResult::kBodyTooLong;
    if (body_size < *content_length) return http1::EncodeResult::kInvalidHeader;
  }
  return http1::EncodeResult::kOk;
}

}  // namespace ctplab::proxy::http2
