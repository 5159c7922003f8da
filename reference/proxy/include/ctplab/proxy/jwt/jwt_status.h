// Why a JWT was accepted or rejected, named and worded as jwt_verify_lib (Envoy's JWT library)
// words them: the text is the body of Envoy's 401/403 reply.
#pragma once

#include <string_view>

namespace ctplab::proxy::jwt {

enum class Status {
  kOk,
  kJwtMissed,
  kJwtNotYetValid,
  kJwtExpired,
  kJwtBadFormat,
  kJwtHeaderParseErrorBadBase64,
  kJwtHeaderParseErrorBadJson,
  kJwtHeaderBadAlg,
  kJwtHeaderNotImplementedAlg,
  kJwtHeaderBadKid,
  kJwtPayloadParseErrorBadBase64,
  kJwtPayloadParseErrorBadJson,
  kJwtPayloadParseErrorIssNotString,
  kJwtPayloadParseErrorSubNotString,
  kJwtPayloadParseErrorIatNotInteger,
  kJwtPayloadParseErrorIatOutOfRange,
  kJwtPayloadParseErrorNbfNotInteger,
  kJwtPayloadParseErrorNbfOutOfRange,
  kJwtPayloadParseErrorExpNotInteger,
  kJwtPayloadParseErrorExpOutOfRange,
  kJwtPayloadParseErrorJtiNotString,
  kJwtPayloadParseErrorAudNotString,
  kJwtSignatureParseErrorBadBase64,
  kJwtUnknownIssuer,
  kJwtAudienceNotAllowed,
  kJwtVerificationFail,
  // JWKS problems. The first three decide a whole key set; the rest reject one key of a set.
  kJwksParseError,
  kJwksNoKeys,
  kJwksBadKeys,
  kJwksNoValidKeys,
  kJwksKidAlgMismatch,
  kJwksRsaParseError,
  kJwksEcCreateKeyFail,
  kJwksEcXorYBadBase64,
  kJwksEcParseError,
  kJwksMissingKty,
  kJwksBadKty,
  kJwksNotImplementedKty,
  kJwksRsaKeyBadAlg,
  kJwksRsaKeyMissingN,
  kJwksRsaKeyBadN,
  kJwksRsaKeyMissingE,
  kJwksRsaKeyBadE,
  kJwksEcKeyBadAlg,
  kJwksEcKeyBadCrv,
  kJwksEcKeyAlgOrCrvUnsupported,
  kJwksEcKeyAlgNotCompatibleWithCrv,
  kJwksEcKeyMissingX,
  kJwksEcKeyBadX,
  kJwksEcKeyMissingY,
  kJwksEcKeyBadY,
};

// jwt_verify_lib's text for the status, e.g. "Jwt is missing".
std::string_view statusString(Status status);

// The reply code Envoy's filter sends for a failure: 403 for a disallowed audience, else 401.
int statusHttpCode(Status status);

}  // namespace ctplab::proxy::jwt
