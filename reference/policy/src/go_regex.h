// Go's regexp as Envoy Gateway's translator uses it: validation with Go's error text, QuoteMeta,
// and the path-separated-prefix pattern it writes for rate-limit path selectors. Internal.
#pragma once

#include <optional>
#include <string>

namespace ctplab::policy {

// Upstream's regex.Validate: nullopt when the expression compiles, else
// `regex "<expr>" is invalid: error parsing regexp: <reason>: `<part>``.
std::optional<std::string> goRegexError(const std::string& expr);

// Go's regexp.QuoteMeta.
std::string goQuoteMeta(const std::string& s);

// A prefix that matches itself or itself followed by "/", "?", "#" or ";" (upstream's
// PathSeparatedPrefixRegex; a trailing "/" of the prefix is dropped first).
std::string pathSeparatedPrefixRegex(const std::string& prefix);

}  // namespace ctplab::policy
