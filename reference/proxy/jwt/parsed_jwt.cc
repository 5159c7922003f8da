#include "ctplab/proxy/jwt/parsed_jwt.h"

#include <limits>
#include <optional>
#include <utility>

#include "jwt/base64url.h"

namespace ctplab::proxy::jwt {
namespace {

using nlohmann::json;

enum class Read { kOk, kMissing, kWrongType, kOutOfRange };

Read readString(const json& object, const char* name, std::string& out) {
  const auto it = object.find(name);
  if (it == object.end()) return Read::kMissing;
  if (!it->is_string()) return Read::kWrongType;
  out = it->get<std::string>();
  return Read::kOk;
}

// Protobuf's Struct keeps every JSON number as a double; jwt_verify_lib truncates that.
Read readUint64(const json& object, const char* name, uint64_t& out) {
  const auto it = object.find(name);
  if (it == object.end()) return Read::kMissing;
  if (!it->is_number()) return Read::kWrongType;
  const double value = it->get<double>();
  if (!(value >= 0) || value >= static_cast<double>(std::numeric_limits<uint64_t>::max())) {
    return Read::kOutOfRange;
  }
  out = static_cast<uint64_t>(value);
  return Read::kOk;
}

Read readStringList(const json& object, const char* name, std::vector<std::string>& out) {
  const auto it = object.find(name);
  if (it == object.end()) return Read::kMissing;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return Read::kOk;
  }
  if (!it->is_array()) return Read::kWrongType;
  for (const json& v : *it) {
    if (!v.is_string()) return Read::kWrongType;
    out.push_back(v.get<std::string>());
  }
  return Read::kOk;
}

Status readNumericClaim(const json& payload, const char* name, uint64_t& out, Status not_integer,
                        Status out_of_range) {
  switch (readUint64(payload, name, out)) {
    case Read::kWrongType:
      return not_integer;
    case Read::kOutOfRange:
      return out_of_range;
    default:
      return Status::kOk;
  }
}

bool isImplementedAlg(std::string_view alg) {
  static constexpr std::string_view kAlgs[] = {"ES256", "ES384", "ES512", "HS256", "HS384",
                                               "HS512", "RS256", "RS384", "RS512", "PS256",
                                               "PS384", "PS512", "EdDSA"};
  for (std::string_view a : kAlgs) {
    if (a == alg) return true;
  }
  return false;
}

std::optional<json> parseObject(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

}  // namespace

JwtParse parseJwt(std::string_view token) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= token.size()) {
    const size_t dot = token.find('.', start);
    const size_t end = dot == std::string_view::npos ? token.size() : dot;
    if (end > start) parts.push_back(token.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) return {Status::kJwtBadFormat, nullptr};

  auto jwt = std::make_shared<ParsedJwt>();
  const auto header_text = base64UrlDecode(parts[0]);
  if (!header_text) return {Status::kJwtHeaderParseErrorBadBase64, nullptr};
  auto header = parseObject(*header_text);
  if (!header) return {Status::kJwtHeaderParseErrorBadJson, nullptr};
  jwt->header = std::move(*header);
  if (readString(jwt->header, "alg", jwt->alg) != Read::kOk) {
    return {Status::kJwtHeaderBadAlg, nullptr};
  }
  if (!isImplementedAlg(jwt->alg)) return {Status::kJwtHeaderNotImplementedAlg, nullptr};
  if (readString(jwt->header, "kid", jwt->kid) == Read::kWrongType) {
    return {Status::kJwtHeaderBadKid, nullptr};
  }

  const auto payload_text = base64UrlDecode(parts[1]);
  if (!payload_text) return {Status::kJwtPayloadParseErrorBadBase64, nullptr};
  auto payload = parseObject(*payload_text);
  if (!payload) return {Status::kJwtPayloadParseErrorBadJson, nullptr};
  jwt->payload = std::move(*payload);
  const json& p = jwt->payload;
  if (readString(p, "iss", jwt->iss) == Read::kWrongType) {
    return {Status::kJwtPayloadParseErrorIssNotString, nullptr};
  }
  if (readString(p, "sub", jwt->sub) == Read::kWrongType) {
    return {Status::kJwtPayloadParseErrorSubNotString, nullptr};
  }
  Status s = readNumericClaim(p, "iat", jwt->iat, Status::kJwtPayloadParseErrorIatNotInteger,
                              Status::kJwtPayloadParseErrorIatOutOfRange);
  if (s == Status::kOk) {
    s = readNumericClaim(p, "nbf", jwt->nbf, Status::kJwtPayloadParseErrorNbfNotInteger,
                         Status::kJwtPayloadParseErrorNbfOutOfRange);
  }
  if (s == Status::kOk) {
    s = readNumericClaim(p, "exp", jwt->exp, Status::kJwtPayloadParseErrorExpNotInteger,
                         Status::kJwtPayloadParseErrorExpOutOfRange);
  }
  if (s != Status::kOk) return {s, nullptr};
  if (readString(p, "jti", jwt->jti) == Read::kWrongType) {
    return {Status::kJwtPayloadParseErrorJtiNotString, nullptr};
  }
  if (readStringList(p, "aud", jwt->audiences) == Read::kWrongType) {
    return {Status::kJwtPayloadParseErrorAudNotString, nullptr};
  }

  const auto signature = base64UrlDecode(parts[2]);
  if (!signature) return {Status::kJwtSignatureParseErrorBadBase64, nullptr};
  jwt->signature = *signature;
  jwt->signing_input.reserve(parts[0].size() + 1 + parts[1].size());
  jwt->signing_input.append(parts[0]).append(1, '.').append(parts[1]);
  jwt->payload_base64url = std::string(parts[1]);
  return {Status::kOk, std::move(jwt)};
}

Status checkTimeConstraint(const ParsedJwt& jwt, int64_t now_unix_seconds, uint64_t skew_seconds) {
  // 128 bits so that neither a pre-1970 virtual clock nor a huge exp wraps around.
  __extension__ using Wide = __int128;
  const Wide now = now_unix_seconds;
  const Wide skew = skew_seconds;
  if (now + skew < static_cast<Wide>(jwt.nbf)) return Status::kJwtNotYetValid;
  if (jwt.exp != 0 && now > static_cast<Wide>(jwt.exp) + skew) return Status::kJwtExpired;
  return Status::kOk;
}

}  // namespace ctplab::proxy::jwt
