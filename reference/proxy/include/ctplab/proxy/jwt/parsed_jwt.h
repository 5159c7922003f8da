// A JWT split into its three parts and decoded, with the registered claims read and checked for
// type the way jwt_verify_lib reads them; and the exp/nbf check against a caller-given instant.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/jwt/clock_skew.h"
#include "ctplab/proxy/jwt/jwt_status.h"

namespace ctplab::proxy::jwt {

struct ParsedJwt {
  nlohmann::json header;   // a JSON object
  nlohmann::json payload;  // a JSON object
  std::string alg;
  std::string kid;  // empty when absent
  std::string iss;  // empty when absent
  std::string sub;
  std::string jti;
  std::vector<std::string> audiences;  // `aud` as a string or a string list
  // Whole seconds; a fraction is dropped. 0 means absent: no exp means the token never expires.
  uint64_t iat = 0;
  uint64_t nbf = 0;
  uint64_t exp = 0;
  std::string signing_input;  // "<header>.<payload>" as sent: what the signature covers
  std::string payload_base64url;
  std::string signature;  // decoded bytes
};

struct JwtParse {
  Status status = Status::kOk;
  std::shared_ptr<const ParsedJwt> jwt;  // set when status is kOk
};

// Accepts the algorithms jwt_verify_lib implements (RS/PS/ES/HS 256-512, EdDSA); anything else,
// `none` included, is kJwtHeaderNotImplementedAlg. Empty parts are dropped before counting, so
// "a..b.c" has three parts, as in Envoy.
JwtParse parseJwt(std::string_view token);

// kJwtNotYetValid when now + skew < nbf; kJwtExpired when exp is set and now > exp + skew; both
// in whole seconds, so a token is still valid during the second exp + skew.
Status checkTimeConstraint(const ParsedJwt& jwt, int64_t now_unix_seconds,
                           uint64_t skew_seconds = kDefaultClockSkewSeconds);

}  // namespace ctplab::proxy::jwt
