#include "authz/operation_match.h"

#include <re2/re2.h>

#include <algorithm>

namespace ctplab::proxy::authz {

namespace {

// What may follow the matched part: the end, or the start of a query, fragment or parameters.
bool endsAtBoundary(std::string_view rest, bool segment) {
  if (rest.empty()) return true;
  const char c = rest.front();
  return c == '?' || c == '#' || c == ';' || (segment && c == '/');
}

bool pathMatches(const PathMatch& match, const re2::RE2* regex, std::string_view path) {
  switch (match.type) {
    case PathMatch::Type::kExact:
      return path.starts_with(match.value) &&
             endsAtBoundary(path.substr(match.value.size()), false);
    case PathMatch::Type::kPrefix: {
      if (match.value == "/") return path.starts_with('/');
      std::string_view prefix = match.value;
      if (prefix.ends_with('/')) prefix.remove_suffix(1);
      return path.starts_with(prefix) && endsAtBoundary(path.substr(prefix.size()), true);
    }
    case PathMatch::Type::kRegex:
      return regex != nullptr && re2::RE2::FullMatch(path, *regex);
  }
  return false;
}

}  // namespace

bool operationMatches(const AuthzRule& rule, const re2::RE2* path_regex, std::string_view method,
                      std::string_view path) {
  if (!rule.methods.empty() &&
      std::find(rule.methods.begin(), rule.methods.end(), method) == rule.methods.end()) {
    return false;
  }
  if (!rule.path) return true;
  return pathMatches(*rule.path, path_regex, path) != rule.path->invert;
}

}  // namespace ctplab::proxy::authz
