// GnuTLS credentials from PEM text, and the SNI choice shared with the TCP filter chains.
#include "http3/tls_credentials.h"

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

}  // namespace

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
                         std::vector<std::unique_ptr<TlsCredentials>> credentials)
    : config_(std::move(config)), credentials_(std::move(credentials)) {}

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
  return ServerSetupPtr(std::make_shared<ServerSetup>(std::move(config), std::move(credentials)));
}

}  // namespace ctplab::proxy::http3
