#include "ctplab/proxy/tls/server_session.h"

#include <openssl/err.h>
#include <openssl/objects.h>

#include "tls/verification.h"

namespace ctplab::proxy::tls {
namespace {

// BoringSSL's group names, which Envoy's ssl.curves.<name> counters carry.
std::string groupName(int nid) {
  switch (nid) {
    case NID_X25519:
      return "X25519";
    case NID_X448:
      return "X448";
    case NID_X9_62_prime256v1:
      return "P-256";
    case NID_secp384r1:
      return "P-384";
    case NID_secp521r1:
      return "P-521";
    default:
      break;
  }
  const char* name = OBJ_nid2sn(nid);
  return name != nullptr ? name : "";
}

std::string der(X509* cert) {
  unsigned char* buffer = nullptr;
  const int len = i2d_X509(cert, &buffer);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(buffer), static_cast<size_t>(len));
  OPENSSL_free(buffer);
  return out;
}

std::string drainErrors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (out.empty()) out = buffer;
  }
  return out;
}

}  // namespace

ServerSession::ServerSession(std::shared_ptr<const ServerContext> context, TimePoint now)
    : context_(std::move(context)), record_(std::make_unique<VerificationRecord>()) {
  ssl_.reset(SSL_new(context_->ctx()));
  if (!ssl_) {
    state_ = State::kFailed;
    outcome_.failure = drainErrors();
    stats_ = {"ssl.connection_error"};
    return;
  }
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_.get(), in_, out_);
  SSL_set_accept_state(ssl_.get());
  SSL_set_ex_data(ssl_.get(), verificationIndex(), record_.get());
  X509_VERIFY_PARAM_set_time(SSL_get0_param(ssl_.get()), static_cast<time_t>(now.unixSeconds()));
}

ServerSession::~ServerSession() = default;

void ServerSession::receive(std::string_view ciphertext) {
  if (state_ == State::kFailed || state_ == State::kClosed || ciphertext.empty()) return;
  BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size()));
  if (state_ == State::kHandshaking) driveHandshake();
  if (state_ == State::kEstablished) readApplicationData();
}

void ServerSession::driveHandshake() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_.get());
  if (rc == 1) {
    onEstablished();
    return;
  }
  const int error = SSL_get_error(ssl_.get(), rc);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
  onFailure(error);
}

void ServerSession::onEstablished() {
  state_ = State::kEstablished;
  SSL* ssl = ssl_.get();
  outcome_.version = SSL_get_version(ssl);
  outcome_.cipher = SSL_get_cipher_name(ssl);
  const int group = SSL_get_negotiated_group(ssl);
  if (group > 0 && (group & TLSEXT_nid_unknown) == 0) outcome_.group = groupName(group);
  const unsigned char* alpn = nullptr;
  unsigned int alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  if (alpn != nullptr) outcome_.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_len);
  if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) outcome_.sni = sni;
  outcome_.resumed = SSL_session_reused(ssl) == 1;
  if (EVP_PKEY* key = SSL_get_privatekey(ssl)) outcome_.server_key_rsa = EVP_PKEY_is_a(key, "RSA");
  if (X509* leaf = SSL_get0_peer_certificate(ssl)) {
    outcome_.client_certificate = true;
    outcome_.peer_chain_der.push_back(der(leaf));
    // On a server the peer chain leaves the leaf out.
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
      for (int i = 0; i < sk_X509_num(chain); ++i) {
        outcome_.peer_chain_der.push_back(der(sk_X509_value(chain, i)));
      }
    }
  }
  stats_ = {"ssl.handshake", "ssl.ciphers." + outcome_.cipher, "ssl.versions." + outcome_.version};
  if (!outcome_.group.empty()) stats_.push_back("ssl.curves." + outcome_.group);
  if (outcome_.resumed) stats_.push_back("ssl.session_reused");
  if (!outcome_.client_certificate) stats_.push_back("ssl.no_certificate");
}

void ServerSession::onFailure(int ssl_error) {
  state_ = State::kFailed;
  const unsigned long last = ERR_peek_last_error();
  outcome_.failure = drainErrors();
  if (outcome_.failure.empty() && ssl_error == SSL_ERROR_SYSCALL) {
    outcome_.failure = "unexpected end of the handshake";
  }
  outcome_.client_certificate = SSL_get0_peer_certificate(ssl_.get()) != nullptr;
  switch (record_->verdict) {
    case ClientCertVerdict::kFailVerifyError:
      stats_ = {"ssl.fail_verify_error"};
      outcome_.failure = "client certificate: " + record_->detail;
      return;
    case ClientCertVerdict::kFailSan:
      stats_ = {"ssl.fail_verify_san"};
      outcome_.failure = "client certificate: " + record_->detail;
      return;
    case ClientCertVerdict::kFailCertHash:
      stats_ = {"ssl.fail_verify_cert_hash"};
      outcome_.failure = "client certificate: " + record_->detail;
      return;
    default:
      break;
  }
  if (ERR_GET_REASON(last) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    stats_ = {"ssl.fail_verify_no_cert"};
    outcome_.failure = "no client certificate";
    return;
  }
  stats_ = {"ssl.connection_error"};
}

void ServerSession::readApplicationData() {
  char buffer[16384];
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_.get(), buffer, sizeof buffer);
    if (n > 0) {
      plaintext_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    const int error = SSL_get_error(ssl_.get(), n);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    if (error == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      return;
    }
    // A broken record after the handshake: the connection is over (Envoy closes it).
    state_ = State::kFailed;
    outcome_.failure = drainErrors();
    return;
  }
}

std::string ServerSession::takePlaintext() { return std::exchange(plaintext_, {}); }

void ServerSession::send(std::string_view plaintext) {
  if (state_ != State::kEstablished || plaintext.empty()) return;
  ERR_clear_error();
  size_t written = 0;
  // Memory BIOs grow without bound, so a write never blocks.
  SSL_write_ex(ssl_.get(), plaintext.data(), plaintext.size(), &written);
}

void ServerSession::shutdown() {
  if (state_ != State::kEstablished) return;
  ERR_clear_error();
  SSL_shutdown(ssl_.get());
  state_ = State::kClosed;
}

std::string ServerSession::takeCiphertext() {
  std::string out;
  if (out_ == nullptr) return out;
  const size_t pending = BIO_ctrl_pending(out_);
  out.resize(pending);
  if (pending > 0) BIO_read(out_, out.data(), static_cast<int>(pending));
  return out;
}

}  // namespace ctplab::proxy::tls
