#include "ctplab/proxy/jwt/token_extractor.h"

#include <algorithm>

namespace ctplab::proxy::jwt {
namespace {

bool isJwtChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Invalid escapes are kept as written, as Envoy's percent decoder does.
std::string percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hexValue(s[i + 1]);
      const int lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string_view queryOf(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  return query.substr(0, query.find('#'));
}

std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::optional<std::string> cookieValue(const http1::HeaderList& headers, std::string_view name) {
  for (const http1::Header& h : headers) {
    if (!http1::equalsIgnoreCase(h.name, "cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = trimLeft(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

bool ignored(const std::vector<std::string>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& n) { return http1::equalsIgnoreCase(n, name); });
}

}  // namespace

std::optional<std::string> queryParameter(std::string_view target, std::string_view name) {
  std::string_view query = queryOf(target);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (percentDecode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string removeQueryParameter(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string_view query = target.substr(q + 1);
  const size_t hash = query.find('#');
  const std::string_view fragment =
      hash == std::string_view::npos ? std::string_view() : query.substr(hash);
  query = query.substr(0, hash);
  std::string kept;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty() || percentDecode(pair.substr(0, pair.find('='))) == name) continue;
    if (!kept.empty()) kept.push_back('&');
    kept.append(pair);
  }
  std::string out(target.substr(0, q));
  if (!kept.empty()) out.append("?").append(kept);
  out.append(fragment);
  return out;
}

std::vector<ExtractedToken> extractTokens(const CompiledProvider& provider,
                                          const http1::RequestHead& head,
                                          const std::vector<std::string>& ignored_headers) {
  std::vector<ExtractedToken> tokens;
  for (const TokenLocation& location : provider.locations) {
    switch (location.kind) {
      case TokenLocation::Kind::kHeader: {
        if (ignored(ignored_headers, location.name)) break;
        for (const http1::Header& h : head.headers) {
          if (!http1::equalsIgnoreCase(h.name, location.name)) continue;
          std::string_view value = h.value;
          if (!location.value_prefix.empty()) {
            const size_t pos = value.find(location.value_prefix);
            if (pos == std::string_view::npos) continue;
            const size_t after = pos + location.value_prefix.size();
            size_t start = after;
            while (start < value.size() && !isJwtChar(value[start])) ++start;
            // No token character at all: Envoy hands over the whole value unchanged.
            if (start < value.size()) value = value.substr(start);
          }
          tokens.push_back({std::string(value), &location});
        }
        break;
      }
      case TokenLocation::Kind::kParam: {
        auto value = queryParameter(head.target, location.name);
        if (value) tokens.push_back({std::move(*value), &location});
        break;
      }
      case TokenLocation::Kind::kCookie: {
        auto value = cookieValue(head.headers, location.name);
        if (value) tokens.push_back({std::move(*value), &location});
        break;
      }
    }
  }
  return tokens;
}

}  // namespace ctplab::proxy::jwt
