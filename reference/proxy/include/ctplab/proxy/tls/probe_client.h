// A TLS client over memory BIOs: the simulator's stand-in for a real client's handshake (and the
// tests' probe), with the versions, suites, groups, ALPN and certificate a client profile names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctplab/proxy/tls/openssl_ptr.h"
#include "ctplab/proxy/tls/server_session.h"

namespace ctplab::proxy::tls {

struct ProbeOptions {
  std::string sni;
  std::optional<int> min_version, max_version;  // TLS1_x_VERSION
  std::string ciphers;                          // TLS <= 1.2 suites; empty: OpenSSL's default
  std::string groups;                           // empty: OpenSSL's default
  std::vector<std::string> alpn;
  std::string cert_pem, key_pem;  // a client certificate (chain PEM) and its key; empty: none
};

class ProbeClient {
 public:
  // Errors: a client setting OpenSSL refuses, or a certificate or key that does not load.
  static Result<std::unique_ptr<ProbeClient>> create(const ProbeOptions& options);
  ~ProbeClient();

  // Runs the handshake against `server` until neither side has anything left to say, then
  // exchanges one application record each way so TLS 1.3's late messages (tickets, a rejected
  // client certificate's alert) arrive.
  void handshake(ServerSession& server);

  bool established() const;
  std::string version() const;
  std::string cipher() const;
  std::string alpn() const;
  int tickets() const { return tickets_; }
  const std::string& received() const { return received_; }
  int alert() const { return alert_; }  // the alert the server sent, 0 if none

  struct Handles;
  explicit ProbeClient(std::unique_ptr<Handles> handles);

 private:
  bool pump(ServerSession& server);

  std::unique_ptr<Handles> h_;
  int tickets_ = 0;
  int alert_ = 0;
  std::string received_;
};

}  // namespace ctplab::proxy::tls
