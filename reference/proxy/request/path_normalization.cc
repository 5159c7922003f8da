// The path steps of Envoy's connection manager (maybeNormalizePath) in its order: fragment check,
// escaped slashes, canonicalization, slash merging.
#include "ctplab/proxy/request/path_normalization.h"

#include <algorithm>
#include <utility>

namespace ctplab::proxy::request {
namespace {

NormalizedPath reject() { return {NormalizedPath::Outcome::kReject, {}}; }

// Letters, digits, '/', '-' and '_' after a leading slash: no escape, no dot segment and no
// backslash, so the canonicalizer would return it unchanged. Most paths are like this, and the
// canonicalizer's walk costs many times this scan.
bool isPlainPath(std::string_view part) {
  if (part.empty() || part.front() != '/') return false;
  for (char c : part) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '-' || c == '_';
    if (!plain) return false;
  }
  return true;
}

}  // namespace

bool unescapeSlashes(std::string& path) {
  const size_t query = std::min(path.find('?'), path.size());
  if (path.find('%') >= query) return false;
  std::string out;
  out.reserve(path.size());
  bool found = false;
  size_t i = 0;
  while (i < query) {
    if (path[i] == '%' && i + 3 <= query) {
      const char a = path[i + 1];
      const char b = path[i + 2];
      if (a == '2' && (b == 'F' || b == 'f')) {
        out.push_back('/');
        i += 3;
        found = true;
        continue;
      }
      if (a == '5' && (b == 'C' || b == 'c')) {
        out.push_back('\\');
        i += 3;
        found = true;
        continue;
      }
    }
    out.push_back(path[i]);
    ++i;
  }
  if (!found) return false;
  out.append(path, query, std::string::npos);
  path = std::move(out);
  return true;
}

std::string mergeSlashes(std::string_view path) {
  const size_t query = std::min(path.find('?'), path.size());
  const std::string_view part = path.substr(0, query);
  if (part.find("//") == std::string_view::npos) return std::string(path);
  // Rebuilt from its non-empty segments, as Envoy does; hence "//" alone stays "//" (one leading
  // plus one trailing slash).
  std::string out;
  out.reserve(path.size());
  if (part.front() == '/') out.push_back('/');
  bool first = true;
  size_t start = 0;
  while (start <= part.size()) {
    const size_t end = std::min(part.find('/', start), part.size());
    if (end > start) {
      if (!first) out.push_back('/');
      out.append(part.substr(start, end - start));
      first = false;
    }
    start = end + 1;
  }
  if (part.back() == '/') out.push_back('/');
  out.append(path.substr(query));
  return out;
}

NormalizedPath normalizePath(std::string_view path, const PathNormalizationOptions& options) {
  // A fragment is never sent legitimately and would let a path slip past path-based rules;
  // Envoy's default runtime rejects it instead of stripping it.
  if (path.find('#') != std::string_view::npos) return reject();

  NormalizedPath result;
  if (isPlainPath(path.substr(0, path.find('?')))) {
    result.path = options.merge_slashes ? mergeSlashes(path) : std::string(path);
    return result;
  }
  std::string current(path);
  if (options.escaped_slashes != EscapedSlashesAction::kKeepUnchanged && unescapeSlashes(current)) {
    switch (options.escaped_slashes) {
      case EscapedSlashesAction::kRejectRequest:
        return reject();
      case EscapedSlashesAction::kUnescapeAndRedirect:
        // Normalization still runs to the end: the redirect points at the final path.
        result.outcome = NormalizedPath::Outcome::kRedirect;
        break;
      case EscapedSlashesAction::kKeepUnchanged:
      case EscapedSlashesAction::kUnescapeAndForward:
        break;
    }
  }
  std::optional<std::string> canonical = canonicalizePath(current);
  if (!canonical) return reject();
  result.path = options.merge_slashes ? mergeSlashes(*canonical) : std::move(*canonical);
  return result;
}

}  // namespace ctplab::proxy::request
