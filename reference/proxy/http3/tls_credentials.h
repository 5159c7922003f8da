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

// What lets a client resume, and send 0-RTT requests, on any connection accepted under one
// configuration (every worker of the port): the session-ticket key and GnuTLS's 0-RTT freshness
// window. Envoy's QUIC listeners issue tickets and take early data by default.
class ResumptionKeys {
 public:
  static Result<std::unique_ptr<ResumptionKeys>> make();
  ResumptionKeys() = default;
  ~ResumptionKeys();
  ResumptionKeys(const ResumptionKeys&) = delete;
  ResumptionKeys& operator=(const ResumptionKeys&) = delete;

  const gnutls_datum_t* ticketKey() const { return &ticket_key_; }
  gnutls_anti_replay_t antiReplay() const { return anti_replay_; }

 private:
  gnutls_datum_t ticket_key_{};
  gnutls_anti_replay_t anti_replay_ = nullptr;
};

// The ServerConfig with credentials per chain; chains that refuse QUIC have none.
class ServerSetup {
 public:
  ServerSetup(ServerConfig config, std::vector<std::unique_ptr<TlsCredentials>> credentials,
              std::unique_ptr<ResumptionKeys> resumption);
  const ServerConfig& config() const { return config_; }
  const ResumptionKeys& resumption() const { return *resumption_; }
  // The chain for `sni` as the TCP listeners choose theirs (exact name, then the longest
  // wildcard, then a chain without hostnames); null when none matches or it refuses QUIC.
  const TlsCredentials* choose(std::string_view sni) const;

 private:
  ServerConfig config_;
  std::vector<std::unique_ptr<TlsCredentials>> credentials_;  // by chain, null: refused
  std::unique_ptr<ResumptionKeys> resumption_;
};

}  // namespace ctplab::proxy::http3
