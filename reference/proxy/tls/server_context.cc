#include "ctplab/proxy/tls/server_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "tls/verification.h"

namespace ctplab::proxy::tls {
namespace {

std::string opensslError(const std::string& what) {
  std::string out = what;
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    out += ": ";
    out += buffer;
  }
  ERR_clear_error();
  return out;
}

BioPtr memoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::vector<std::string> uriSans(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                     static_cast<size_t>(ASN1_STRING_length(uri)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

// Server preference: the first of our protocols the client offered; none in common means the
// handshake goes on without ALPN, as BoringSSL's server does.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void* arg) {
  const auto* context = static_cast<const ServerContext*>(arg);
  for (const auto& ours : context->alpn()) {
    for (unsigned int i = 0; i < inlen;) {
      const unsigned int len = in[i];
      if (i + 1 + len > inlen) return SSL_TLSEXT_ERR_NOACK;  // malformed list
      if (len == ours.size() && std::memcmp(in + i + 1, ours.data(), len) == 0) {
        *out = in + i + 1;
        *outlen = static_cast<unsigned char>(len);
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + len;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

std::optional<int> protocolVersion(const std::string& name) {
  if (name == "1.0") return TLS1_VERSION;
  if (name == "1.1") return TLS1_1_VERSION;
  if (name == "1.2") return TLS1_2_VERSION;
  if (name == "1.3") return TLS1_3_VERSION;
  return std::nullopt;
}

std::string opensslCipherList(const std::vector<std::string>& ciphers) {
  // OpenSSL has no equal-preference groups: a group's members keep their listed order.
  std::string out;
  for (const auto& entry : ciphers) {
    std::string flat;
    for (char c : entry) {
      if (c == '[' || c == ']') continue;
      flat += c == '|' ? ':' : c;
    }
    out += (out.empty() ? "" : ":") + flat;
  }
  return out;
}

ServerContext::ServerContext(SslCtxPtr ctx, policy::ir::TLSConfig config)
    : ctx_(std::move(ctx)), config_(std::move(config)) {}

Result<std::shared_ptr<const ServerContext>> ServerContext::build(
    const policy::ir::TLSConfig& config, bool https, bool overlapping_certs, bool http2) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return Error{opensslError("cannot create a TLS context")};
  auto context = std::make_shared<ServerContext>(std::move(ctx), config);
  SSL_CTX* c = context->ctx_.get();
  // Envoy's TLS library has no security levels: what the configuration names is what is offered
  // (TLS 1.0/1.1 and SHA-1 suites included, as e2e MTLS-3 requires).
  SSL_CTX_set_security_level(c, 0);
  SSL_CTX_set_options(
      c, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);

  const std::string min = config.min_version.value_or("1.2");
  const std::string max = config.max_version.value_or("1.3");
  const auto min_version =
      min == "Auto" ? std::optional<int>(TLS1_2_VERSION) : protocolVersion(min);
  const auto max_version =
      max == "Auto" ? std::optional<int>(TLS1_3_VERSION) : protocolVersion(max);
  if (!min_version || !max_version) {
    return Error{"unknown TLS version in [" + min + ", " + max + "]"};
  }
  if (!SSL_CTX_set_min_proto_version(c, *min_version) ||
      !SSL_CTX_set_max_proto_version(c, *max_version)) {
    return Error{opensslError("TLS versions [" + min + ", " + max + "] refused")};
  }
  const std::string ciphers =
      config.ciphers.empty()
          ? opensslCipherList({"[ECDHE-ECDSA-AES128-GCM-SHA256|"
                               "ECDHE-ECDSA-CHACHA20-POLY1305]",
                               "[ECDHE-RSA-AES128-GCM-SHA256|"
                               "ECDHE-RSA-CHACHA20-POLY1305]",
                               "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"})
          : opensslCipherList(config.ciphers);
  if (!SSL_CTX_set_cipher_list(c, ciphers.c_str())) {
    return Error{opensslError("cipher suites \"" + ciphers + "\" refused")};
  }
  const std::string groups =
      config.ecdh_curves.empty() ? "X25519:P-256" : join(config.ecdh_curves, ":");
  if (!SSL_CTX_set1_groups_list(c, groups.c_str())) {
    return Error{opensslError("ECDH curves \"" + groups + "\" refused")};
  }
  if (!config.signature_algorithms.empty()) {
    const std::string sigalgs = join(config.signature_algorithms, ":");
    if (!SSL_CTX_set1_sigalgs_list(c, sigalgs.c_str())) {
      return Error{opensslError("signature algorithms \"" + sigalgs + "\" refused")};
    }
  }

  if (config.certificates.empty()) return Error{"no serving certificate"};
  for (const auto& cert : config.certificates) {
    auto bio = memoryBio(cert.certificate_pem);
    X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!leaf) return Error{opensslError("certificate " + cert.name + " is not PEM")};
    if (!SSL_CTX_use_certificate(c, leaf.get())) {
      return Error{opensslError("certificate " + cert.name + " refused")};
    }
    while (X509Ptr next{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
      if (!SSL_CTX_add1_chain_cert(c, next.get())) {
        return Error{opensslError("chain of " + cert.name + " refused")};
      }
    }
    ERR_clear_error();  // the loop ends on "no start line"
    auto key_bio = memoryBio(cert.private_key_pem);
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!key) return Error{opensslError("private key of " + cert.name + " is not PEM")};
    if (!SSL_CTX_use_PrivateKey(c, key.get()) || !SSL_CTX_check_private_key(c)) {
      return Error{opensslError("private key of " + cert.name + " does not match")};
    }
    if (context->local_uri_sans_.empty()) context->local_uri_sans_ = uriSans(leaf.get());
  }

  if (config.alpn_protocols) {
    context->alpn_ = *config.alpn_protocols;
  } else if (https) {
    context->alpn_ = overlapping_certs ? std::vector<std::string>{"http/1.1"}
                                       : std::vector<std::string>{"h2", "http/1.1"};
  }
  if (!http2) std::erase(context->alpn_, "h2");
  if (!context->alpn_.empty()) SSL_CTX_set_alpn_select_cb(c, selectAlpn, context.get());

  // Resumption is off unless asked for: no tickets (TLS 1.2 or 1.3) and no session-ID cache.
  if (!config.stateless_session_resumption) {
    SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(c, 0);
  }
  SSL_CTX_set_session_cache_mode(
      c, config.stateful_session_resumption ? SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
  static constexpr unsigned char kSessionContext[] = "ctplab";
  SSL_CTX_set_session_id_context(c, kSessionContext, sizeof kSessionContext - 1);

  auto checks = ClientCertChecks::fromTls(config);
  if (!checks) return Error{checks.error().message};
  context->checks_.emplace(std::move(checks).value());
  auto& v = context->validation_;
  v.enabled = config.client_validation_enabled;
  // Pins or SAN matchers make a certificate mandatory unless untrusted ones are accepted, as
  // Envoy's validator sets FAIL_IF_NO_PEER_CERT for them.
  v.required = config.require_client_certificate ||
               (context->checks_->configured() && !config.accept_untrusted);
  v.accept_untrusted = config.accept_untrusted;
  v.allow_expired = config.allow_expired_certificate;
  if (v.enabled) {
    X509_STORE* store = SSL_CTX_get_cert_store(c);
    if (config.ca_certificate) {
      auto bio = memoryBio(config.ca_certificate->certificate_pem);
      int loaded = 0;
      while (X509Ptr ca{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
        X509_STORE_add_cert(store, ca.get());
        ++loaded;
      }
      ERR_clear_error();
      if (loaded == 0)
        return Error{"client CA bundle " + config.ca_certificate->name + " is empty"};
    }
    if (config.crl) {
      auto bio = memoryBio(config.crl->data);
      int loaded = 0;
      while (X509CrlPtr crl{PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)}) {
        X509_STORE_add_crl(store, crl.get());
        ++loaded;
      }
      ERR_clear_error();
      if (loaded == 0) return Error{"CRL " + config.crl->name + " holds no CRL"};
      v.has_crl = true;
      v.crl_leaf_only = config.crl->only_verify_leaf;
      X509_STORE_set_flags(
          store, X509_V_FLAG_CRL_CHECK | (v.crl_leaf_only ? 0 : X509_V_FLAG_CRL_CHECK_ALL));
    }
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | (v.required ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                       nullptr);
    SSL_CTX_set_cert_verify_callback(c, verifyClientChain, context.get());
  }
  return std::shared_ptr<const ServerContext>(std::move(context));
}

}  // namespace ctplab::proxy::tls
