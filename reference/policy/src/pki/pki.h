// Public facade of the certificate-material checks that reproduce Envoy Gateway's Go code byte
// for byte (CA bundles, CRLs, serving certificates); the rest of the engine includes only this.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "pki/go_pem.h"
#include "pki/go_time.h"
#include "pki/sha256.h"
#include "pki/x509_certificate.h"

namespace ctplab::policy::pki {

// Upstream reference: envoyproxy/gateway internal/gatewayapi/tls.go (commit d32f282942) running on
// Go 1.26. Go's own behaviour that leaks into messages or output bytes is reproduced as well:
// encoding/pem (Decode/EncodeToMemory), encoding/base64, crypto/x509 (ParseCertificate(s),
// ParseRevocationList and the private-key parsers), crypto/tls.X509KeyPair and time.Time.String.
// Go's time.Local is taken to be UTC, as it is in the distroless controller image.
// No function here throws or aborts; every outcome, including malformed input, is a value.
//
// Each Go layer has its own header next to this one (go_pem.h, go_time.h, der_reader.h,
// public_key.h, x509_*.h, private_key.h); the ones whose types or helpers callers need
// (PemBlock, Certificate, formatGoTime, sha256Hex) are included above.

// ----------------------------------------------------------------------------------------------
// CA bundles (ClientTrafficPolicy tls.clientValidation.caCertificateRefs, key "ca.crt")

// Listener condition reasons upstream attaches to certificate errors.
enum class CertRefReason {
  kNone,
  kInvalidCertificateRef,           // gwapiv1.ListenerReasonInvalidCertificateRef
  kPartiallyInvalidCertificateRef,  // status.ListenerReasonPartiallyInvalidCertificateRef
};

// One PEM block that passed validateCertBlock. Upstream does not look at the block type: any
// block whose payload parses as zero or more certificates within their validity is kept.
struct CertificateBlock {
  PemBlock block;
  std::string pem;                        // Go pem.EncodeToMemory(block).
  std::vector<Certificate> certificates;  // Certificates inside block.bytes, in order.
};

struct CaBundleCheck {
  std::string pem;                      // Valid blocks re-encoded and concatenated (validData).
  std::vector<CertificateBlock> valid;  // The blocks behind pem, in input order.
  std::vector<std::string> errors;      // One message per rejected block, in input order.
  CertRefReason reason = CertRefReason::kNone;
  std::string error;  // ListenerError.Error(); empty when reason is kNone.

  // All certificates of all valid blocks, flattened in order.
  std::vector<Certificate> certificates() const;
};

// Mirrors filterValidCACertificates(data) with validateCertBlock evaluated at `now`:
//   empty input         -> kInvalidCertificateRef, "no certificate data provided"
//   per decoded block   -> x509.ParseCertificates error text, or
//                          "certificate <CN> has expired since <NotAfter>"      (now > NotAfter)
//                          "certificate <CN> will be valid after <NotBefore>"   (now < NotBefore)
//                          (first offending certificate of the block; expiry is tested first)
//   nothing valid, errors -> kInvalidCertificateRef, errors joined with "\n" (errors.Join)
//   nothing decodable     -> kInvalidCertificateRef, "unable to decode pem data for certificate"
//   some valid, errors    -> kPartiallyInvalidCertificateRef, errors joined with "\n"
// Times render as Go %v of time.Time, e.g. "2005-02-06 12:00:00 +0000 UTC".
CaBundleCheck checkCaBundle(std::string_view pem_data, TimePoint now);

// The error buildListenerTLSParameters returns when a ref yields kInvalidCertificateRef:
// "no valid certificates exist in <refName>: <check.error>".
std::string noValidCertificatesMessage(std::string_view ref_name, const CaBundleCheck& check);

// Concatenated PEM of the certificates (one "CERTIFICATE" block each), in order.
std::string encodePem(const std::vector<Certificate>& certs);

// Mirrors appendDedupPEMCertsWithSeen(dst, src, seen): seeds `seen` with the SHA-256 of every
// CERTIFICATE block payload already in dst, then appends src's blocks re-encoded, skipping
// CERTIFICATE blocks whose payload hash was seen. Blocks of other types are never de-duplicated.
// Callers fold each ref's CaBundleCheck::pem into one accumulator with one shared `seen` set.
std::string appendDedupPem(std::string_view dst, std::string_view src, std::set<std::string>* seen);

// ----------------------------------------------------------------------------------------------
// CRLs (tls.clientValidation.crl.refs, key "ca.crl")

struct CrlCheck {
  bool ok = false;
  std::string pem;    // The input bytes unchanged: upstream appends the raw ref data to the IR.
  std::string error;  // Without the caller's "invalid crl in <refName>: " prefix.
};

// Mirrors validateCrl(data) at `now`. Only the first PEM block is examined (of any type); later
// blocks are neither parsed nor rejected. Checks, in order:
//   no block decodes  -> "unable to decode pem data for CRL"
//   parse failure     -> "failed to parse CRL: <x509.ParseRevocationList error>"
//   nextUpdate present (not Go's zero time) and now > nextUpdate
//                     -> "CRL is expired (next update was due at <nextUpdate>)"
//   now < thisUpdate  -> "CRL is not yet valid (this update starts at <thisUpdate>)"
CrlCheck checkCrl(std::string_view pem_data, TimePoint now);

// ----------------------------------------------------------------------------------------------
// Listener serving certificates (Secret kubernetes.io/tls, keys "tls.crt" and "tls.key")

struct ServingChainCheck {
  bool ok = false;
  std::string chain_pem;  // Canonical chain: every block re-encoded (a final newline is gained).
  std::vector<Certificate> certificates;
  std::string error;
};

// Mirrors validateServingCertificateChain(data) at `now`: like checkCaBundle but the first bad
// block rejects the whole chain with its message; "no certificate data provided" for empty
// input and "unable to decode pem data for certificate" when no block decodes.
ServingChainCheck checkServingChain(std::string_view cert_pem, TimePoint now);

struct ServingCertCheck {
  bool ok = false;
  std::string chain_pem;  // Normalized tls.crt (the canonical chain).
  std::string key_pem;    // Normalized tls.key (the chosen key block re-encoded).
  std::string error;      // One entry of upstream's errs list, see checkServingCertificate.
  Certificate leaf;       // First certificate of the chain (valid when ok).
  // Domains upstream uses for its "<algorithm>/<domain>" uniqueness check across the secrets of
  // one listener: the dNSName SANs, else the CN when non-empty, de-duplicated in order.
  std::vector<std::string> certificate_domains;
};

// Mirrors the per-secret body of parseCertsFromTLSSecretsData for Secret <ns>/<name>. Messages
// ("tls.crt"/"tls.key" are corev1.TLSCertKey/TLSPrivateKeyKey):
//   "<ns>/<name> must contain valid tls.crt and tls.key, unable to validate certificate in
//    tls.crt: <checkServingChain error>"
//   "<ns>/<name> must contain valid tls.crt and tls.key, unable to decode pem data in tls.crt"
//   "<ns>/<name> must contain valid tls.crt and tls.key, unable to parse certificate in tls.crt:
//    <x509.ParseCertificate error>"
//   "<ns>/<name> must contain valid tls.crt and tls.key, unable to decode pem data in tls.key"
//   "<ns>/<name> must contain valid tls.crt and tls.key, unable to parse PKCS8 formatted private
//    key in tls.key" (likewise "PKCS1" for "RSA PRIVATE KEY" and "EC" for "EC PRIVATE KEY")
//   "<ns>/<name> must contain valid tls.crt and tls.key, <TYPE> key format found in tls.key,
//    supported formats are PKCS1, PKCS8 or EC"
//   "<ns>/<name> must contain a matching tls.crt and tls.key: <checkX509KeyPair error>"
// The key block is the first "PRIVATE KEY"/"RSA PRIVATE KEY"/"EC PRIVATE KEY" block, else the
// first block of any type (so "EC PARAMETERS" before the key is skipped).
// Not covered here because they span secrets: the caller emits
//   "<ns>/<name> public key algorithm must be unique, certificate domain <d> has a conflicting
//    algorithm [<leaf.public_key_algorithm>]"
// and joins the per-secret errors with "\n".
ServingCertCheck checkServingCertificate(std::string_view secret_namespace,
                                         std::string_view secret_name, std::string_view cert_pem,
                                         std::string_view key_pem, TimePoint now);

}  // namespace ctplab::policy::pki
