// Go's UTF-8 and text rules (unicode/utf8, bytes.TrimSpace, strconv.Quote, fmt %v of []string)
// reproduced because their exact output leaks into the error messages Envoy Gateway reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ctplab::policy::pki {

// Go utf8.Valid.
bool utf8Valid(std::string_view s);

// Appends the UTF-8 encoding of r (Go utf8.AppendRune for valid runes).
void appendRune(std::string* out, char32_t r);

// Go bytes.TrimSpace: Unicode-aware, so header values lose e.g. a trailing NBSP too.
std::string_view trimSpace(std::string_view s);

// Go strconv.Quote (fmt %q): control bytes, invalid UTF-8 and runes Go does not print are
// escaped, printable Unicode is copied. Unassigned code points are copied, where Go escapes them.
std::string goQuote(std::string_view s);

// The quoting of Go's time package (its duration errors): unlike strconv, every control byte and
// every byte of a non-ASCII rune is written as `\xNN`.
std::string goTimeQuote(std::string_view s);

// Go's fmt %v of a []string: "[a b c]".
std::string goStringSlice(const std::vector<std::string>& items);

// Lower-case hex, as Go's %x and hex.EncodeToString print bytes.
std::string hexLower(std::string_view bytes);

}  // namespace ctplab::policy::pki
