// Reading and writing header fields that Envoy folds into one value.
#include "header_fields.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace ctplab::proxy::client_ip {

std::optional<std::string> combinedValue(const http1::HeaderList& headers, std::string_view name) {
  std::optional<std::string> out;
  for (const http1::Header& h : headers) {
    if (h.name.size() != name.size() || !http1::equalsIgnoreCase(h.name, name)) continue;
    if (!out) {
      out = h.value;
    } else if (!h.value.empty()) {
      if (!out->empty()) *out += ',';
      *out += h.value;
    }
  }
  return out;
}

bool setSingleField(http1::HeaderList& headers, std::string_view name, std::string value) {
  // Lengths first, inline: most fields differ in length from the one looked for.
  auto named = [name](const http1::Header& h) {
    return h.name.size() == name.size() && http1::equalsIgnoreCase(h.name, name);
  };
  auto first = std::find_if(headers.begin(), headers.end(), named);
  if (first == headers.end()) {
    headers.push_back({std::string(name), std::move(value)});
    // Names come lower-case from the callers' constants nearly always: lowered only if needed.
    std::string& added = headers.back().name;
    if (std::any_of(added.begin(), added.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      std::transform(added.begin(), added.end(), added.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      });
    }
    return false;
  }
  first->value = std::move(value);
  headers.erase(std::remove_if(std::next(first), headers.end(), named), headers.end());
  return true;
}

}  // namespace ctplab::proxy::client_ip
