#include "jwt/claims.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "jwt/base64url.h"

namespace ctplab::proxy::jwt {

using nlohmann::json;

const json* findClaim(const json& payload, std::string_view dotted) {
  const json* current = &payload;
  while (true) {
    if (!current->is_object()) return nullptr;
    const size_t dot = dotted.find('.');
    const auto it = current->find(std::string(dotted.substr(0, dot)));
    if (it == current->end()) return nullptr;
    if (dot == std::string_view::npos) return &*it;
    current = &*it;
    dotted.remove_prefix(dot + 1);
  }
}

std::optional<std::string> claimHeaderValue(const json& value) {
  std::string out;
  if (value.is_string()) {
    out = value.get<std::string>();
  } else if (value.is_boolean()) {
    out = value.get<bool>() ? "true" : "false";
  } else if (value.is_number()) {
    // Envoy sees every number as a double (protobuf Struct).
    const double d = value.get<double>();
    double integral = 0;
    if (d >= 0 && d < static_cast<double>(std::numeric_limits<uint64_t>::max()) &&
        std::modf(d, &integral) == 0) {
      out = std::to_string(static_cast<uint64_t>(d));
    } else {
      out = std::to_string(d);
    }
  } else if (value.is_object() || value.is_array()) {
    out = base64Encode(value.dump());
  }
  if (out.empty()) return std::nullopt;
  return out;
}

json normalizeSpaceDelimitedClaims(const json& payload) {
  json out = payload;
  for (const char* claim : {"scope", "scp"}) {
    const auto it = payload.find(claim);
    if (it == payload.end() || !it->is_string()) continue;
    const std::string& text = it->get_ref<const std::string&>();
    json words = json::array();
    size_t start = 0;
    while (start < text.size()) {
      const size_t space = text.find(' ', start);
      const size_t end = space == std::string::npos ? text.size() : space;
      if (end > start) words.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    if (!words.empty()) out[claim] = std::move(words);
  }
  return out;
}

}  // namespace ctplab::proxy::jwt
