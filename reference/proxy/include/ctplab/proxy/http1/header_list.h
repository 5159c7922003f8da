// Header fields as they travel through the HTTP/1 codec: ordered, with the sender's name case.
// Lookups ignore case because HTTP field names are case-insensitive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ctplab::proxy::http1 {

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};

// Kept a plain vector: order matters for re-encoding and duplicates are legal.
using HeaderList = std::vector<Header>;

bool equalsIgnoreCase(std::string_view a, std::string_view b);

// The first field called `name` (any case), or nullptr.
const Header* findHeader(const HeaderList& headers, std::string_view name);

// `s` without the spaces and tabs around it (RFC 9110's optional whitespace).
std::string_view trimOws(std::string_view s);

// Whether a comma-separated value such as `keep-alive, Upgrade` lists `token` (any case).
bool hasToken(std::string_view value, std::string_view token);

// RFC 9110 token characters: what a field name may contain.
bool isTokenChar(char c);
bool isValidFieldName(std::string_view name);
// A value must not smuggle a line break or NUL into the serialized message.
bool isValidFieldValue(std::string_view value);

}  // namespace ctplab::proxy::http1
