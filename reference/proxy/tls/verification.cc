#include "tls/verification.h"

#include <openssl/x509_vfy.h>

#include "ctplab/proxy/tls/server_context.h"

namespace ctplab::proxy::tls {
namespace {

// Expiry of the leaf alone is forgiven with allowExpiredCertificate (spec 4.8 step 2); an
// expired CA in the chain still fails.
int toleratingExpiredLeaf(int ok, X509_STORE_CTX* store) {
  if (ok == 0 && X509_STORE_CTX_get_error(store) == X509_V_ERR_CERT_HAS_EXPIRED &&
      X509_STORE_CTX_get_error_depth(store) == 0) {
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
  }
  return ok;
}

// Outside OpenSSL's X509_V_ERR_* range, so its alert table falls through to certificate_unknown.
constexpr int kCheckFailedError = 0x7f00;

}  // namespace

int verificationIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int verifyClientChain(X509_STORE_CTX* store, void* arg) {
  const auto* context = static_cast<const ServerContext*>(arg);
  SSL* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* record = ssl == nullptr
                     ? nullptr
                     : static_cast<VerificationRecord*>(SSL_get_ex_data(ssl, verificationIndex()));
  const ClientValidation& v = context->clientValidation();
  if (v.allow_expired) X509_STORE_CTX_set_verify_cb(store, toleratingExpiredLeaf);
  // Without a CA bundle (Request, RequireAny) nothing can chain: the verdict is "untrusted".
  const bool chained = X509_verify_cert(store) > 0;
  const int error = X509_STORE_CTX_get_error(store);
  ClientCertVerdict verdict = ClientCertVerdict::kVerified;
  std::string detail;
  if (!chained) {
    verdict = ClientCertVerdict::kFailVerifyError;
    detail = X509_verify_cert_error_string(error);
  } else {
    const auto check = postVerificationCheck(*context, X509_STORE_CTX_get0_cert(store));
    verdict = check.verdict;
    detail = check.detail;
  }
  if (verdict != ClientCertVerdict::kVerified && v.accept_untrusted) {
    verdict = ClientCertVerdict::kAcceptedUntrusted;
  }
  if (record != nullptr) {
    record->verdict = verdict;
    record->x509_error = chained ? X509_V_OK : error;
    record->detail = detail;
  }
  const bool pass =
      verdict == ClientCertVerdict::kVerified || verdict == ClientCertVerdict::kAcceptedUntrusted;
  // OpenSSL derives the alert from the verification error. Envoy answers a SAN or pin mismatch
  // with certificate_unknown (pins: bad_certificate_hash_value, which OpenSSL's table cannot
  // produce); an error code OpenSSL has no entry for maps to certificate_unknown.
  if (!pass && chained) X509_STORE_CTX_set_error(store, kCheckFailedError);
  return pass ? 1 : 0;
}

}  // namespace ctplab::proxy::tls
