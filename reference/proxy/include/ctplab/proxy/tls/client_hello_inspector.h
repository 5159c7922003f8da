// The TLS inspector listener filter: reads a connection's first bytes as a ClientHello (with
// OpenSSL's parser) to learn the SNI and ALPN offer that choose the filter chain, or that it is
// not TLS at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/tls/openssl_ptr.h"

namespace ctplab::proxy::tls {

struct ClientHelloInfo {
  enum class Kind { kNeedMore, kTls, kNotTls };
  Kind kind = Kind::kNeedMore;
  std::string sni;                // empty: the client sent none
  std::vector<std::string> alpn;  // as offered, in the client's order
};

class ClientHelloInspector {
 public:
  ClientHelloInspector();
  ~ClientHelloInspector();
  ClientHelloInspector(const ClientHelloInspector&) = delete;
  ClientHelloInspector& operator=(const ClientHelloInspector&) = delete;

  // The connection's bytes so far, in order (each call adds what arrived since the last). The
  // caller keeps the bytes: the TLS session that follows reads them again.
  const ClientHelloInfo& feed(std::string_view bytes);
  const ClientHelloInfo& info() const { return info_; }

 private:
  SslPtr ssl_;
  BIO* in_ = nullptr;
  ClientHelloInfo info_;
};

}  // namespace ctplab::proxy::tls
