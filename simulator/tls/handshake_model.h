// The outcome of the TLS handshake between a population's clients and a filter chain, computed by
// a real OpenSSL handshake over memory BIOs at the virtual clock, once per (chain, population,
// validity epoch): a million clients sharing a certificate cost one verification.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/tls/probe_client.h"
#include "ctplab/proxy/tls/server_context.h"

namespace ctplab::sim::tls {

struct HandshakeVerdict {
  bool ok = false;
  std::vector<std::string> stats;  // the listener counters it adds to (ServerSession::stats)
  std::string failure;             // why it failed, for traces
  std::string version, cipher, alpn;
  int session_tickets = 0;       // tickets the client received (resumption on)
  bool server_key_rsa = false;   // the certificate served was RSA (else ECDSA): its signing cost
  bool client_verified = false;  // a client chain was checked: its verification cost
  std::shared_ptr<const proxy::http_flow::TlsPeer> peer;  // XFCC's input, when ok
};

class HandshakeModel {
 public:
  // `full`: every call runs a real handshake (nothing is reused), for checking the cache's
  // shortcut or for profiles whose outcome is not a function of the certificates alone.
  explicit HandshakeModel(bool full = false) : full_(full) {}

  // One population's client side: its handshake options (certificate included) and the instants
  // at which its certificates start or stop being valid.
  void addClient(uint32_t population, proxy::tls::ProbeOptions options);

  // `context` is listener `listener`'s.
  std::shared_ptr<const HandshakeVerdict> verdict(
      size_t listener, const std::shared_ptr<const proxy::tls::ServerContext>& context,
      uint32_t population, TimePoint now);

  // Real handshakes run so far: distinct (chain, population, epoch) triples.
  uint64_t handshakesComputed() const { return computed_; }

 private:
  struct Client {
    proxy::tls::ProbeOptions options;
    std::vector<int64_t> boundaries;  // unix seconds, sorted: notBefore/notAfter of its chain
  };
  HandshakeVerdict compute(const std::shared_ptr<const proxy::tls::ServerContext>& context,
                           const Client& client, TimePoint now);

  std::map<uint32_t, Client> clients_;
  std::map<size_t, std::vector<int64_t>> context_boundaries_;  // CA and CRL validity, by listener
  std::map<std::tuple<size_t, uint32_t, size_t>, std::shared_ptr<const HandshakeVerdict>> verdicts_;
  uint64_t computed_ = 0;
  bool full_ = false;
};

// notBefore/notAfter of every certificate and thisUpdate/nextUpdate of every CRL in `pem`, in
// unix seconds: the instants at which a verification of them can change its answer.
std::vector<int64_t> validityBoundaries(const std::string& pem);

}  // namespace ctplab::sim::tls
