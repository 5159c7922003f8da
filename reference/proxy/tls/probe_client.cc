#include "ctplab/proxy/tls/probe_client.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace ctplab::proxy::tls {

struct ProbeClient::Handles {
  SslCtxPtr ctx;
  SslPtr ssl;
  BIO* in = nullptr;   // owned by ssl
  BIO* out = nullptr;  // owned by ssl
};

ProbeClient::ProbeClient(std::unique_ptr<Handles> handles) : h_(std::move(handles)) {}
ProbeClient::~ProbeClient() = default;

Result<std::unique_ptr<ProbeClient>> ProbeClient::create(const ProbeOptions& options) {
  ERR_clear_error();
  auto h = std::make_unique<Handles>();
  h->ctx.reset(SSL_CTX_new(TLS_client_method()));
  if (!h->ctx) return Error{"cannot create a TLS client context"};
  SSL_CTX* c = h->ctx.get();
  SSL_CTX_set_security_level(c, 0);
  SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);  // the server's certificate is not the question
  if (options.min_version && !SSL_CTX_set_min_proto_version(c, *options.min_version)) {
    return Error{"client minimum TLS version refused"};
  }
  if (options.max_version && !SSL_CTX_set_max_proto_version(c, *options.max_version)) {
    return Error{"client maximum TLS version refused"};
  }
  if (!options.ciphers.empty() && !SSL_CTX_set_cipher_list(c, options.ciphers.c_str())) {
    return Error{"client cipher suites \"" + options.ciphers + "\" refused"};
  }
  if (!options.groups.empty() && !SSL_CTX_set1_groups_list(c, options.groups.c_str())) {
    return Error{"client groups \"" + options.groups + "\" refused"};
  }
  // Tickets the server issues arrive through the client session cache's callback.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT);
  SSL_CTX_sess_set_new_cb(c, [](SSL* ssl, SSL_SESSION*) {
    ++*static_cast<int*>(SSL_get_app_data(ssl));
    return 0;
  });
  if (!options.cert_pem.empty()) {
    BioPtr bio(BIO_new_mem_buf(options.cert_pem.data(), static_cast<int>(options.cert_pem.size())));
    X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!leaf || !SSL_CTX_use_certificate(c, leaf.get())) {
      return Error{"client certificate is not PEM"};
    }
    while (X509Ptr next{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
      SSL_CTX_add1_chain_cert(c, next.get());
    }
    ERR_clear_error();
    BioPtr key_bio(
        BIO_new_mem_buf(options.key_pem.data(), static_cast<int>(options.key_pem.size())));
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!key || !SSL_CTX_use_PrivateKey(c, key.get()) || !SSL_CTX_check_private_key(c)) {
      ERR_clear_error();
      return Error{"client key is not PEM or does not match the certificate"};
    }
  }
  h->ssl.reset(SSL_new(c));
  if (!h->ssl) return Error{"cannot create a TLS client"};
  h->in = BIO_new(BIO_s_mem());
  h->out = BIO_new(BIO_s_mem());
  SSL_set_bio(h->ssl.get(), h->in, h->out);
  SSL_set_connect_state(h->ssl.get());
  if (!options.sni.empty()) SSL_set_tlsext_host_name(h->ssl.get(), options.sni.c_str());
  if (!options.alpn.empty()) {
    std::string wire;
    for (const auto& p : options.alpn) {
      if (p.empty() || p.size() > 255) return Error{"ALPN protocol names are 1 to 255 bytes"};
      wire += static_cast<char>(p.size()) + p;
    }
    SSL_set_alpn_protos(h->ssl.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                        static_cast<unsigned>(wire.size()));
  }
  ERR_clear_error();
  auto client = std::make_unique<ProbeClient>(std::move(h));
  SSL_set_app_data(client->h_->ssl.get(), &client->tickets_);
  return client;
}

void ProbeClient::handshake(ServerSession& server) {
  SSL* ssl = h_->ssl.get();
  for (int round = 0; round < 20; ++round) {
    ERR_clear_error();
    SSL_do_handshake(ssl);
    const bool moved = pump(server);
    if (!moved && server.state() != ServerSession::State::kHandshaking) break;
    if (!moved && alert_ != 0) break;
  }
  if (SSL_is_init_finished(ssl) && server.state() == ServerSession::State::kEstablished) {
    size_t n = 0;
    SSL_write_ex(ssl, "ping", 4, &n);
    pump(server);
    server.send("pong");
    pump(server);
  }
  ERR_clear_error();
}

bool ProbeClient::pump(ServerSession& server) {
  SSL* ssl = h_->ssl.get();
  bool moved = false;
  const size_t pending = BIO_ctrl_pending(h_->out);
  if (pending > 0) {
    std::string bytes(pending, '\0');
    BIO_read(h_->out, bytes.data(), static_cast<int>(pending));
    server.receive(bytes);
    moved = true;
  }
  const std::string back = server.takeCiphertext();
  if (!back.empty()) {
    BIO_write(h_->in, back.data(), static_cast<int>(back.size()));
    ERR_clear_error();
    // Reading surfaces alerts and tickets that arrive after the handshake.
    if (SSL_is_init_finished(ssl)) {
      char buffer[256];
      size_t got = 0;
      if (SSL_read_ex(ssl, buffer, sizeof buffer, &got) == 1) received_.append(buffer, got);
    } else {
      SSL_do_handshake(ssl);
    }
    const unsigned long error = ERR_peek_last_error();
    if (ERR_GET_LIB(error) == ERR_LIB_SSL && ERR_GET_REASON(error) >= SSL_AD_REASON_OFFSET) {
      alert_ = ERR_GET_REASON(error) - SSL_AD_REASON_OFFSET;
    }
    ERR_clear_error();
    moved = true;
  }
  return moved;
}

bool ProbeClient::established() const {
  return SSL_is_init_finished(h_->ssl.get()) == 1 && alert_ == 0;
}
std::string ProbeClient::version() const { return SSL_get_version(h_->ssl.get()); }
std::string ProbeClient::cipher() const { return SSL_get_cipher_name(h_->ssl.get()); }
std::string ProbeClient::alpn() const {
  const unsigned char* p = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(h_->ssl.get(), &p, &len);
  return p == nullptr ? "" : std::string(reinterpret_cast<const char*>(p), len);
}

}  // namespace ctplab::proxy::tls
