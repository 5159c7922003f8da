// The parse result behind Certificate, kept for the checks that need more than the public
// fields: the original GoTime zones for messages and the public key for key-pair matching.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/go_time.h"
#include "pki/public_key.h"
#include "pki/x509_certificate.h"

namespace ctplab::policy::pki {

struct ParsedCertificate {
  std::string_view raw;  // Points into the parsed input.
  std::string common_name;
  GoTime not_before;
  GoTime not_after;
  int public_key_algorithm = 0;  // Go x509.PublicKeyAlgorithm.
  PublicKey public_key;
  std::vector<std::string> dns_names;
};

// Go x509.ParseCertificates; out is empty on error.
std::string parseCertificateList(std::string_view der, std::vector<ParsedCertificate>* out);

// Go x509.ParseCertificate.
std::string parseSingleCertificate(std::string_view der, ParsedCertificate* out);

Certificate toCertificate(const ParsedCertificate& parsed);

}  // namespace ctplab::policy::pki
