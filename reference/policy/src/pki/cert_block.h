// Envoy Gateway's validateCertBlock, shared by the CA bundle and serving chain checks so that
// both reject a PEM block for the same reason with the same message.
#pragma once

#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "pki/go_pem.h"
#include "pki/x509_certificate.h"

namespace ctplab::policy::pki {

// Parses every certificate in the block (its type is not looked at), then tests each validity
// window at `now`; expiry is tested first. Returns the first error, else "" with certs filled.
std::string validateCertBlock(const PemBlock& block, TimePoint now,
                              std::vector<Certificate>* certs);

}  // namespace ctplab::policy::pki
