// The certificates a scenario's `certificates` section generates, made once per process for each
// (seed, now, hosts): the Secrets its resources reference and the client certificates it presents.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ctplab/certgen/fixtures.h"
#include "ctplab/common/time.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::tls {

struct GeneratedCertificates {
  certgen::FixtureSet set;
  std::map<std::string, certgen::Issued> extra_clients;  // the section's `clients`, by name
  std::string secrets_yaml;  // Kubernetes Secrets: server-<host> (TLS) and client-ca
};

// Errors: OpenSSL failed to generate (the message says where).
certgen::Result<std::shared_ptr<const GeneratedCertificates>> generatedCertificates(
    const scenario::CertificateFixtures& spec, TimePoint now);

// The client certificate `name` (a standard one or one of the section's clients); nullptr for
// unknown names.
const certgen::Issued* clientCertificate(const GeneratedCertificates& made,
                                         const std::string& name);

}  // namespace ctplab::sim::tls
