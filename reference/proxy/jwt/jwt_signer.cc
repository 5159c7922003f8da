#include "ctplab/proxy/jwt/jwt_signer.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "jwt/base64url.h"
#include "jwt/openssl_handles.h"

namespace ctplab::proxy::jwt {
namespace {

struct AlgInfo {
  std::string_view alg;
  bool rsa;
  bool pss;
  const char* curve;  // EC only: OpenSSL group name
  const char* crv;    // EC only: JWK name
  size_t field_bytes;
  const EVP_MD* (*md)();
};

constexpr AlgInfo kAlgs[] = {
    {"RS256", true, false, nullptr, nullptr, 0, EVP_sha256},
    {"RS384", true, false, nullptr, nullptr, 0, EVP_sha384},
    {"RS512", true, false, nullptr, nullptr, 0, EVP_sha512},
    {"PS256", true, true, nullptr, nullptr, 0, EVP_sha256},
    {"ES256", false, false, "P-256", "P-256", 32, EVP_sha256},
    {"ES384", false, false, "P-384", "P-384", 48, EVP_sha384},
};

const AlgInfo* algInfo(std::string_view alg) {
  for (const AlgInfo& a : kAlgs) {
    if (a.alg == alg) return &a;
  }
  return nullptr;
}

std::string bignumBytes(const BIGNUM* bn, size_t width) {
  const size_t n = static_cast<size_t>(BN_num_bytes(bn));
  std::string out(std::max(n, width), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

std::string bignumParam(EVP_PKEY* key, const char* name, size_t width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
  ossl::BignumPtr bn(raw);
  return base64UrlEncode(bignumBytes(bn.get(), width));
}

bool keyMatches(EVP_PKEY* key, const AlgInfo& info) {
  if (info.rsa) return EVP_PKEY_is_a(key, "RSA") == 1;
  if (EVP_PKEY_is_a(key, "EC") != 1) return false;
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &len) !=
      1) {
    return false;
  }
  const std::string_view name(group, len);
  const bool p256 = name == "prime256v1" || name == "P-256";
  const bool p384 = name == "secp384r1" || name == "P-384";
  return std::string_view(info.crv) == "P-256" ? p256 : p384;
}

}  // namespace

Result<SigningKey> SigningKey::fromPrivateKeyPem(std::string_view pem, std::string alg,
                                                 std::string kid) {
  const AlgInfo* info = algInfo(alg);
  if (info == nullptr) return Error{"unsupported signing algorithm \"" + alg + "\""};
  ossl::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (!key) return Error{"not a PEM private key"};
  if (!keyMatches(key.get(), *info)) return Error{"the key does not fit algorithm " + alg};
  return SigningKey(ossl::sharePkey(std::move(key)), std::move(alg), std::move(kid));
}

Result<SigningKey> SigningKey::generate(std::string alg, std::string kid) {
  const AlgInfo* info = algInfo(alg);
  if (info == nullptr) return Error{"unsupported signing algorithm \"" + alg + "\""};
  EVP_PKEY* raw = info->rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", info->curve);
  if (raw == nullptr) return Error{"key generation failed"};
  return SigningKey(ossl::sharePkey(ossl::PkeyPtr(raw)), std::move(alg), std::move(kid));
}

std::string SigningKey::sign(const nlohmann::json& payload) const {
  nlohmann::json header = {{"alg", alg_}, {"typ", "JWT"}};
  if (!kid_.empty()) header["kid"] = kid_;
  return signRaw(header.dump(), payload.dump());
}

std::string SigningKey::signRaw(std::string_view header_json, std::string_view payload_json) const {
  const AlgInfo& info = *algInfo(alg_);
  const std::string input = base64UrlEncode(header_json) + "." + base64UrlEncode(payload_json);
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  size_t len = 0;
  bool ok = ctx && EVP_DigestSignInit(ctx.get(), &pctx, info.md(), nullptr, key_.get()) == 1;
  if (ok && info.pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, info.md()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  ok = ok && EVP_DigestSign(ctx.get(), nullptr, &len, data, input.size()) == 1;
  std::string signature(len, '\0');
  ok = ok && EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                            data, input.size()) == 1;
  ERR_clear_error();
  if (!ok) return input + ".";
  signature.resize(len);
  if (!info.rsa) {
    // OpenSSL writes DER; JWS wants r and s as fixed-width big-endian halves.
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size())));
    if (!sig) return input + ".";
    signature = bignumBytes(ECDSA_SIG_get0_r(sig.get()), info.field_bytes) +
                bignumBytes(ECDSA_SIG_get0_s(sig.get()), info.field_bytes);
  }
  return input + "." + base64UrlEncode(signature);
}

nlohmann::json SigningKey::publicJwk() const {
  const AlgInfo& info = *algInfo(alg_);
  nlohmann::json jwk;
  if (info.rsa) {
    jwk = {{"kty", "RSA"},
           {"n", bignumParam(key_.get(), OSSL_PKEY_PARAM_RSA_N, 0)},
           {"e", bignumParam(key_.get(), OSSL_PKEY_PARAM_RSA_E, 0)}};
  } else {
    jwk = {{"kty", "EC"},
           {"crv", info.crv},
           {"x", bignumParam(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, info.field_bytes)},
           {"y", bignumParam(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, info.field_bytes)}};
  }
  jwk["alg"] = alg_;
  jwk["use"] = "sig";
  if (!kid_.empty()) jwk["kid"] = kid_;
  return jwk;
}

std::string SigningKey::privateKeyPem() const {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string jwksJson(const std::vector<const SigningKey*>& keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const SigningKey* key : keys) list.push_back(key->publicJwk());
  return nlohmann::json{{"keys", std::move(list)}}.dump();
}

}  // namespace ctplab::proxy::jwt
