// Go crypto/x509 processExtensions for certificates: the extension-specific checks that can fail
// a certificate parse (SANs, name constraints, key usages, policies, ...) and the dNSName SANs.
#pragma once

#include <string>
#include <vector>

#include "pki/x509_common.h"

namespace ctplab::policy::pki {

// Returns Go's error text for the first offending extension, else fills dns_names from the
// subject alternative names (left untouched when the certificate has none).
std::string processExtensions(const std::vector<Extension>& extensions,
                              std::vector<std::string>* dns_names);

}  // namespace ctplab::policy::pki
