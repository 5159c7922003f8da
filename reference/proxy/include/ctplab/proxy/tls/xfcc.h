// The x-forwarded-client-cert header a request carries upstream (CTP
// `headers.xForwardedClientCert`, Envoy's forward_client_cert_details +
// set_current_client_cert_details as Envoy Gateway sets them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/tls/peer_certificate.h"

namespace ctplab::proxy::tls {

inline constexpr char kXfccHeader[] = "x-forwarded-client-cert";

enum class XfccMode { kSanitize, kForwardOnly, kAppendForward, kSanitizeSet, kAlwaysForwardOnly };

// Which optional pairs the new element carries (certDetailsToAdd). Flags, not a list: Envoy writes
// them in one fixed order whatever order the policy lists them in.
struct XfccDetails {
  bool cert = false;
  bool chain = false;
  bool subject = false;
  bool uri = false;
  bool dns = false;
  bool operator==(const XfccDetails&) const = default;
};

// The default is what a listener without xForwardedClientCert gets (Envoy's SANITIZE).
struct XfccConfig {
  XfccMode mode = XfccMode::kSanitize;
  XfccDetails details;  // only AppendForward and SanitizeSet read them
  bool operator==(const XfccConfig&) const = default;
};

// From the IR's strings: mode "Sanitize", "ForwardOnly", "AppendForward", "SanitizeSet",
// "AlwaysForwardOnly"; details "Cert", "Chain", "Subject", "URI", "DNS" (repeats are harmless).
// nullopt for an unknown string: admission rejects those, so this only guards against bugs.
std::optional<XfccConfig> xfccConfigFrom(std::string_view mode,
                                         const std::vector<std::string>& details);
// The listener's setting: none → Sanitize. Errors name an unknown mode or detail.
Result<XfccConfig> xfccConfigFromIr(const std::optional<policy::ir::HeaderSettings::Xfcc>& xfcc);

// Envoy's escaping of a PEM inside an XFCC value: only \n, space, +, / and = become %0A, %20,
// %2B, %2F, %3D; every other byte (letters, digits, `-`) stays as it is.
std::string urlEncodePem(std::string_view pem);

// The element this proxy adds for one client certificate: `;`-joined pairs in Envoy's order
// By= (one per local URI SAN), Hash=, then as `details` asks Cert="…", Chain="…" (every
// certificate the client sent, leaf first), Subject="…" (even when empty), URI= (one per URI
// SAN, or a single empty URI=), DNS= (one per DNS SAN, none without). Values are not escaped
// beyond the PEM's URL encoding, as in Envoy. `client_chain` is leaf first; empty gives "".
std::string xfccElement(const std::vector<PeerCertificate>& client_chain,
                        const std::vector<std::string>& local_uri_sans, const XfccDetails& details);

// What applyXfcc did, for explanations.
enum class XfccAction {
  kSanitized,  // every XFCC field removed
  kForwarded,  // the client's value kept (several fields folded into one)
  kAppended,   // the client's value + "," + the new element, or the element alone
  kSet,        // the new element replaced whatever the client sent
};

// Applies the mode to a request's headers before they go upstream. `client_chain` empty means the
// connection carried no client certificate (plain HTTP, or TLS without one); any presented
// certificate counts, whatever the verification verdict. AlwaysForwardOnly keeps the header even
// then; Sanitize and every other mode without a certificate remove it. Repeated fields (any name
// case) are read as Envoy's header map holds them, one value joined with "," skipping empty ones;
// a kept or rewritten header is one field in the first one's place and name case, a new one is a
// lower-case field appended at the end.
XfccAction applyXfcc(const XfccConfig& config, http1::HeaderList& headers,
                     const std::vector<PeerCertificate>& client_chain,
                     const std::vector<std::string>& local_uri_sans);

}  // namespace ctplab::proxy::tls
