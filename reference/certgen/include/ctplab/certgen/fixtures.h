// The standard certificate fixture set (CAs, server and client leaves, CRLs) and its rendering as
// files and Kubernetes Secrets ready for Gateway API listeners and ClientTrafficPolicy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/certgen/generator.h"
#include "ctplab/certgen/result.h"
#include "ctplab/common/time.h"

namespace ctplab::certgen {

// root ─┬─ intermediate ─┬─ servers[i]           SAN = hostname (DNS or IP), serverAuth
//       │                ├─ client_valid         clientAuth, ECDSA, CN and SANs below
//       │                ├─ client_valid_rsa     same, RSA key
//       │                ├─ client_expired       [now - 30 d, now - 1 d]
//       │                ├─ client_not_yet_valid [now + 1 d, now + 30 d]
//       │                ├─ client_revoked       listed in crl_pem
//       │                └─ client_wrong_san     SAN other.example.org
// other_root ── client_wrong_ca                  (a different subject: "wrong CA", not a forgery)
// Client SANs: DNS client.example.com, URI spiffe://example.com/ns/default/sa/client, email
// client@example.com; client_wrong_san has the same shape under other.example.org/example.org.
// CAs are RSA-2048 (their signatures must be deterministic); leaves are ECDSA P-256 except
// client_valid_rsa. Leaves other than the expired/not-yet-valid ones are Validity::current(now).
struct FixtureSet {
  Issued root, intermediate, other_root;
  std::vector<Issued> servers;  // in the order of the hostnames given
  Issued client_valid, client_valid_rsa, client_expired, client_not_yet_valid, client_wrong_ca,
      client_revoked, client_wrong_san;
  // Both CRLs run [now - 1 day, now + 365 days], like the leaves.
  std::string crl_pem;       // by the intermediate, revoking client_revoked
  std::string root_crl_pem;  // by the root, empty: lets a full-chain CRL check succeed
};

// Empty when `host` can name a server certificate: an IP address, or a DNS name whose leftmost
// label may be `*`. Otherwise the reason it cannot.
std::optional<std::string> serverHostProblem(const std::string& host);

// The label (file stem and Secret name) of the server certificate for `host`: "server-" plus the
// host in lower case with `*` spelled "wildcard", e.g. server-wildcard.example.com.
std::string serverLabel(const std::string& host);

Result<FixtureSet> standardFixtures(uint64_t seed, TimePoint now,
                                    const std::vector<std::string>& server_hostnames);

struct WriteOptions {
  std::string ns = "default";                // metadata.namespace of every object
  std::string client_ca_name = "client-ca";  // the Secret holding ca.crt and ca.crl
};

struct FixtureFile {
  std::string name;
  std::string content;
};

// Every file of the set, in a fixed order:
//   ca.crt, intermediate.crt, other-ca.crt  the CA certificates
//   ca-bundle.crt                           root + intermediate (what a client-CA ref trusts)
//   LABEL.crt, LABEL.key, LABEL-chain.crt   per leaf: servers, then clients; chain = chain_pem
//                                           (leaf + intermediate; client-wrong-ca: leaf alone)
//   crl.pem                                 intermediate CRL + root CRL
//   secrets.yaml                            see kubernetesYaml
Result<std::vector<FixtureFile>> fixtureFiles(const FixtureSet& set, const WriteOptions& options);

// One `kubernetes.io/tls` Secret per server (named by serverLabel; tls.crt = chain, tls.key) and
// an Opaque Secret `client_ca_name` with ca.crt = ca-bundle.crt and ca.crl = crl.pem, for
// ClientTrafficPolicy tls.clientValidation.caCertificateRefs and .crl.refs.
Result<std::string> kubernetesYaml(const FixtureSet& set, const WriteOptions& options);

// Creates `dir` when missing, writes fixtureFiles into it and returns the paths written.
Result<std::vector<std::string>> writeFixtures(const FixtureSet& set, const std::string& dir,
                                               const WriteOptions& options);

}  // namespace ctplab::certgen
