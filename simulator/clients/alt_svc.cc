// RFC 7838 section 3 grammar, as far as a client acting on it needs: comma-separated
// alternatives `protocol-id="[host]:port"` with `;`-separated parameters, or `clear`.
#include "ctplab/simulator/clients/alt_svc.h"

#include <charconv>
#include <string>

namespace ctplab::sim::clients {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<uint64_t> number(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits on `sep` outside double quotes.
template <typename Fn>
bool splitOutsideQuotes(std::string_view s, char sep, Fn&& fn) {
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '"') quoted = !quoted;
    if (i == s.size() || (s[i] == sep && !quoted)) {
      if (!fn(trim(s.substr(start, i - start)))) return false;
      start = i + 1;
    }
  }
  return !quoted;
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

}  // namespace

std::optional<AltSvc> parseAltSvc(std::string_view value) {
  AltSvc out;
  value = trim(value);
  if (value == "clear") {
    out.clear = true;
    return out;
  }
  bool found = false;
  const bool ok = splitOutsideQuotes(value, ',', [&](std::string_view alt) {
    if (alt.empty()) return true;  // `#rule` lists allow empty elements
    std::optional<uint16_t> port;
    Duration max_age = Duration::seconds(86400);
    bool first = true;
    bool is_h3 = false;
    const bool parts_ok = splitOutsideQuotes(alt, ';', [&](std::string_view part) {
      const size_t eq = part.find('=');
      if (eq == std::string_view::npos) return !first && part.empty();
      const std::string_view key = trim(part.substr(0, eq));
      const std::string_view val = unquote(trim(part.substr(eq + 1)));
      if (first) {
        first = false;
        is_h3 = key == "h3";
        const size_t colon = val.rfind(':');
        if (colon == std::string_view::npos) return false;
        auto p = number(val.substr(colon + 1));
        if (!p || *p == 0 || *p > 65535) return false;
        if (!val.substr(0, colon).empty()) return true;  // another host: not ours to follow
        port = static_cast<uint16_t>(*p);
        return true;
      }
      if (key == "ma") {
        auto seconds = number(val);
        if (!seconds) return false;
        max_age = Duration::seconds(static_cast<int64_t>(std::min<uint64_t>(*seconds, 1u << 30)));
      }
      return true;  // `persist` and unknown parameters are ignored
    });
    if (!parts_ok || first) return false;
    if (is_h3 && port && !found) {
      found = true;
      out.h3_port = port;
      out.max_age = max_age;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ctplab::sim::clients
