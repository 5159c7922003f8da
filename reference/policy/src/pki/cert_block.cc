#include "pki/cert_block.h"

#include "pki/go_time.h"
#include "pki/x509_certificate_internal.h"

namespace ctplab::policy::pki {

std::string validateCertBlock(const PemBlock& block, TimePoint now,
                              std::vector<Certificate>* certs) {
  std::vector<ParsedCertificate> parsed;
  if (std::string err = parseCertificateList(block.bytes, &parsed); !err.empty()) return err;
  for (const ParsedCertificate& cert : parsed) {
    if (compareNowTo(now, cert.not_after.unix_seconds) > 0) {
      return "certificate " + cert.common_name + " has expired since " +
             formatGoTimeValue(cert.not_after);
    }
    if (compareNowTo(now, cert.not_before.unix_seconds) < 0) {
      return "certificate " + cert.common_name + " will be valid after " +
             formatGoTimeValue(cert.not_before);
    }
  }
  certs->clear();
  for (const ParsedCertificate& cert : parsed) certs->push_back(toCertificate(cert));
  return {};
}

}  // namespace ctplab::policy::pki
