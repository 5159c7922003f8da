// Base64url (RFC 4648 §5) as JWS uses it, on top of OpenSSL's base64 block codec.
// Decoding accepts what Envoy's decoder accepts for JWTs, minus whitespace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ctplab::proxy::jwt {

// The bytes `text` encodes, or nullopt. Padding is optional but, when present, must be exactly
// what the length calls for; a length of 1 mod 4 is never valid. Like abseil's decoder (which
// jwt_verify_lib uses), unused low bits of the last character are not checked.
std::optional<std::string> base64UrlDecode(std::string_view text);

// Unpadded base64url, as JWS segments are written.
std::string base64UrlEncode(std::string_view bytes);

// Standard padded base64, as Envoy writes object and array claims into headers.
std::string base64Encode(std::string_view bytes);

}  // namespace ctplab::proxy::jwt
