// Checks a JWT's signature against a key set, choosing keys by kid and alg as jwt_verify_lib
// does, and counts the signature operations it performed (what costs CPU in a flood).
#pragma once

#include <cstdint>

#include "ctplab/proxy/jwt/jwks.h"
#include "ctplab/proxy/jwt/jwt_status.h"

namespace ctplab::proxy::jwt {

struct ParsedJwt;  // parsed_jwt.h: only users of its JSON parts pay for the JSON library

struct SignatureCheck {
  Status status = Status::kOk;  // kOk, kJwtVerificationFail or kJwksKidAlgMismatch
  uint32_t verifications = 0;   // public-key operations run, one per candidate key tried
};

// Candidate keys, in set order: a key whose kid differs from the token's (both set) is skipped,
// and so is a key whose alg differs from the token's (key alg set). No candidate at all is
// kJwksKidAlgMismatch; candidates that all fail are kJwtVerificationFail. RS*, PS* and ES* are
// verified; HS* and EdDSA never verify here, because oct and OKP keys are not loaded.
SignatureCheck verifySignature(const ParsedJwt& jwt, const Jwks& jwks);

}  // namespace ctplab::proxy::jwt
