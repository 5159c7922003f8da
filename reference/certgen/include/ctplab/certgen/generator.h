// Deterministic X.509 issuance: keys, serial numbers and signatures derived from a 64-bit seed,
// so the same (seed, spec, times) yields byte-identical PEM in every run and every process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/certgen/result.h"
#include "ctplab/common/time.h"

namespace ctplab::certgen {

// Signing keys must be RSA: PKCS#1 v1.5 signatures are a function of key and message, while
// OpenSSL 3.0's ECDSA draws a random nonce (it has no RFC 6979). ECDSA keys are fine for leaves.
enum class KeyType { kRsa2048, kEcdsaP256 };

// Distinguished-name fields; empty ones are left out. The encoded order is C, ST, L, O, OU, CN
// (most significant first, as `openssl x509 -subject` prints it); C is a PrintableString of two
// letters, the rest UTF8String.
struct Subject {
  std::string common_name, organization, organizational_unit, locality, state, country;
};

// notBefore/notAfter, whole seconds (the sub-second part is dropped). The presets place the
// window around a reference instant so fixtures generated for `now` never expire by accident.
// Left at its default (both the epoch) it is rejected as unset.
struct Validity {
  TimePoint not_before, not_after;

  static Validity current(TimePoint now);               // [now - 1 day, now + 365 days]
  static Validity expired(TimePoint now);               // [now - 30 days, now - 1 day]
  static Validity notYetValid(TimePoint now);           // [now + 1 day, now + 30 days]
  static Validity certificateAuthority(TimePoint now);  // [now - 365 days, now + 3650 days]
};

struct CertSpec {
  // Names the key and serial: the same label under the same seed gives the same key and serial,
  // so labels must be unique among the certificates of one issuer.
  std::string label;
  Subject subject;
  // Subject alternative names, encoded DNS names first, then IP addresses, URIs, emails.
  std::vector<std::string> dns, ips, uris, emails;
  KeyType key = KeyType::kEcdsaP256;
  bool ca = false;
  std::optional<int> path_len;  // CAs only
  bool server_auth = false, client_auth = false;
  Validity validity;
};

struct Issued {
  std::string label;
  std::string cert_pem;
  std::string key_pem;  // PKCS#8, unencrypted
  std::string cert_der;
  // The certificate followed by its issuer's chain up to, not including, the self-signed root:
  // what a TLS peer sends.
  std::string chain_pem;
  std::string serial_hex;  // upper-case, no leading zeros, as OpenSSL prints serials
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : seed_(seed) {}

  // A self-signed certificate; spec.key must be kRsa2048 (see KeyType).
  Result<Issued> selfSigned(const CertSpec& spec) const;
  // A certificate signed by `issuer`, whose key must be RSA. The issuer is not required to be a
  // CA, so negative fixtures (a leaf signing a leaf) can be built too.
  Result<Issued> issue(const CertSpec& spec, const Issued& issuer) const;
  // A v2 CRL by `ca` listing the serials (hex, any case) revoked at this_update, with an
  // authorityKeyIdentifier and a CRL number equal to this_update in Unix seconds.
  Result<std::string> crl(const Issued& ca, const std::vector<std::string>& revoked_serials_hex,
                          TimePoint this_update, TimePoint next_update) const;

 private:
  uint64_t seed_;
};

}  // namespace ctplab::certgen
