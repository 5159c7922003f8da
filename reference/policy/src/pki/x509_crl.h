// Go x509.ParseRevocationList, reduced to the validity window Envoy Gateway's validateCrl reads
// and to the structural errors that make it reject a CRL.
#pragma once

#include <string>
#include <string_view>

#include "pki/go_time.h"

namespace ctplab::policy::pki {

struct ParsedCrl {
  GoTime this_update;
  GoTime next_update;
  bool has_next_update = false;
};

// Returns Go's error text ("x509: malformed crl", "x509: unsupported crl version: 0", ...).
std::string parseRevocationList(std::string_view der, ParsedCrl* crl);

}  // namespace ctplab::policy::pki
