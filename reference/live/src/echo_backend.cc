#include "ctplab/live/echo_backend.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ctplab/live/duration_text.h"

namespace ctplab::live {

namespace {

constexpr Duration kMaxDelay = Duration::seconds(60);

// The length of the valid UTF-8 sequence at `s[i]`, or 0 when it is not one.
size_t utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

// The route's namespace from its IR name (`httproute/<namespace>/<name>/rule/...`).
std::string_view routeNamespace(std::string_view route) {
  const size_t first = route.find('/');
  if (first == std::string_view::npos) return "";
  const size_t second = route.find('/', first + 1);
  if (second == std::string_view::npos) return "";
  return route.substr(first + 1, second - first - 1);
}

// `key=value` of the query, undecoded; empty when absent.
std::string_view queryValue(std::string_view target, std::string_view key) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `X-Echo-Set-Header: A: 1, B: 2`: comma-separated name:value pairs become response headers; a
// repeated name is joined with a comma, as the conformance server does.
void addEchoSetHeaders(const proxy::http1::HeaderList& request, proxy::http1::HeaderList& out) {
  for (const auto& h : request) {
    if (!proxy::http1::equalsIgnoreCase(h.name, "x-echo-set-header")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view pair = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const size_t colon = pair.find(':');
      const std::string name(trim(pair.substr(0, colon)));
      const std::string value(colon == std::string_view::npos ? "" : trim(pair.substr(colon + 1)));
      // A header the codec would refuse is skipped rather than failing the whole answer.
      if (!proxy::http1::isValidFieldName(name) || !proxy::http1::isValidFieldValue(value))
        continue;
      auto same = std::find_if(out.begin(), out.end(),
                               [&](const proxy::http1::Header& e) { return e.name == name; });
      if (same != out.end()) {
        same->value += "," + value;
      } else {
        out.push_back({name, value});
      }
    }
  }
}

void appendProto(std::string& out, const proxy::http1::RequestHead& head) {
  char buf[32] = "HTTP/";
  char* p = std::to_chars(buf + 5, buf + sizeof buf, head.version.major).ptr;
  *p++ = '.';
  p = std::to_chars(p, buf + sizeof buf, head.version.minor).ptr;
  appendJsonString(out, std::string_view(buf, static_cast<size_t>(p - buf)));
}

// Go's canonical form of a header name written into `out`; false (nothing written) when the name
// has characters outside a token and stays as it is.
bool appendCanonicalKey(std::string& out, std::string_view name) {
  if (!proxy::http1::isValidFieldName(name)) return name.empty();
  const size_t start = out.size();
  out.append(name);
  bool upper = true;
  for (char* p = out.data() + start; p != out.data() + out.size(); ++p) {
    const char c = *p;
    const bool lower_letter = static_cast<unsigned char>(c - 'a') < 26;
    const bool upper_letter = static_cast<unsigned char>(c - 'A') < 26;
    if (upper ? lower_letter : upper_letter) *p = static_cast<char>(c ^ 0x20);
    upper = c == '-';
  }
  return true;
}

std::string requestJson(const EchoRequest& r) {
  const auto& head = *r.forwarded;
  // Go's header map, marshalled with its keys sorted: (canonical name, value) pairs sorted by
  // name, values of one name in arrival order. The canonical names live in one buffer sized up
  // front (so the views into it stay valid) instead of a string each: this runs per request.
  size_t name_bytes = 0;
  for (const auto& h : head.headers) name_bytes += h.name.size();
  std::string names;
  names.reserve(name_bytes);
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  headers.reserve(head.headers.size());
  std::string_view host;
  bool have_host = false;
  for (const auto& h : head.headers) {
    if (proxy::http1::equalsIgnoreCase(h.name, "host")) {
      if (!have_host) host = h.value;
      have_host = true;
      continue;  // Go moves Host out of the header map
    }
    const size_t at = names.size();
    if (!appendCanonicalKey(names, h.name)) names.append(h.name);
    headers.emplace_back(std::string_view(names).substr(at, h.name.size()), h.value);
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Laid out as Go's json.MarshalIndent(v, "", " ") lays it out.
  std::string out;
  size_t estimate = 400 + head.target.size() + r.route.size() + r.listener.size();
  for (const auto& [name, value] : headers) estimate += name.size() + value.size() + 16;
  out.reserve(estimate);
  const auto field = [&out](std::string_view indent_key, std::string_view value,
                            std::string_view after) {
    out += indent_key;
    appendJsonString(out, value);
    out += after;
  };
  out += "{\n";
  field(" \"path\": ", head.target, ",\n");
  field(" \"host\": ", host, ",\n");
  field(" \"method\": ", head.method, ",\n");
  out += " \"proto\": ";
  appendProto(out, head);
  out += ",\n \"headers\": {";
  for (size_t i = 0; i < headers.size(); ++i) {
    const bool first_of_name = i == 0 || headers[i].first != headers[i - 1].first;
    if (first_of_name) {
      out += i == 0 ? "\n  " : "\n  ],\n  ";
      appendJsonString(out, headers[i].first);
      out += ": [\n   ";
    } else {
      out += ",\n   ";
    }
    appendJsonString(out, headers[i].second);
  }
  out += headers.empty() ? "},\n" : "\n  ]\n },\n";
  field(" \"namespace\": ", routeNamespace(r.route), ",\n");
  out +=
      " \"ingress\": \"\",\n"
      " \"service\": \"\",\n"
      " \"pod\": \"\",\n";
  field(" \"sni\": ", r.sni, ",\n");
  out += " \"ctplab\": {\n";
  field("  \"clientAddress\": ", r.client_address, ",\n");
  field("  \"peerAddress\": ", r.peer_address, ",\n");
  field("  \"listener\": ", r.listener, ",\n");
  field("  \"route\": ", r.route, "\n");
  out += " }\n}";
  return out;
}

EchoReply jsonError(const std::string& message) {
  EchoReply reply;
  reply.status = 500;
  reply.headers = {{"content-type", "application/json"}, {"x-content-type-options", "nosniff"}};
  reply.body = "{\"message\":" + jsonString(message) + "}";
  return reply;
}

}  // namespace

std::string canonicalHeaderKey(std::string_view name) {
  std::string out;
  if (!appendCanonicalKey(out, name)) out.assign(name);
  return out;
}

namespace {

// The bytes Go's encoder writes as they are: printable ASCII except `"`, `\` and, so an echoed
// value never reads as markup, `<`, `>` and `&`.
constexpr std::array<bool, 256> kJsonPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) {
    t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  }
  return t;
}();

// Where the first byte needing an escape is, from `from` on (text.size() when none is).
size_t plainRunEnd(std::string_view text, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  // Sixteen bytes per step: a signed compare below 0x20 catches control bytes and non-ASCII
  // (0x80 and up are negative) together.
  const auto escapes = [](const char* sixteen) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sixteen));
    __m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    for (char special : {'"', '\\', '<', '>', '&'}) {
      bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(special)));
    }
    return static_cast<unsigned>(_mm_movemask_epi8(bad));
  };
  for (; i + 16 <= text.size(); i += 16) {
    if (const unsigned mask = escapes(text.data() + i)) return i + __builtin_ctz(mask);
  }
  // The last few bytes in one more step too: most strings here are shorter than sixteen.
  const size_t left = text.size() - i;
  if (left == 0) return i;
  unsigned mask;
  if (text.size() >= 16) {
    mask = escapes(text.data() + text.size() - 16) >> (16 - left);  // overlaps checked bytes
  } else {
    char padded[16] = {};
    std::memcpy(padded, text.data() + i, left);
    mask = escapes(padded) & ((1u << left) - 1);  // the zero padding would count as control
  }
  return mask != 0 ? i + __builtin_ctz(mask) : text.size();
#else
  while (i < text.size() && kJsonPlain[static_cast<unsigned char>(text[i])]) ++i;
  return i;
#endif
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t i = 0;
  while (true) {
    // Copied in runs: most text needs no escape at all.
    const size_t run = plainRunEnd(text, i);
    out.append(text.data() + i, run - i);
    if (run == text.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', static_cast<char>(c)};
      out.append(escaped, 2);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x80) {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escaped, 6);
    } else {
      const size_t n = utf8Length(text, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
        continue;
      }
      // U+2028 and U+2029 end lines in JavaScript: Go escapes them.
      if (n == 3 && c == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xA8) {
        out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      } else {
        out.append(text.substr(i, n));
      }
      i += n;
      continue;
    }
    ++i;
  }
  out += '"';
}

std::string jsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  appendJsonString(out, text);
  return out;
}

EchoReply echoRespond(const EchoRequest& request) {
  const auto& head = *request.forwarded;
  const std::string_view target = head.target;
  const std::string_view path = target.substr(0, target.find('?'));
  EchoReply reply;
  const std::string_view delay_text = queryValue(target, "delay");
  if (!delay_text.empty()) {
    auto delay = parseDurationText(delay_text);
    if (!delay) return jsonError("time: invalid duration \"" + std::string(delay_text) + "\"");
    reply.delay = std::min(*delay, kMaxDelay);
  }
  if (path == "/health") {
    reply.body = "OK";
    reply.headers = {{"content-type", "text/plain; charset=utf-8"}};
    return reply;
  }
  if (path.starts_with("/status/")) {
    const std::string_view code = path.substr(8);
    const bool three_digits = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                                return c >= '0' && c <= '9';
                              });
    reply.status = three_digits ? std::stoi(std::string(code)) : 400;
    // An informational code cannot end a request; the codec refuses codes past 599.
    if (reply.status < 200 || reply.status > 599) reply.status = 400;
    return reply;
  }
  // Room for what the proxy adds on the way back (content-length, route headers) too.
  reply.headers.reserve(8);
  addEchoSetHeaders(head.headers, reply.headers);
  reply.headers.push_back({"content-type", "application/json"});
  reply.headers.push_back({"x-content-type-options", "nosniff"});
  reply.body = requestJson(request);
  return reply;
}

}  // namespace ctplab::live
