// Header-name StringMatch semantics, with the regex kept away from hostile name lengths.
#include "name_matcher.h"

#include <string>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::request {
namespace {

// libstdc++'s regex matcher recurses per input character, so an unbounded client-sent name could
// exhaust the stack. Configured names are at most 256 characters; real ones are far shorter.
constexpr size_t kMaxRegexInput = 1024;

std::string lowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<NameMatcher> NameMatcher::compile(const NameMatch& match) {
  if (match.value.empty()) return Error{"removeOnMatch: a matcher has an empty value"};
  NameMatcher out;
  out.match_ = match;
  if (match.kind == NameMatch::Kind::kRegex) {
    try {
      out.regex_ = std::make_shared<const std::regex>(match.value, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Error{"removeOnMatch: invalid regex \"" + match.value + "\": " + e.what()};
    }
  } else {
    out.match_.value = lowerCase(match.value);
  }
  return out;
}

bool NameMatcher::matches(std::string_view name) const {
  const std::string_view v = match_.value;
  switch (match_.kind) {
    case NameMatch::Kind::kExact:
      return http1::equalsIgnoreCase(name, v);
    case NameMatch::Kind::kPrefix:
      return name.size() >= v.size() && http1::equalsIgnoreCase(name.substr(0, v.size()), v);
    case NameMatch::Kind::kSuffix:
      return name.size() >= v.size() &&
             http1::equalsIgnoreCase(name.substr(name.size() - v.size()), v);
    case NameMatch::Kind::kRegex: {
      // These rules remove fields, so a name the regex cannot safely judge is removed: failing
      // closed keeps an oversized name from slipping a field past a removal rule.
      if (name.size() > kMaxRegexInput) return true;
      const std::string lowered = lowerCase(name);
      // regex_match reports resource exhaustion by throwing; that must not escape the data path.
      try {
        return std::regex_match(lowered, *regex_);
      } catch (const std::regex_error&) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace ctplab::proxy::request
