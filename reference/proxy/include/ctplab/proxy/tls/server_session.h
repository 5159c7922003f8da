// The server side of one TLS connection without sockets: ciphertext in, plaintext out, and the
// handshake's outcome (version, suite, group, ALPN, client-certificate verdict) with its stats.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/tls/openssl_ptr.h"
#include "ctplab/proxy/tls/server_context.h"

namespace ctplab::proxy::tls {

struct VerificationRecord;

struct HandshakeOutcome {
  std::string version;  // "TLSv1.2", as Envoy's ssl.versions.<...> names it
  std::string cipher;   // "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"
  std::string group;    // "X25519", "P-256"
  std::string alpn;     // empty: none negotiated
  std::string sni;
  bool resumed = false;
  bool client_certificate = false;          // the client presented one
  bool server_key_rsa = false;              // the certificate served has an RSA key
  std::vector<std::string> peer_chain_der;  // as presented, leaf first
  std::string failure;                      // why the handshake failed, for traces
};

class ServerSession {
 public:
  enum class State { kHandshaking, kEstablished, kFailed, kClosed };

  // Certificates are judged at `now` (the simulation's clock or the wall clock): the session
  // never reads a clock itself.
  ServerSession(std::shared_ptr<const ServerContext> context, TimePoint now);
  ~ServerSession();
  ServerSession(const ServerSession&) = delete;
  ServerSession& operator=(const ServerSession&) = delete;

  // Bytes from the client. Drives the handshake; afterwards decrypts application data.
  void receive(std::string_view ciphertext);
  // Decrypted application data received so far (taken).
  std::string takePlaintext();
  // Application data for the client; only once established.
  void send(std::string_view plaintext);
  // Sends close_notify.
  void shutdown();
  // Bytes for the client: handshake flights, alerts, records (taken).
  std::string takeCiphertext();

  State state() const { return state_; }
  bool peerClosed() const { return peer_closed_; }
  const HandshakeOutcome& outcome() const { return outcome_; }
  // Listener counters this connection's handshake adds one to (spec 6): `ssl.handshake` with
  // `ssl.ciphers.*`, `ssl.versions.*`, `ssl.curves.*` and `ssl.no_certificate`, or one failure
  // counter (`ssl.fail_verify_no_cert`, `ssl.fail_verify_error`, `ssl.fail_verify_san`,
  // `ssl.fail_verify_cert_hash`, `ssl.connection_error`). Empty while handshaking.
  const std::vector<std::string>& stats() const { return stats_; }

 private:
  void driveHandshake();
  void readApplicationData();
  void onEstablished();
  void onFailure(int ssl_error);

  std::shared_ptr<const ServerContext> context_;
  std::unique_ptr<VerificationRecord> record_;
  SslPtr ssl_;
  BIO* in_ = nullptr;   // owned by ssl_
  BIO* out_ = nullptr;  // owned by ssl_
  State state_ = State::kHandshaking;
  bool peer_closed_ = false;
  std::string plaintext_;
  HandshakeOutcome outcome_;
  std::vector<std::string> stats_;
};

}  // namespace ctplab::proxy::tls
