// GnuTLS server credentials of one HTTPS chain, loaded from the same PEMs the TCP listener serves
// (OpenSSL's context cannot drive ngtcp2 on this platform), and SNI → chain selection.
#pragma once

#include <gnutls/gnutls.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/http3/server_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http3 {

struct CredentialsDeleter {
  void operator()(gnutls_certificate_credentials_st* c) const {
    gnutls_certificate_free_credentials(c);
  }
};

class TlsCredentials {
 public:
  static Result<std::unique_ptr<TlsCredentials>> load(const ChainConfig& chain);
  gnutls_certificate_credentials_t get() const { return credentials_.get(); }
  int tag() const { return tag_; }

 private:
  std::unique_ptr<gnutls_certificate_credentials_st, CredentialsDeleter> credentials_;
  int tag_ = -1;
};

// The ServerConfig with credentials per chain; chains that refuse QUIC have none.
class ServerSetup {
 public:
  ServerSetup(ServerConfig config, std::vector<std::unique_ptr<TlsCredentials>> credentials);
  const ServerConfig& config() const { return config_; }
  // The chain for `sni` as the TCP listeners choose theirs (exact name, then the longest
  // wildcard, then a chain without hostnames); null when none matches or it refuses QUIC.
  const TlsCredentials* choose(std::string_view sni) const;

 private:
  ServerConfig config_;
  std::vector<std::unique_ptr<TlsCredentials>> credentials_;  // by chain, null: refused
};

}  // namespace ctplab::proxy::http3
