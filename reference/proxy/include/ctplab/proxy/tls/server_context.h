// One filter chain's TLS termination settings compiled into an OpenSSL context: certificates,
// protocol versions, cipher suites, groups, signature algorithms, ALPN, resumption, client CAs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/tls/client_cert_checks.h"
#include "ctplab/proxy/tls/openssl_ptr.h"

namespace ctplab::proxy::tls {

// How the client certificate is asked for and judged (spec 4.8's mode table).
struct ClientValidation {
  bool enabled = false;           // a certificate is requested
  bool required = false;          // a handshake without one fails
  bool accept_untrusted = false;  // verification errors are tolerated (Request, RequireAny)
  bool allow_expired = false;
  bool crl_leaf_only = false;
  bool has_crl = false;
};

class ServerContext {
 public:
  // `https`: an HTTPS listener (default ALPN h2, http/1.1; only http/1.1 when its certificates
  // overlap another HTTPS listener's on the port) rather than TLS-terminated TCP (no ALPN unless
  // set). Errors name the setting OpenSSL refused, like Envoy's rejected config.
  // `http2`: the driver can speak HTTP/2 after ALPN; when it cannot, `h2` is never selected.
  static Result<std::shared_ptr<const ServerContext>> build(const policy::ir::TLSConfig& config,
                                                            bool https, bool overlapping_certs,
                                                            bool http2 = true);

  SSL_CTX* ctx() const { return ctx_.get(); }
  const policy::ir::TLSConfig& config() const { return config_; }
  const ClientValidation& clientValidation() const { return validation_; }
  // In server preference order, as advertised; empty: ALPN off.
  const std::vector<std::string>& alpn() const { return alpn_; }
  // The URI SANs of the serving certificate (XFCC's By=).
  const std::vector<std::string>& localUriSans() const { return local_uri_sans_; }
  // Pins and SAN matchers applied to a chain that verified.
  const ClientCertChecks& clientCertChecks() const { return *checks_; }

  ServerContext(SslCtxPtr ctx, policy::ir::TLSConfig config);

 private:
  SslCtxPtr ctx_;
  policy::ir::TLSConfig config_;
  ClientValidation validation_;
  std::vector<std::string> alpn_;
  std::vector<std::string> local_uri_sans_;
  std::optional<ClientCertChecks> checks_;
};

// "1.2" → TLS1_2_VERSION; nullopt for an unknown name. "Auto" is the proxy default (unset).
std::optional<int> protocolVersion(const std::string& name);
// Envoy's cipher list (BoringSSL syntax: `[A|B]` equal-preference groups) as an OpenSSL list.
std::string opensslCipherList(const std::vector<std::string>& ciphers);

}  // namespace ctplab::proxy::tls
