// Certificates as Go's x509.ParseCertificate(s) sees them: the fields Envoy Gateway's checks and
// messages use, and the exact Go error text when parsing fails.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"

namespace ctplab::policy::pki {

struct Certificate {
  std::string der;          // Go Certificate.Raw.
  std::string pem;          // der re-encoded as one "CERTIFICATE" PEM block.
  std::string common_name;  // Go Subject.CommonName: the last CN attribute, UTF-8.
  // Validity as instants. Saturated to the TimePoint range (years 1678..2261); the *_text fields
  // always carry the exact Go rendering used in messages, including non-UTC offsets.
  TimePoint not_before;
  TimePoint not_after;
  std::string not_before_text;
  std::string not_after_text;
  std::string sha256_hex;              // SHA-256 of der.
  std::vector<std::string> dns_names;  // dNSName SANs in order.
  std::string public_key_algorithm;    // Go PublicKeyAlgorithm.String(): "RSA", "ECDSA", ..., "0".
};

struct ParseCertificatesResult {
  bool ok = false;
  std::vector<Certificate> certificates;
  std::string error;  // Go's exact error text, e.g. "x509: malformed certificate".
};

// Mirrors x509.ParseCertificates: zero or more concatenated DER certificates (empty input is ok
// with no certificates); any malformed one fails the whole call with Go's message.
ParseCertificatesResult parseCertificates(std::string_view der);

// Mirrors x509.ParseCertificate: exactly one certificate; extra bytes give "x509: trailing data".
ParseCertificatesResult parseCertificate(std::string_view der);

}  // namespace ctplab::policy::pki
