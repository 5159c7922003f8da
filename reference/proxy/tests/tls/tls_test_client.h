// A TLS client over memory BIOs for the data-plane tests: real OpenSSL handshakes against a
// ServerSession, with the version, suite, group, ALPN and certificate choices a probe makes.
#pragma once

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <vector>

#include "ctplab/proxy/tls/openssl_ptr.h"
#include "ctplab/proxy/tls/server_session.h"

namespace ctplab::proxy::tls::testing {

struct ClientOptions {
  std::string sni;
  std::optional<int> min_version, max_version;
  std::string ciphers;  // TLS <= 1.2 list; empty: OpenSSL's default
  std::string groups;   // empty: OpenSSL's default
  std::vector<std::string> alpn;
  std::string cert_pem, key_pem;  // a client certificate (chain PEM) and its key
};

class TestClient {
 public:
  explicit TestClient(const ClientOptions& options) {
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_security_level(ctx_.get(), 0);
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_NONE, nullptr);
    if (options.min_version) SSL_CTX_set_min_proto_version(ctx_.get(), *options.min_version);
    if (options.max_version) SSL_CTX_set_max_proto_version(ctx_.get(), *options.max_version);
    if (!options.ciphers.empty()) SSL_CTX_set_cipher_list(ctx_.get(), options.ciphers.c_str());
    if (!options.groups.empty()) SSL_CTX_set1_groups_list(ctx_.get(), options.groups.c_str());
    // Tickets the server issues arrive through the session cache's callback.
    SSL_CTX_set_session_cache_mode(ctx_.get(), SSL_SESS_CACHE_CLIENT);
    SSL_CTX_sess_set_new_cb(ctx_.get(), [](SSL* ssl, SSL_SESSION*) {
      ++*static_cast<int*>(SSL_get_app_data(ssl));
      return 0;
    });
    if (!options.cert_pem.empty()) {
      BioPtr cert_bio(
          BIO_new_mem_buf(options.cert_pem.data(), static_cast<int>(options.cert_pem.size())));
      X509Ptr leaf(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
      SSL_CTX_use_certificate(ctx_.get(), leaf.get());
      while (X509Ptr next{PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)}) {
        SSL_CTX_add1_chain_cert(ctx_.get(), next.get());
      }
      BioPtr key_bio(
          BIO_new_mem_buf(options.key_pem.data(), static_cast<int>(options.key_pem.size())));
      EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
      SSL_CTX_use_PrivateKey(ctx_.get(), key.get());
    }
    ERR_clear_error();
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_app_data(ssl_.get(), &tickets_);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_.get(), in_, out_);
    SSL_set_connect_state(ssl_.get());
    if (!options.sni.empty()) SSL_set_tlsext_host_name(ssl_.get(), options.sni.c_str());
    if (!options.alpn.empty()) {
      std::string wire;
      for (const auto& p : options.alpn) wire += static_cast<char>(p.size()) + p;
      SSL_set_alpn_protos(ssl_.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                          static_cast<unsigned>(wire.size()));
    }
  }

  // Runs the handshake against `server` until neither side has anything left to say; then
  // exchanges one application record each way so TLS 1.3 post-handshake messages (tickets,
  // a late certificate rejection) arrive.
  void handshake(ServerSession& server) {
    for (int round = 0; round < 20; ++round) {
      SSL_do_handshake(ssl_.get());
      const bool moved = pump(server);
      if (!moved && server.state() != ServerSession::State::kHandshaking) break;
    }
    if (SSL_is_init_finished(ssl_.get()) && server.state() == ServerSession::State::kEstablished) {
      size_t n = 0;
      SSL_write_ex(ssl_.get(), "ping", 4, &n);
      pump(server);
      server.send("pong");
      pump(server);
      char buffer[64];
      size_t got = 0;
      if (SSL_read_ex(ssl_.get(), buffer, sizeof buffer, &got) == 1) {
        received_.append(buffer, got);
      }
    }
  }

  bool established() const { return SSL_is_init_finished(ssl_.get()) == 1 && alert_ == 0; }
  std::string version() const { return SSL_get_version(ssl_.get()); }
  std::string cipher() const { return SSL_get_cipher_name(ssl_.get()); }
  std::string alpn() const {
    const unsigned char* p = nullptr;
    unsigned int len = 0;
    SSL_get0_alpn_selected(ssl_.get(), &p, &len);
    return p == nullptr ? "" : std::string(reinterpret_cast<const char*>(p), len);
  }
  int tickets() const { return tickets_; }
  const std::string& received() const { return received_; }
  int alert() const { return alert_; }

 private:
  // Moves pending bytes both ways; true when any moved.
  bool pump(ServerSession& server) {
    bool moved = false;
    const size_t pending = BIO_ctrl_pending(out_);
    if (pending > 0) {
      std::string bytes(pending, '\0');
      BIO_read(out_, bytes.data(), static_cast<int>(pending));
      server.receive(bytes);
      moved = true;
    }
    const std::string back = server.takeCiphertext();
    if (!back.empty()) {
      BIO_write(in_, back.data(), static_cast<int>(back.size()));
      // Reading surfaces alerts and tickets that arrive after the handshake.
      char buffer[256];
      size_t got = 0;
      if (SSL_is_init_finished(ssl_.get())) {
        if (SSL_read_ex(ssl_.get(), buffer, sizeof buffer, &got) == 1) {
          received_.append(buffer, got);
        }
      } else {
        SSL_do_handshake(ssl_.get());
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

  SslCtxPtr ctx_;
  SslPtr ssl_;
  BIO* in_ = nullptr;
  BIO* out_ = nullptr;
  int tickets_ = 0;
  int alert_ = 0;
  std::string received_;
};

}  // namespace ctplab::proxy::tls::testing
