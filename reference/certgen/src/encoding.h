// Conversions between OpenSSL objects and the byte strings certgen hands out (PEM, DER, base64,
// hex), plus OpenSSL's error queue rendered as a message.
#pragma once

#include <string>
#include <string_view>

#include "ctplab/certgen/result.h"
#include "ctplab/common/time.h"
#include "openssl_handles.h"

namespace ctplab::certgen {

// `what` followed by the newest reason on OpenSSL's error queue, which it then clears so a later
// failure is not blamed on an old entry.
Error opensslError(const std::string& what);

Result<std::string> certPem(X509* cert);
Result<std::string> certDer(X509* cert);
Result<std::string> privateKeyPem(EVP_PKEY* key);  // PKCS#8
Result<std::string> crlPem(X509_CRL* crl);

X509Ptr parseCertDer(std::string_view der);
X509Ptr parseCertPem(std::string_view pem);
EvpPkeyPtr parsePrivateKeyPem(std::string_view pem);

// Standard base64 without line breaks, as Kubernetes `data:` values are written.
std::string base64(std::string_view bytes);
std::string hexUpper(const unsigned char* bytes, size_t n);

// UTCTime before 2050 and GeneralizedTime from 2050 on (RFC 5280 4.1.2.5), whole seconds.
Asn1TimePtr asn1Time(TimePoint t);

}  // namespace ctplab::certgen
