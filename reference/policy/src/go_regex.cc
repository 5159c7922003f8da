#include "go_regex.h"

#include <re2/re2.h>

#include <cstring>

#include "pki/go_strings.h"

namespace ctplab::policy {
namespace {

// RE2 and Go's regexp/syntax share their error kinds; these are Go's texts for them.
const char* goErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "invalid regular expression";
  }
}

}  // namespace

std::optional<std::string> goRegexError(const std::string& expr) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(expr, options);
  if (re.ok()) return std::nullopt;
  return "regex " + pki::goQuote(expr) +
         " is invalid: error parsing regexp: " + goErrorText(re.error_code()) + ": `" +
         re.error_arg() + "`";
}

std::string goQuoteMeta(const std::string& s) {
  static constexpr const char* kSpecial = "\\.+*?()|[]{}^$";
  std::string out;
  for (char c : s) {
    if (c != '\0' && std::strchr(kSpecial, c) != nullptr) out += '\\';
    out += c;
  }
  return out;
}

std::string pathSeparatedPrefixRegex(const std::string& prefix) {
  std::string trimmed = prefix;
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  return "^" + goQuoteMeta(trimmed) + "(/.*|\\?.*|#.*|;.*|$)";
}

}  // namespace ctplab::policy
