#include "tls/handshake_model.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <ctime>

#include "ctplab/proxy/tls/peer_certificate.h"
#include "ctplab/proxy/tls/server_session.h"

namespace ctplab::sim::tls {
namespace {

void addTime(const ASN1_TIME* t, std::vector<int64_t>& out) {
  if (t == nullptr) return;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return;
  out.push_back(static_cast<int64_t>(timegm(&tm)));
}

}  // namespace

std::vector<int64_t> validityBoundaries(const std::string& pem) {
  std::vector<int64_t> out;
  if (pem.empty()) return out;
  proxy::tls::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // Certificates and CRLs may be interleaved: read every PEM object and keep the ones we know.
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) break;
    const unsigned char* p = data;
    if (std::string_view(name) == "CERTIFICATE") {
      if (X509* cert = d2i_X509(nullptr, &p, len)) {
        addTime(X509_get0_notBefore(cert), out);
        addTime(X509_get0_notAfter(cert), out);
        X509_free(cert);
      }
    } else if (std::string_view(name) == "X509 CRL") {
      if (X509_CRL* crl = d2i_X509_CRL(nullptr, &p, len)) {
        addTime(X509_CRL_get0_lastUpdate(crl), out);
        addTime(X509_CRL_get0_nextUpdate(crl), out);
        X509_CRL_free(crl);
      }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  ERR_clear_error();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void HandshakeModel::addClient(uint32_t population, proxy::tls::ProbeOptions options) {
  Client client;
  client.boundaries = validityBoundaries(options.cert_pem);
  client.options = std::move(options);
  clients_[population] = std::move(client);
}

std::shared_ptr<const HandshakeVerdict> HandshakeModel::verdict(
    size_t listener, const std::shared_ptr<const proxy::tls::ServerContext>& context,
    uint32_t population, TimePoint now) {
  const Client& client = clients_.at(population);
  if (full_) return std::make_shared<const HandshakeVerdict>(compute(context, client, now));
  auto [bounds, added] = context_boundaries_.try_emplace(listener);
  if (added) {
    const auto& config = context->config();
    std::string pem = config.ca_certificate ? config.ca_certificate->certificate_pem : "";
    if (config.crl) pem += config.crl->data;
    bounds->second = validityBoundaries(pem);
  }
  // Verification answers can only change at a validity boundary (X.509 checks compare the clock
  // with these instants), so the boundaries passed so far name the epoch.
  const int64_t t = now.unixSeconds();
  auto passed = [t](const std::vector<int64_t>& b) {
    return static_cast<size_t>(std::upper_bound(b.begin(), b.end(), t) - b.begin());
  };
  const size_t epoch = passed(client.boundaries) * 4096 + passed(bounds->second);
  const auto key = std::make_tuple(listener, population, epoch);
  auto it = verdicts_.find(key);
  if (it == verdicts_.end()) {
    it = verdicts_
             .emplace(key, std::make_shared<const HandshakeVerdict>(compute(context, client, now)))
             .first;
  }
  return it->second;
}

HandshakeVerdict HandshakeModel::compute(
    const std::shared_ptr<const proxy::tls::ServerContext>& context, const Client& client,
    TimePoint now) {
  ++computed_;
  HandshakeVerdict v;
  auto probe = proxy::tls::ProbeClient::create(client.options);
  if (!probe) {
    v.stats = {"ssl.connection_error"};
    v.failure = probe.error().message;
    return v;
  }
  // The server side is the data plane's own session, judging at the virtual clock.
  proxy::tls::ServerSession server(context, now);
  probe.value()->handshake(server);
  v.stats = server.stats();
  v.ok = server.state() == proxy::tls::ServerSession::State::kEstablished &&
         probe.value()->established();
  if (!v.ok) {
    v.failure = server.outcome().failure;
    if (v.stats.empty()) v.stats = {"ssl.connection_error"};
    return v;
  }
  const auto& outcome = server.outcome();
  v.version = outcome.version;
  v.cipher = outcome.cipher;
  v.alpn = outcome.alpn;
  v.session_tickets = probe.value()->tickets();
  v.server_key_rsa = outcome.server_key_rsa;
  v.client_verified = outcome.client_certificate && context->clientValidation().enabled;
  auto peer = std::make_shared<proxy::http_flow::TlsPeer>();
  peer->local_uri_sans = context->localUriSans();
  for (const auto& der : outcome.peer_chain_der) {
    if (auto cert = proxy::tls::PeerCertificate::fromDer(der)) {
      peer->client_chain.push_back(std::move(cert).value());
    }
  }
  v.peer = std::move(peer);
  return v;
}

}  // namespace ctplab::sim::tls
