// GnuTLS credentials from PEM text, and the SNI choice shared with the TCP filter chains.
#include "http3/tls_credentials.h"

#include <limits>
#include <string_view>
#include <utility>

#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::proxy::http3 {

namespace {

gnutls_datum_t datumOf(const std::string& text) {
  // GnuTLS only reads through the datum; the cast is its API's, not a write.
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())),
                        static_cast<unsigned int>(text.size())};
}

// GnuTLS asks to record each 0-RTT ClientHello so a replay within its window can be refused.
// Like Envoy's (BoringSSL keeps no such record), this server keeps none: 0-RTT requests can be
// replayed, as they can be there.
int acceptEarlyData(void*, time_t, const gnutls_datum_t*, const gnutls_datum_t*) { return 0; }

}  // namespace

Result<std::unique_ptr<ResumptionKeys>> ResumptionKeys::make() {
  auto out = std::make_unique<ResumptionKeys>();
  if (int rv = gnutls_session_ticket_key_generate(&out->ticket_key_); rv != GNUTLS_E_SUCCESS) {
    return Error{std::string("cannot make a session-ticket key: ") + gnutls_strerror(rv)};
  }
  if (int rv = gnutls_anti_replay_init(&out->anti_replay_); rv != GNUTLS_E_SUCCESS) {
    return Error{std::string("cannot set up 0-RTT: ") + gnutls_strerror(rv)};
  }
  gnutls_anti_replay_set_add_function(out->anti_replay_, acceptEarlyData);
  gnutls_anti_replay_set_ptr(out->anti_replay_, nullptr);
  // The widest window (49 days): with GnuTLS's 10 s, the window rolls over and refuses the early
  // data of every ticket issued before, so 0-RTT would depend on when the last one came (and the
  // simulator's outcomes on wall time), and the rollover writes state the workers share.
  gnutls_anti_replay_set_window(out->anti_replay_, std::numeric_limits<unsigned int>::max());
  return out;
}

ResumptionKeys::~ResumptionKeys() {
  if (anti_replay_ != nullptr) gnutls_anti_replay_deinit(anti_replay_);
  if (ticket_key_.data != nullptr) {
    gnutls_memset(ticket_key_.data, 0, ticket_key_.size);
    gnutls_free(ticket_key_.data);
  }
}

Result<std::unique_ptr<TlsCredentials>> TlsCredentials::load(const ChainConfig& chain) {
  auto out = std::make_unique<TlsCredentials>();
  gnutls_certificate_credentials_t raw = nullptr;
  if (gnutls_certificate_allocate_credentials(&raw) != GNUTLS_E_SUCCESS) {
    return Error{"chain " + std::to_string(chain.tag) + ": cannot allocate TLS credentials"};
  }
  out->credentials_.reset(raw);
  out->tag_ = chain.tag;
  if (chain.certificates.empty()) {
    return Error{"chain " + std::to_string(chain.tag) + ": no certificate"};
  }
  for (const CertificatePair& pair : chain.certificates) {
    const gnutls_datum_t cert = datumOf(pair.certificate_pem);
    const gnutls_datum_t key = datumOf(pair.private_key_pem);
    const int rv =
        gnutls_certificate_set_x509_key_mem2(raw, &cert, &key, GNUTLS_X509_FMT_PEM, nullptr, 0);
    if (rv < 0) {
      return Error{"chain " + std::to_string(chain.tag) +
                   ": certificate or key refused: " + gnutls_strerror(rv)};
    }
  }
  return out;
}

ServerSetup::ServerSetup(ServerConfig config,
                         std::vector<std::unique_ptr<TlsCredentials>> credentials,
                         std::unique_ptr<ResumptionKeys> resumption)
    : config_(std::move(config)),
      credentials_(std::move(credentials)),
      resumption_(std::move(resumption)) {}

const TlsCredentials* ServerSetup::choose(std::string_view sni) const {
  std::vector<std::vector<std::string_view>> names;
  for (const ChainConfig& chain : config_.chains) {
    names.emplace_back(chain.hostnames.begin(), chain.hostnames.end());
  }
  const int best = router::bestHostnameMatch(names, sni);
  if (best < 0) return nullptr;
  return credentials_[static_cast<size_t>(best)].get();
}

Result<ServerSetupPtr> buildServerSetup(ServerConfig config) {
  std::vector<std::unique_ptr<TlsCredentials>> credentials;
  for (const ChainConfig& chain : config.chains) {
    if (chain.refuse) {
      credentials.push_back(nullptr);
      continue;
    }
    auto loaded = TlsCredentials::load(chain);
    if (!loaded) return loaded.error();
    credentials.push_back(std::move(loaded).value());
  }
  auto resumption = ResumptionKeys::make();
  if (!resumption) return resumption.error();
  return ServerSetupPtr(std::make_shared<ServerSetup>(std::move(config), std::move(credentials),
                                                      std::move(resumption).value()));
}

}  // namespace ctplab::proxy::http3
