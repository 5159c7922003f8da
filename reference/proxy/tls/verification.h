// The client-certificate verdict of one handshake: OpenSSL's chain verification at the session's
// clock, then the pins and SAN matchers, recorded on the SSL object for the session to report.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace ctplab::proxy::tls {

enum class ClientCertVerdict {
  kNotPresented,       // none requested, or none sent
  kVerified,           // chain, validity, CRL, pins and SANs all pass
  kAcceptedUntrusted,  // failed, but the mode tolerates it (Request, RequireAny)
  kFailVerifyError,    // chain, validity or CRL
  kFailSan,
  kFailCertHash,
};

struct VerificationRecord {
  ClientCertVerdict verdict = ClientCertVerdict::kNotPresented;
  int x509_error = 0;  // X509_V_OK unless the chain failed
  std::string detail;  // X509_verify_cert_error_string, or which check failed
};

class ServerContext;

// Pins (certificate and SPKI hashes) and SAN matchers on a chain that verified (spec 4.8 steps
// 4-5).
struct PostCheck {
  ClientCertVerdict verdict = ClientCertVerdict::kVerified;
  std::string detail;
};
PostCheck postVerificationCheck(const ServerContext& context, X509* leaf);

// The SSL ex_data slot holding the session's VerificationRecord*.
int verificationIndex();

// SSL_CTX_set_cert_verify_callback's callback; `arg` is the ServerContext.
int verifyClientChain(X509_STORE_CTX* store, void* arg);

}  // namespace ctplab::proxy::tls
