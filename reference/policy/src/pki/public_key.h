// Subject public keys as Go's crypto/x509 parses them (RSA, ECDSA on NIST curves, Ed25519, DSA)
// with Go's error texts, plus the BIGNUM conversions the key parsers share.
#pragma once

#include <openssl/bn.h>
#include <openssl/obj_mac.h>

#include <string>
#include <string_view>

#include "pki/der_reader.h"
#include "pki/openssl_handles.h"

namespace ctplab::policy::pki {

inline const Oid kOidPublicKeyRsa = {1, 2, 840, 113549, 1, 1, 1};
inline const Oid kOidPublicKeyDsa = {1, 2, 840, 10040, 4, 1};
inline const Oid kOidPublicKeyEcdsa = {1, 2, 840, 10045, 2, 1};
inline const Oid kOidPublicKeyEd25519 = {1, 3, 101, 112};
inline const Oid kOidPublicKeyX25519 = {1, 3, 101, 110};

// A NIST curve Go's x509 knows (namedCurveFromOID).
struct NamedCurve {
  int nid = NID_undef;
  int bits = 0;
};

// NID_undef for curves Go does not support.
NamedCurve namedCurveFromOid(const Oid& oid);

// Width of one affine coordinate (and of a private scalar's public point halves).
size_t coordinateBytes(const NamedCurve& c);

enum class KeyKind { kNone, kRsa, kEcdsa, kEd25519, kDsa };

// Only what crypto/tls.X509KeyPair compares against the private key is kept.
struct PublicKey {
  KeyKind kind = KeyKind::kNone;
  std::string rsa_n;  // Modulus magnitude.
  NamedCurve curve;   // ECDSA curve.
  std::string ec_x;   // Fixed-width big-endian coordinates.
  std::string ec_y;
  std::string ed25519;  // 32 raw bytes.
};

// Go crypto/x509 parsePublicKey for the algorithms getPublicKeyAlgorithmFromOID knows;
// params_full is the whole parameters element (empty when absent). Returns Go's error text.
std::string parsePublicKeyInfo(const Oid& algorithm, std::string_view params_full,
                               const BitString& key_bits, PublicKey* out);

// Go x509.PublicKeyAlgorithm: 0 unknown, 1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519.
int publicKeyAlgorithmFromOid(const Oid& oid);

// Go PublicKeyAlgorithm.String(): "RSA", "DSA", "ECDSA", "Ed25519", else the number.
std::string publicKeyAlgorithmName(int algo);

// Big-endian magnitude to BIGNUM; null on allocation failure.
BignumPtr bignumFromBytes(std::string_view bytes);

// BIGNUM to big-endian bytes left-padded to width; empty when it does not fit.
std::string bignumToPadded(const BIGNUM* bn, size_t width);

}  // namespace ctplab::policy::pki
