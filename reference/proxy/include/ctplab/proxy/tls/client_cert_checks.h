// What a client certificate must still satisfy once its chain verified (spec 4.8 steps 4–5): the
// SAN matchers, then the certificate-hash and SPKI pins, compiled once per filter chain.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/tls/peer_certificate.h"

namespace re2 {
class RE2;
}

namespace ctplab::proxy::tls {

enum class SanType { kDns, kEmail, kIpAddress, kUri, kOtherName };

// One `match_typed_subject_alt_names` entry. Strings compare byte for byte (Envoy Gateway never
// sets ignore_case), except a DNS exact match, which follows DNS rules (dnsNameMatch).
struct SanMatcher {
  enum class Kind { kExact, kPrefix, kSuffix, kRegex };
  SanType type = SanType::kDns;
  std::string oid;  // kOtherName: dotted decimal
  Kind kind = Kind::kExact;
  std::string value;
  std::shared_ptr<const re2::RE2> regex;  // kRegex: full match

  // Whether any SAN of this matcher's type (and OID) matches.
  bool matches(const PeerCertificate& cert) const;
};

// Envoy's DNS SAN comparison, `dns_name` being the configured name and `pattern` the
// certificate's SAN: equal ignoring ASCII case, or only `pattern`'s first label holds a `*`
// (exactly one, as in `*`, `a*`, `*b`, `a*b`; not in an `xn--` label) standing for any run of
// characters, possibly none, inside the first label of `dns_name`, and the rest is equal. So a
// `*.example.com` certificate satisfies an exact `foo.example.com`, never `example.com` or
// `a.b.example.com`.
bool dnsNameMatch(std::string_view dns_name, std::string_view pattern);

enum class ClientCertCheck { kOk, kFailSan, kFailCertHash };

// The listener counter a failure increments; empty for kOk.
constexpr std::string_view statName(ClientCertCheck result) {
  switch (result) {
    case ClientCertCheck::kOk:
      return {};
    case ClientCertCheck::kFailSan:
      return "ssl.fail_verify_san";
    case ClientCertCheck::kFailCertHash:
      return "ssl.fail_verify_cert_hash";
  }
  return {};
}

class ClientCertChecks {
 public:
  // From `verify_certificate_hash` (64 hex digits in either case, or the 95-character `AB:CD:…`
  // fingerprint), `verify_certificate_spki` (base64 of 32 bytes, padded, no stray bits) and
  // `match_typed_subject_alt_names` (name "DNS", "EMAIL", "IP_ADDRESS", "URI", else an OID for an
  // otherName; exactly one pattern). Errors are what makes Envoy reject the listener: a pin that
  // does not decode to 32 bytes, an OID OpenSSL cannot read, an invalid regex, an empty prefix,
  // suffix or regex, or no pattern at all.
  static Result<ClientCertChecks> fromTls(const policy::ir::TLSConfig& tls);

  // Whether any check is configured. Envoy then also asks for a certificate with
  // FAIL_IF_NO_PEER_CERT unless trust verification is ACCEPT_UNTRUSTED.
  bool configured() const {
    return !san_matchers_.empty() || !hash_pins_.empty() || !spki_pins_.empty();
  }

  // In Envoy's order: SAN matchers first (at least one matcher matches at least one SAN), then the
  // pins (the leaf matches any hash or any SPKI pin: the two lists are one union). So a leaf
  // failing both reports kFailSan. With accept_untrusted the caller still counts the failure but
  // lets the handshake continue.
  ClientCertCheck check(const PeerCertificate& leaf) const;

  const std::vector<SanMatcher>& sanMatchers() const { return san_matchers_; }

 private:
  std::vector<SanMatcher> san_matchers_;
  std::vector<std::string> hash_pins_;  // lower-case hex, as PeerCertificate::sha256_hex
  std::vector<std::string> spki_pins_;  // canonical base64, as PeerCertificate::spki_sha256_base64
};

}  // namespace ctplab::proxy::tls
