#include "ctplab/proxy/tls/peer_certificate.h"
#include "ctplab/proxy/tls/server_context.h"
#include "tls/verification.h"

namespace ctplab::proxy::tls {

PostCheck postVerificationCheck(const ServerContext& context, X509* leaf) {
  const ClientCertChecks& checks = context.clientCertChecks();
  if (!checks.configured() || leaf == nullptr) return {};
  auto parsed = PeerCertificate::fromX509(*leaf);
  if (!parsed) return {ClientCertVerdict::kFailVerifyError, parsed.error().message};
  switch (checks.check(parsed.value())) {
    case ClientCertCheck::kOk:
      return {};
    case ClientCertCheck::kFailSan:
      return {ClientCertVerdict::kFailSan, "no subject alternative name matches"};
    case ClientCertCheck::kFailCertHash:
      return {ClientCertVerdict::kFailCertHash, "neither certificate nor SPKI hash matches"};
  }
  return {};
}

}  // namespace ctplab::proxy::tls
