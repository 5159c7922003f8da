#include "ctplab/proxy/jwt/jwks.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "jwt/base64url.h"
#include "jwt/openssl_handles.h"

namespace ctplab::proxy::jwt {
namespace {

using nlohmann::json;

enum class Field { kOk, kMissing, kWrongType };

Field getString(const json& object, const char* name, std::string& out) {
  const auto it = object.find(name);
  if (it == object.end()) return Field::kMissing;
  if (!it->is_string()) return Field::kWrongType;
  out = it->get<std::string>();
  return Field::kOk;
}

ossl::BignumPtr bignumFromBase64Url(const std::string& text) {
  const auto bytes = base64UrlDecode(text);
  if (!bytes || bytes->empty()) return nullptr;
  return ossl::BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                                   static_cast<int>(bytes->size()), nullptr));
}

ossl::PkeyPtr keyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
  ossl::ParamsPtr params(OSSL_PARAM_BLD_to_param(builder));
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return ossl::PkeyPtr(raw);
}

Status rsaKey(const json& object, Jwk& jwk) {
  if (!jwk.alg.empty() && !jwk.alg.starts_with("RS") && !jwk.alg.starts_with("PS")) {
    return Status::kJwksRsaKeyBadAlg;
  }
  std::string n;
  std::string e;
  switch (getString(object, "n", n)) {
    case Field::kMissing:
      return Status::kJwksRsaKeyMissingN;
    case Field::kWrongType:
      return Status::kJwksRsaKeyBadN;
    case Field::kOk:
      break;
  }
  switch (getString(object, "e", e)) {
    case Field::kMissing:
      return Status::kJwksRsaKeyMissingE;
    case Field::kWrongType:
      return Status::kJwksRsaKeyBadE;
    case Field::kOk:
      break;
  }
  ossl::BignumPtr n_bn = bignumFromBase64Url(n);
  ossl::BignumPtr e_bn = bignumFromBase64Url(e);
  if (!n_bn || !e_bn) return Status::kJwksRsaParseError;
  // jwt_verify_lib rejects non-standard public exponents up front.
  if (!BN_is_word(e_bn.get(), 3) && !BN_is_word(e_bn.get(), 65537)) {
    return Status::kJwksRsaParseError;
  }
  ossl::ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return Status::kJwksRsaParseError;
  }
  ossl::PkeyPtr key = keyFromParams("RSA", builder.get());
  if (!key) return Status::kJwksRsaParseError;
  jwk.key = ossl::sharePkey(std::move(key));
  return Status::kOk;
}

struct Curve {
  const char* crv;
  const char* alg;
  const char* group;  // OpenSSL group name
  size_t field_bytes;
};
constexpr Curve kCurves[] = {{"P-256", "ES256", SN_X9_62_prime256v1, 32},
                             {"P-384", "ES384", SN_secp384r1, 48},
                             {"P-521", "ES512", SN_secp521r1, 66}};

// Left-pads a big-endian coordinate to the field size; a longer one is not on the curve.
std::optional<std::string> coordinate(const std::string& bytes, size_t field_bytes) {
  if (bytes.size() > field_bytes) return std::nullopt;
  return std::string(field_bytes - bytes.size(), '\0') + bytes;
}

Status ecKey(const json& object, Jwk& jwk) {
  if (!jwk.alg.empty() && !jwk.alg.starts_with("ES")) return Status::kJwksEcKeyBadAlg;
  std::string crv;
  if (getString(object, "crv", crv) == Field::kWrongType) return Status::kJwksEcKeyBadCrv;
  if (!jwk.alg.empty() && !crv.empty()) {
    bool compatible = false;
    for (const Curve& c : kCurves) compatible |= (jwk.alg == c.alg && crv == c.crv);
    if (!compatible) return Status::kJwksEcKeyAlgNotCompatibleWithCrv;
  }
  if (jwk.alg.empty() && crv.empty()) crv = "P-256";  // jwt_verify_lib's assumption
  const Curve* curve = nullptr;
  for (const Curve& c : kCurves) {
    if (jwk.alg == c.alg || crv == c.crv) {
      curve = &c;
      break;
    }
  }
  if (curve == nullptr) return Status::kJwksEcKeyAlgOrCrvUnsupported;
  jwk.crv = curve->crv;
  std::string x;
  std::string y;
  switch (getString(object, "x", x)) {
    case Field::kMissing:
      return Status::kJwksEcKeyMissingX;
    case Field::kWrongType:
      return Status::kJwksEcKeyBadX;
    case Field::kOk:
      break;
  }
  switch (getString(object, "y", y)) {
    case Field::kMissing:
      return Status::kJwksEcKeyMissingY;
    case Field::kWrongType:
      return Status::kJwksEcKeyBadY;
    case Field::kOk:
      break;
  }
  const auto x_bytes = base64UrlDecode(x);
  const auto y_bytes = base64UrlDecode(y);
  if (!x_bytes || !y_bytes) return Status::kJwksEcXorYBadBase64;
  const auto x_fixed = coordinate(*x_bytes, curve->field_bytes);
  const auto y_fixed = coordinate(*y_bytes, curve->field_bytes);
  if (!x_fixed || !y_fixed) return Status::kJwksEcParseError;
  // An uncompressed SEC1 point; OpenSSL rejects one that is not on the curve.
  const std::string point = std::string(1, '\x04') + *x_fixed + *y_fixed;
  ossl::ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Status::kJwksEcCreateKeyFail;
  }
  ossl::PkeyPtr key = keyFromParams("EC", builder.get());
  if (!key) return Status::kJwksEcParseError;
  jwk.key = ossl::sharePkey(std::move(key));
  return Status::kOk;
}

Status extractJwk(const json& object, Jwk& jwk) {
  switch (getString(object, "kty", jwk.kty)) {
    case Field::kMissing:
      return Status::kJwksMissingKty;
    case Field::kWrongType:
      return Status::kJwksBadKty;
    case Field::kOk:
      break;
  }
  // Optional; a non-string value is treated as absent.
  getString(object, "kid", jwk.kid);
  getString(object, "alg", jwk.alg);
  if (jwk.kty == "RSA") return rsaKey(object, jwk);
  if (jwk.kty == "EC") return ecKey(object, jwk);
  return Status::kJwksNotImplementedKty;
}

}  // namespace

JwksParse parseJwks(std::string_view text) {
  JwksParse out;
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.status = Status::kJwksParseError;
    return out;
  }
  const auto keys = doc.find("keys");
  if (keys == doc.end()) {
    out.status = Status::kJwksNoKeys;
    return out;
  }
  if (!keys->is_array()) {
    out.status = Status::kJwksBadKeys;
    return out;
  }
  Status first_error = Status::kOk;
  for (size_t i = 0; i < keys->size(); ++i) {
    const json& entry = (*keys)[i];
    if (!entry.is_object()) continue;  // jwt_verify_lib ignores non-object entries silently
    Jwk jwk;
    const Status status = extractJwk(entry, jwk);
    if (status == Status::kOk) {
      out.jwks.keys.push_back(std::move(jwk));
    } else {
      out.jwks.skipped.push_back({i, status});
      if (first_error == Status::kOk) first_error = status;
    }
  }
  if (out.jwks.keys.empty()) {
    out.status = first_error == Status::kOk ? Status::kJwksNoValidKeys : first_error;
  }
  return out;
}

}  // namespace ctplab::proxy::jwt
