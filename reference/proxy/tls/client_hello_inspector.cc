#include "ctplab/proxy/tls/client_hello_inspector.h"

#include <openssl/err.h>
#include <openssl/tls1.h>

namespace ctplab::proxy::tls {
namespace {

// One context for every inspection: it never completes a handshake (the callback stops each
// one as soon as the ClientHello is parsed), so it needs no certificate.
SSL_CTX* inspectionContext();

int onClientHello(SSL* ssl, int* alert, void*) {
  auto* info = static_cast<ClientHelloInfo*>(SSL_get_app_data(ssl));
  info->kind = ClientHelloInfo::Kind::kTls;
  const unsigned char* p = nullptr;
  size_t len = 0;
  // server_name: list length (2), then entries of type (1), length (2), name.
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) == 1 && len >= 2) {
    size_t pos = 2;
    while (pos + 3 <= len) {
      const unsigned type = p[pos];
      const size_t name_len = (static_cast<size_t>(p[pos + 1]) << 8) | p[pos + 2];
      if (pos + 3 + name_len > len) break;
      if (type == TLSEXT_NAMETYPE_host_name) {
        info->sni.assign(reinterpret_cast<const char*>(p + pos + 3), name_len);
        break;
      }
      pos += 3 + name_len;
    }
  }
  // ALPN: list length (2), then length-prefixed protocol names.
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &p,
                                &len) == 1 &&
      len >= 2) {
    size_t pos = 2;
    while (pos < len) {
      const size_t n = p[pos];
      if (pos + 1 + n > len) break;
      info->alpn.emplace_back(reinterpret_cast<const char*>(p + pos + 1), n);
      pos += 1 + n;
    }
  }
  *alert = SSL_AD_INTERNAL_ERROR;  // never sent: the inspector's output is discarded
  return SSL_CLIENT_HELLO_ERROR;
}

SSL_CTX* inspectionContext() {
  static SSL_CTX* const ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_server_method());
    // Any version a client may offer must parse, whatever the listener accepts later.
    SSL_CTX_set_min_proto_version(c, TLS1_VERSION);
    SSL_CTX_set_security_level(c, 0);
    SSL_CTX_set_client_hello_cb(c, onClientHello, nullptr);
    return c;
  }();
  return ctx;
}

}  // namespace

ClientHelloInspector::ClientHelloInspector() {
  ssl_.reset(SSL_new(inspectionContext()));
  if (!ssl_) {
    info_.kind = ClientHelloInfo::Kind::kNotTls;
    return;
  }
  in_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_.get(), in_, BIO_new(BIO_s_mem()));
  SSL_set_accept_state(ssl_.get());
  SSL_set_app_data(ssl_.get(), &info_);
}

ClientHelloInspector::~ClientHelloInspector() = default;

const ClientHelloInfo& ClientHelloInspector::feed(std::string_view bytes) {
  if (info_.kind != ClientHelloInfo::Kind::kNeedMore || bytes.empty()) return info_;
  BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_.get());
  if (info_.kind == ClientHelloInfo::Kind::kNeedMore && rc <= 0) {
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error != SSL_ERROR_WANT_READ) info_.kind = ClientHelloInfo::Kind::kNotTls;
  }
  ERR_clear_error();
  return info_;
}

}  // namespace ctplab::proxy::tls
