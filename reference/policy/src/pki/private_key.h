// Private keys as Go's x509.ParsePKCS1PrivateKey/ParsePKCS8PrivateKey/ParseECPrivateKey accept
// them, and crypto/tls.X509KeyPair's check that a key belongs to a certificate.
#pragma once

#include <string>
#include <string_view>

namespace ctplab::policy::pki {

enum class PrivateKind { kRsa, kEcdsa, kEd25519, kX25519 };

// Only the public half survives parsing: X509KeyPair compares nothing else.
struct PrivateKey {
  PrivateKind kind = PrivateKind::kRsa;
  std::string rsa_n;
  std::string ec_x;  // Public point derived from the scalar, as Go derives it.
  std::string ec_y;
  std::string ed25519_public;
};

// Each returns "" on success, else an error. Only success or failure reaches Envoy Gateway's
// messages, so most failures carry a short description rather than Go's exact text.
std::string parsePkcs1PrivateKey(std::string_view der, PrivateKey* out);
std::string parsePkcs8PrivateKey(std::string_view der, PrivateKey* out);
std::string parseEcPrivateKey(std::string_view der, PrivateKey* out);

// Mirrors crypto/tls.X509KeyPair(certPEM, keyPEM) and returns its error text ("" when the pair
// is usable), e.g. "tls: private key does not match public key",
// "tls: private key type does not match public key type", "tls: failed to parse private key".
std::string checkX509KeyPair(std::string_view cert_pem, std::string_view key_pem);

}  // namespace ctplab::policy::pki
