// Mints JWTs for tests, scenarios and live checks: a private key (PEM or freshly generated) that
// signs compact JWS tokens, and the public JWKS a provider needs to verify them.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/result.h"

namespace ctplab::proxy::jwt {

// Not on the request path: key generation and ECDSA signatures draw on OpenSSL's random
// generator, so two runs mint different (equally valid) EC tokens. RSA signatures are
// deterministic.
class SigningKey {
 public:
  // alg: RS256, RS384, RS512, PS256 (RSA keys) or ES256, ES384 (EC P-256 / P-384 keys).
  static Result<SigningKey> fromPrivateKeyPem(std::string_view pem, std::string alg,
                                              std::string kid);
  // A new key for `alg`: RSA 2048 bits, or an EC key on the algorithm's curve.
  static Result<SigningKey> generate(std::string alg, std::string kid);

  const std::string& alg() const { return alg_; }
  const std::string& kid() const { return kid_; }  // empty: no kid in the header or the JWK

  // A compact JWS of `payload` with header {"alg","kid"?,"typ":"JWT"}.
  std::string sign(const nlohmann::json& payload) const;
  // The same with a caller-built header and raw payload text, for malformed-token tests. The
  // signature uses this key's algorithm whatever the header says.
  std::string signRaw(std::string_view header_json, std::string_view payload_json) const;

  nlohmann::json publicJwk() const;  // kty, kid?, alg, use "sig", n/e or crv/x/y
  std::string privateKeyPem() const;

 private:
  SigningKey(std::shared_ptr<EVP_PKEY> key, std::string alg, std::string kid)
      : key_(std::move(key)), alg_(std::move(alg)), kid_(std::move(kid)) {}

  std::shared_ptr<EVP_PKEY> key_;
  std::string alg_;
  std::string kid_;
};

// {"keys":[...]} with each key's public JWK, in order.
std::string jwksJson(const std::vector<const SigningKey*>& keys);

}  // namespace ctplab::proxy::jwt
