// A JSON Web Key Set parsed into OpenSSL public keys, with jwt_verify_lib's rules for which keys
// it keeps: RSA and EC (P-256, P-384, P-521) keys; a bad key is skipped, not fatal.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/jwt/jwt_status.h"

namespace ctplab::proxy::jwt {

struct Jwk {
  std::string kty;  // "RSA" or "EC"
  std::string kid;  // empty: matches a token with any kid
  std::string alg;  // empty: matches a token with any alg
  std::string crv;  // EC only: "P-256", "P-384" or "P-521"
  std::shared_ptr<EVP_PKEY> key;
};

struct SkippedJwk {
  size_t index = 0;  // position in `keys`
  Status reason = Status::kOk;
};

struct Jwks {
  std::vector<Jwk> keys;
  std::vector<SkippedJwk> skipped;  // keys dropped, in order, with jwt_verify_lib's reason
};

struct JwksParse {
  // kOk when at least one key is usable; otherwise what decided the set: an unparseable document,
  // a missing or non-array `keys`, or the first key's error when none was usable.
  Status status = Status::kOk;
  Jwks jwks;
};

// Key types jwt_verify_lib also accepts but this reference does not model — `oct` (HMAC) and
// `OKP` (Ed25519) — are skipped as kJwksNotImplementedKty; X.509 and PEM key sets are not read.
JwksParse parseJwks(std::string_view json);

}  // namespace ctplab::proxy::jwt
