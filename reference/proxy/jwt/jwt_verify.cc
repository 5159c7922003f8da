#include "ctplab/proxy/jwt/jwt_verify.h"

#include <openssl/err.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "ctplab/proxy/jwt/parsed_jwt.h"
#include "jwt/openssl_handles.h"

namespace ctplab::proxy::jwt {
namespace {

const EVP_MD* digestFor(std::string_view alg) {
  if (alg.ends_with("384")) return EVP_sha384();
  if (alg.ends_with("512")) return EVP_sha512();
  return EVP_sha256();  // jwt_verify_lib's default for anything else
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool digestVerify(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view signature,
                  std::string_view data) {
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data),
                              data.size()) == 1;
  // A failed verification leaves errors queued; they must not leak into unrelated TLS calls.
  ERR_clear_error();
  return ok;
}

// JWS carries ECDSA signatures as raw r||s; OpenSSL verifies DER. Like jwt_verify_lib, the
// signature is cut in half whatever its length, so a wrong length simply fails to verify.
bool ecdsaVerify(EVP_PKEY* key, const EVP_MD* md, std::string_view signature,
                 std::string_view data) {
  const size_t half = signature.size() / 2;
  ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
  ossl::BignumPtr r(BN_bin2bn(bytes(signature), static_cast<int>(half), nullptr));
  ossl::BignumPtr s(BN_bin2bn(bytes(signature) + half, static_cast<int>(half), nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return false;
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return false;
  const std::string der_sig(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  return digestVerify(key, md, /*pss=*/false, der_sig, data);
}

}  // namespace

SignatureCheck verifySignature(const ParsedJwt& jwt, const Jwks& jwks) {
  SignatureCheck out;
  bool candidate = false;
  const std::string_view alg = jwt.alg;
  const EVP_MD* md = digestFor(alg);
  for (const Jwk& jwk : jwks.keys) {
    if (!jwt.kid.empty() && !jwk.kid.empty() && jwk.kid != jwt.kid) continue;
    if (!jwk.alg.empty() && jwk.alg != jwt.alg) continue;
    candidate = true;
    bool verified = false;
    if (jwk.kty == "EC") {
      ++out.verifications;
      verified = ecdsaVerify(jwk.key.get(), md, jwt.signature, jwt.signing_input);
    } else if (jwk.kty == "RSA" && (alg.starts_with("RS") || alg.starts_with("PS"))) {
      ++out.verifications;
      verified =
          digestVerify(jwk.key.get(), md, alg.starts_with("PS"), jwt.signature, jwt.signing_input);
    }
    if (verified) return out;  // status kOk
  }
  out.status = candidate ? Status::kJwtVerificationFail : Status::kJwksKidAlgMismatch;
  return out;
}

}  // namespace ctplab::proxy::jwt
