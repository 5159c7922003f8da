// Reading claims out of a verified payload: dotted paths into nested objects, the string Envoy
// writes into a claim header, and the scope normalization Envoy Gateway asks for.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ctplab::proxy::jwt {

// The value at `dotted` ("user.roles"), or nullptr when a segment is missing or an intermediate
// value is not an object. Segments are split on every dot; there is no escaping.
const nlohmann::json* findClaim(const nlohmann::json& payload, std::string_view dotted);

// What Envoy puts into a claim header: strings as they are, integral non-negative numbers as
// integers, other numbers in printf %f form, booleans as true/false, objects and arrays as
// padded base64 of their JSON. nullopt (no header) for null and for an empty result.
std::optional<std::string> claimHeaderValue(const nlohmann::json& value);

// A copy of `payload` where top-level `scope` and `scp` strings become lists of their
// space-separated words. A claim that is not a string, or has no words, is left unchanged.
nlohmann::json normalizeSpaceDelimitedClaims(const nlohmann::json& payload);

}  // namespace ctplab::proxy::jwt
