#include "ctplab/live/echo_backend.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <vector>

#include "ctplab/live/duration_text.h"
#include "json_writer.h"

namespace ctplab::live {

namespace {

constexpr Duration kMaxDelay = Duration::seconds(60);
// Bounds for the writer's room: the body's fixed text (about 300 bytes), and the indentation and
// punctuation around one header value.
constexpr size_t kLayoutBytes = 1024;
constexpr size_t kPerValueLayoutBytes = 32;

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

// `X-Echo-Set-Header: A: 1, B: 2`: comma-separated name:value pairs become response headers; a
// repeated name is joined with a comma, as the conformance server does.
void addEchoSetHeaders(const proxy::http1::HeaderList& request, proxy::http1::HeaderList& out) {
  for (const auto& h : request) {
    if (!proxy::http1::equalsIgnoreCase(h.name, "x-echo-set-header")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view pair = proxy::http1::trimOws(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const size_t colon = pair.find(':');
      const std::string name(proxy::http1::trimOws(pair.substr(0, colon)));
      const std::string value(
          colon == std::string_view::npos ? "" : proxy::http1::trimOws(pair.substr(colon + 1)));
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

// `HTTP/<major>.<minor>`, quoted.
void writeProto(JsonWriter& w, const proxy::http1::RequestHead& head) {
  char buf[32] = "HTTP/";
  char* p = std::to_chars(buf + 5, buf + sizeof buf, head.version.major).ptr;
  *p++ = '.';
  p = std::to_chars(p, buf + sizeof buf, head.version.minor).ptr;
  w.quoted(std::string_view(buf, static_cast<size_t>(p - buf)));
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
  // A handful of fields is sorted in place (stable insertion sort); std::stable_sort allocates a
  // buffer, worth it only for many.
  const auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (headers.size() > 32) {
    std::stable_sort(headers.begin(), headers.end(), by_name);
  } else {
    for (size_t i = 1; i < headers.size(); ++i) {
      for (size_t j = i; j > 0 && by_name(headers[j], headers[j - 1]); --j) {
        std::swap(headers[j], headers[j - 1]);
      }
    }
  }
  // Laid out as Go's json.MarshalIndent(v, "", " ") lays it out.
  const std::string_view ns = routeNamespace(r.route);
  size_t worst = kLayoutBytes;
  for (std::string_view text : {std::string_view(head.target), host, std::string_view(head.method),
                                ns, r.sni, r.client_address, r.peer_address, r.listener, r.route}) {
    worst += JsonWriter::worstQuoted(text);
  }
  for (const auto& [name, value] : headers) {
    worst += JsonWriter::worstQuoted(name) + JsonWriter::worstQuoted(value) + kPerValueLayoutBytes;
  }
  // Written into this thread's scratch memory, kept between bodies: room for the worst case is
  // made (and cleared) only when a body needs more than any before it.
  thread_local std::string scratch;
  if (scratch.size() < worst) scratch.resize(worst);
  {
    JsonWriter w(scratch.data());
    const auto field = [&w](std::string_view indent_key, std::string_view value,
                            std::string_view after) {
      w.raw(indent_key);
      w.quoted(value);
      w.raw(after);
    };
    w.raw("{\n");
    field(" \"path\": ", head.target, ",\n");
    field(" \"host\": ", host, ",\n");
    field(" \"method\": ", head.method, ",\n");
    w.raw(" \"proto\": ");
    writeProto(w, head);
    w.raw(",\n \"headers\": {");
    for (size_t i = 0; i < headers.size(); ++i) {
      const bool first_of_name = i == 0 || headers[i].first != headers[i - 1].first;
      if (first_of_name) {
        w.raw(i == 0 ? "\n  " : "\n  ],\n  ");
        w.quoted(headers[i].first);
        w.raw(": [\n   ");
      } else {
        w.raw(",\n   ");
      }
      w.quoted(headers[i].second);
    }
    w.raw(headers.empty() ? "},\n" : "\n  ]\n },\n");
    field(" \"namespace\": ", ns, ",\n");
    w.raw(
        " \"ingress\": \"\",\n"
        " \"service\": \"\",\n"
        " \"pod\": \"\",\n");
    field(" \"sni\": ", r.sni, ",\n");
    w.raw(" \"ctplab\": {\n");
    field("  \"clientAddress\": ", r.client_address, ",\n");
    field("  \"peerAddress\": ", r.peer_address, ",\n");
    field("  \"listener\": ", r.listener, ",\n");
    field("  \"route\": ", r.route, "\n");
    w.raw(" }\n}");
    return std::string(scratch.data(), w.end());
  }
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
