#include "pki/private_key.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "pki/der_reader.h"
#include "pki/go_pem.h"
#include "pki/go_strings.h"
#include "pki/openssl_handles.h"
#include "pki/public_key.h"
#include "pki/x509_certificate_internal.h"

namespace ctplab::policy::pki {
namespace {

const char kKeyParseFailed[] = "failed to parse private key";

// The outer SEQUENCE of a SEC 1 or PKCS #8 structure; unlike PKCS #1, Go ignores what follows it.
bool readKeySequence(std::string_view der, Der* fields) {
  Der input(der);
  std::string_view seq;
  if (!input.read(&seq, kTagSequence)) return false;
  *fields = Der(seq);
  return true;
}

std::string parseEcPrivateKeyWithCurve(const Oid* named_curve_oid, std::string_view der,
                                       PrivateKey* out) {
  Der f;
  if (!readKeySequence(der, &f)) return kKeyParseFailed;
  int64_t version = 0;
  std::string_view scalar;
  if (!f.readInt64(&version) || !f.read(&scalar, kTagOctetString)) return kKeyParseFailed;
  Oid inner_curve;
  std::string_view params;
  bool has_params = false;
  if (!f.readOptional(&params, &has_params, contextConstructed(0))) return kKeyParseFailed;
  if (has_params) {
    Der p(params);
    if (!p.readOid(&inner_curve)) return kKeyParseFailed;
  }
  std::string_view public_bits;
  bool has_public = false;
  if (!f.readOptional(&public_bits, &has_public, contextConstructed(1))) return kKeyParseFailed;
  if (has_public) {
    Der pb(public_bits);
    BitString bits;
    if (!pb.readBitString(&bits)) return kKeyParseFailed;
  }
  if (version != 1) return "x509: unknown EC private key version " + std::to_string(version);
  const NamedCurve curve =
      namedCurveFromOid(named_curve_oid != nullptr ? *named_curve_oid : inner_curve);
  if (curve.nid == NID_undef) return "x509: unknown elliptic curve";

  EcGroupPtr group(EC_GROUP_new_by_curve_name(curve.nid));
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr k = bignumFromBytes(scalar);
  if (!group || !ctx || !k) return kKeyParseFailed;
  if (BN_cmp(k.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return "x509: invalid elliptic curve private key value";
  }
  const size_t width = static_cast<size_t>(BN_num_bytes(EC_GROUP_get0_order(group.get())));
  while (scalar.size() > width) {
    if (scalar[0] != 0) return "x509: invalid private key length";
    scalar.remove_prefix(1);
  }
  if (BN_is_zero(k.get())) return "crypto/ecdsa: invalid private key";
  EcPointPtr point(EC_POINT_new(group.get()));
  BignumPtr x(BN_new());
  BignumPtr y(BN_new());
  if (!point || !x || !y ||
      EC_POINT_mul(group.get(), point.get(), k.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_get_affine_coordinates(group.get(), point.get(), x.get(), y.get(), ctx.get()) != 1) {
    return kKeyParseFailed;
  }
  out->kind = PrivateKind::kEcdsa;
  out->ec_x = bignumToPadded(x.get(), coordinateBytes(curve));
  out->ec_y = bignumToPadded(y.get(), coordinateBytes(curve));
  return {};
}

// crypto/tls parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1, whatever the block type says.
std::string tlsParsePrivateKey(std::string_view der, PrivateKey* out) {
  if (parsePkcs1PrivateKey(der, out).empty()) return {};
  if (parsePkcs8PrivateKey(der, out).empty()) {
    if (out->kind == PrivateKind::kX25519) {
      return "tls: found unknown private key type in PKCS#8 wrapping";
    }
    return {};
  }
  if (parseEcPrivateKey(der, out).empty()) return {};
  return "tls: failed to parse private key";
}

std::string_view stripLeadingZeros(std::string_view s) {
  while (!s.empty() && s[0] == 0) s.remove_prefix(1);
  return s;
}

}  // namespace

std::string parsePkcs1PrivateKey(std::string_view der, PrivateKey* out) {
  Der input(der);
  std::string_view seq;
  if (!input.read(&seq, kTagSequence)) return kKeyParseFailed;
  if (!input.empty()) return "asn1: syntax error: trailing data";
  Der f(seq);
  int64_t version = 0;
  int64_t e = 0;
  BigInt n;
  BigInt d;
  BigInt p;
  BigInt q;
  if (!f.readInt64(&version) || !f.readBigInt(&n) || !f.readInt64(&e) || !f.readBigInt(&d) ||
      !f.readBigInt(&p) || !f.readBigInt(&q)) {
    return kKeyParseFailed;
  }
  for (int i = 0; i < 3 && f.peekTag(kTagInteger); ++i) {
    BigInt crt;
    if (!f.readBigInt(&crt)) return kKeyParseFailed;
  }
  std::vector<BigInt> primes = {p, q};
  if (f.peekTag(kTagSequence)) {
    std::string_view extra_bytes;
    if (!f.read(&extra_bytes, kTagSequence)) return kKeyParseFailed;
    Der extra(extra_bytes);
    while (!extra.empty()) {
      std::string_view triple_bytes;
      if (!extra.read(&triple_bytes, kTagSequence)) return kKeyParseFailed;
      Der triple(triple_bytes);
      BigInt prime;
      BigInt exp;
      BigInt coeff;
      if (!triple.readBigInt(&prime) || !triple.readBigInt(&exp) || !triple.readBigInt(&coeff)) {
        return kKeyParseFailed;
      }
      if (prime.sign <= 0) return "x509: private key contains zero or negative prime";
      primes.push_back(prime);
    }
  }
  if (version > 1) return "x509: unsupported private key version";
  if (n.sign <= 0 || d.sign <= 0 || p.sign <= 0 || q.sign <= 0) {
    return "x509: private key contains zero or negative value";
  }
  // rsa.PrivateKey.Validate: sane exponent, primes multiply to N, d*e == 1 mod (prime-1).
  if (e < 2) return "crypto/rsa: public exponent too small";
  if (e > (int64_t{1} << 31) - 1) return "crypto/rsa: public exponent too large";
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr modulus(BN_new());
  BignumPtr de(BN_new());
  BignumPtr e_bn(BN_new());
  BignumPtr d_bn = bignumFromBytes(d.magnitude);
  BignumPtr n_bn = bignumFromBytes(n.magnitude);
  BignumPtr tmp(BN_new());
  if (!ctx || !modulus || !de || !e_bn || !d_bn || !n_bn || !tmp || BN_one(modulus.get()) != 1 ||
      BN_set_word(e_bn.get(), static_cast<BN_ULONG>(e)) != 1 ||
      BN_mul(de.get(), d_bn.get(), e_bn.get(), ctx.get()) != 1) {
    return kKeyParseFailed;
  }
  for (const BigInt& prime : primes) {
    BignumPtr prime_bn = bignumFromBytes(prime.magnitude);
    if (!prime_bn) return kKeyParseFailed;
    if (BN_cmp(prime_bn.get(), BN_value_one()) <= 0) return "crypto/rsa: invalid prime value";
    if (BN_mul(modulus.get(), modulus.get(), prime_bn.get(), ctx.get()) != 1) {
      return kKeyParseFailed;
    }
  }
  if (BN_cmp(modulus.get(), n_bn.get()) != 0) return "crypto/rsa: invalid modulus";
  for (const BigInt& prime : primes) {
    BignumPtr pm1 = bignumFromBytes(prime.magnitude);
    if (!pm1 || BN_sub_word(pm1.get(), 1) != 1 ||
        BN_mod(tmp.get(), de.get(), pm1.get(), ctx.get()) != 1) {
      return kKeyParseFailed;
    }
    if (!BN_is_one(tmp.get())) return "crypto/rsa: invalid exponents";
  }
  out->kind = PrivateKind::kRsa;
  out->rsa_n = n.magnitude;
  return {};
}

std::string parseEcPrivateKey(std::string_view der, PrivateKey* out) {
  return parseEcPrivateKeyWithCurve(nullptr, der, out);
}

std::string parsePkcs8PrivateKey(std::string_view der, PrivateKey* out) {
  Der f;
  if (!readKeySequence(der, &f)) return kKeyParseFailed;
  int64_t version = 0;
  std::string_view algo_bytes;
  std::string_view key_bytes;
  if (!f.readInt64(&version) || !f.read(&algo_bytes, kTagSequence)) return kKeyParseFailed;
  Der algo(algo_bytes);
  Oid algorithm;
  if (!algo.readOid(&algorithm)) return kKeyParseFailed;
  std::string_view params_full;
  if (!algo.empty()) {
    uint8_t tag = 0;
    if (!algo.readAnyElement(&params_full, &tag)) return kKeyParseFailed;
  }
  if (!f.read(&key_bytes, kTagOctetString)) return kKeyParseFailed;

  if (algorithm == kOidPublicKeyRsa) return parsePkcs1PrivateKey(key_bytes, out);
  if (algorithm == kOidPublicKeyEcdsa) {
    Der params(params_full);
    Oid curve;
    if (!params.readOid(&curve)) return kKeyParseFailed;
    return parseEcPrivateKeyWithCurve(&curve, key_bytes, out);
  }
  if (algorithm == kOidPublicKeyEd25519 || algorithm == kOidPublicKeyX25519) {
    if (!params_full.empty()) return kKeyParseFailed;
    Der inner(key_bytes);
    std::string_view seed;
    if (!inner.read(&seed, kTagOctetString) || seed.size() != 32) return kKeyParseFailed;
    if (algorithm == kOidPublicKeyX25519) {
      out->kind = PrivateKind::kX25519;
      return {};
    }
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()),
        seed.size()));
    std::string pub(32, '\0');
    size_t pub_len = pub.size();
    if (!pkey || EVP_PKEY_get_raw_public_key(
                     pkey.get(), reinterpret_cast<unsigned char*>(pub.data()), &pub_len) != 1) {
      return kKeyParseFailed;
    }
    out->kind = PrivateKind::kEd25519;
    out->ed25519_public = pub;
    return {};
  }
  return "x509: PKCS#8 wrapping contained private key with unknown algorithm: " +
         oidToString(algorithm);
}

std::string checkX509KeyPair(std::string_view cert_pem, std::string_view key_pem) {
  std::vector<std::string> cert_ders;
  std::vector<std::string> skipped;
  for (;;) {
    PemDecodeResult decoded = decodePem(cert_pem);
    if (!decoded.block) break;
    cert_pem = decoded.rest;
    if (decoded.block->type == "CERTIFICATE") {
      cert_ders.push_back(std::move(decoded.block->bytes));
    } else {
      skipped.push_back(decoded.block->type);
    }
  }
  if (cert_ders.empty()) {
    if (skipped.empty()) return "tls: failed to find any PEM data in certificate input";
    if (skipped.size() == 1 && skipped[0].ends_with("PRIVATE KEY")) {
      return "tls: failed to find certificate PEM data in certificate input, but did find a "
             "private key; PEM inputs may have been switched";
    }
    return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping "
           "PEM blocks of the following types: " +
           goStringSlice(skipped);
  }

  skipped.clear();
  std::optional<PemBlock> key_block;
  for (;;) {
    PemDecodeResult decoded = decodePem(key_pem);
    if (!decoded.block) {
      if (skipped.empty()) return "tls: failed to find any PEM data in key input";
      if (skipped.size() == 1 && skipped[0] == "CERTIFICATE") {
        return "tls: found a certificate rather than a key in the PEM for the private key";
      }
      return "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input "
             "after skipping PEM blocks of the following types: " +
             goStringSlice(skipped);
    }
    key_pem = decoded.rest;
    const std::string& type = decoded.block->type;
    if (type == "PRIVATE KEY" || type.ends_with(" PRIVATE KEY")) {
      key_block = std::move(decoded.block);
      break;
    }
    skipped.push_back(type);
  }

  ParsedCertificate leaf;
  if (std::string err = parseSingleCertificate(cert_ders[0], &leaf); !err.empty()) return err;
  PrivateKey key;
  if (std::string err = tlsParsePrivateKey(key_block->bytes, &key); !err.empty()) return err;

  const PublicKey& pub = leaf.public_key;
  switch (pub.kind) {
    case KeyKind::kRsa:
      if (key.kind != PrivateKind::kRsa) {
        return "tls: private key type does not match public key type";
      }
      if (stripLeadingZeros(pub.rsa_n) != stripLeadingZeros(key.rsa_n)) {
        return "tls: private key does not match public key";
      }
      return {};
    case KeyKind::kEcdsa:
      if (key.kind != PrivateKind::kEcdsa) {
        return "tls: private key type does not match public key type";
      }
      if (stripLeadingZeros(pub.ec_x) != stripLeadingZeros(key.ec_x) ||
          stripLeadingZeros(pub.ec_y) != stripLeadingZeros(key.ec_y)) {
        return "tls: private key does not match public key";
      }
      return {};
    case KeyKind::kEd25519:
      if (key.kind != PrivateKind::kEd25519) {
        return "tls: private key type does not match public key type";
      }
      if (pub.ed25519 != key.ed25519_public) return "tls: private key does not match public key";
      return {};
    default:
      return "tls: unknown public key algorithm";
  }
}

}  // namespace ctplab::policy::pki
