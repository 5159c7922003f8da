#include "pki/public_key.h"

#include <openssl/ec.h>

namespace ctplab::policy::pki {
namespace {

const Oid kOidCurveP224 = {1, 3, 132, 0, 33};
const Oid kOidCurveP256 = {1, 2, 840, 10045, 3, 1, 7};
const Oid kOidCurveP384 = {1, 3, 132, 0, 34};
const Oid kOidCurveP521 = {1, 3, 132, 0, 35};

// Mirrors ecdsa.ParseUncompressedPublicKey and the nistec SetBytes checks behind it (P-256 uses
// the assembly implementation's wording, the other curves the generic fiat wording).
std::string parseEcdsaPoint(const NamedCurve& curve, std::string_view data, PublicKey* out) {
  if (data.empty() || data[0] != 4) return "ecdsa: invalid uncompressed public key";
  const std::string name = "P" + std::to_string(curve.bits);
  const size_t width = coordinateBytes(curve);
  if (data.size() != 1 + 2 * width) return "invalid " + name + " point encoding";
  EcGroupPtr group(EC_GROUP_new_by_curve_name(curve.nid));
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr p(BN_new());
  BignumPtr x = bignumFromBytes(data.substr(1, width));
  BignumPtr y = bignumFromBytes(data.substr(1 + width, width));
  if (!group || !ctx || !p || !x || !y ||
      EC_GROUP_get_curve(group.get(), p.get(), nullptr, nullptr, ctx.get()) != 1) {
    return "x509: internal error: elliptic curve arithmetic unavailable";
  }
  if (BN_cmp(x.get(), p.get()) >= 0 || BN_cmp(y.get(), p.get()) >= 0) {
    return curve.bits == 256 ? "invalid P256 element encoding"
                             : "invalid " + name + "Element encoding";
  }
  EcPointPtr point(EC_POINT_new(group.get()));
  if (!point ||
      EC_POINT_set_affine_coordinates(group.get(), point.get(), x.get(), y.get(), ctx.get()) != 1 ||
      EC_POINT_is_on_curve(group.get(), point.get(), ctx.get()) != 1) {
    return name + " point not on curve";
  }
  out->kind = KeyKind::kEcdsa;
  out->curve = curve;
  out->ec_x = std::string(data.substr(1, width));
  out->ec_y = std::string(data.substr(1 + width, width));
  return {};
}

}  // namespace

NamedCurve namedCurveFromOid(const Oid& oid) {
  if (oid == kOidCurveP224) return {NID_secp224r1, 224};
  if (oid == kOidCurveP256) return {NID_X9_62_prime256v1, 256};
  if (oid == kOidCurveP384) return {NID_secp384r1, 384};
  if (oid == kOidCurveP521) return {NID_secp521r1, 521};
  return {};
}

size_t coordinateBytes(const NamedCurve& c) { return static_cast<size_t>((c.bits + 7) / 8); }

BignumPtr bignumFromBytes(std::string_view bytes) {
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr));
}

std::string bignumToPadded(const BIGNUM* bn, size_t width) {
  std::string out(width, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(width)) < 0) {
    return {};
  }
  return out;
}

std::string parsePublicKeyInfo(const Oid& algorithm, std::string_view params_full,
                               const BitString& key_bits, PublicKey* out) {
  const std::string data = key_bits.rightAlign();
  if (algorithm == kOidPublicKeyRsa) {
    if (params_full != std::string_view("\x05\x00", 2)) {
      return "x509: RSA key missing NULL parameters";
    }
    Der der(data);
    std::string_view seq;
    if (!der.read(&seq, kTagSequence)) return "x509: invalid RSA public key";
    Der fields(seq);
    BigInt n;
    int64_t e = 0;
    if (!fields.readBigInt(&n)) return "x509: invalid RSA modulus";
    if (!fields.readInt64(&e)) return "x509: invalid RSA public exponent";
    if (n.sign <= 0) return "x509: RSA modulus is not a positive number";
    if (e <= 0) return "x509: RSA public exponent is not a positive number";
    out->kind = KeyKind::kRsa;
    out->rsa_n = n.magnitude;
    return {};
  }
  if (algorithm == kOidPublicKeyEcdsa) {
    Der params(params_full);
    Oid curve_oid;
    if (!params.readOid(&curve_oid)) return "x509: invalid ECDSA parameters";
    const NamedCurve curve = namedCurveFromOid(curve_oid);
    if (curve.nid == NID_undef) return "x509: unsupported elliptic curve";
    return parseEcdsaPoint(curve, data, out);
  }
  if (algorithm == kOidPublicKeyEd25519) {
    if (!params_full.empty()) return "x509: Ed25519 key encoded with illegal parameters";
    if (data.size() != 32) return "x509: wrong Ed25519 public key size";
    out->kind = KeyKind::kEd25519;
    out->ed25519 = data;
    return {};
  }
  if (algorithm == kOidPublicKeyDsa) {
    Der der(data);
    BigInt y;
    if (!der.readBigInt(&y)) return "x509: invalid DSA public key";
    Der params(params_full);
    std::string_view seq;
    BigInt p;
    BigInt q;
    BigInt g;
    if (!params.read(&seq, kTagSequence)) return "x509: invalid DSA parameters";
    Der fields(seq);
    if (!fields.readBigInt(&p) || !fields.readBigInt(&q) || !fields.readBigInt(&g)) {
      return "x509: invalid DSA parameters";
    }
    if (y.sign <= 0 || p.sign <= 0 || q.sign <= 0 || g.sign <= 0) {
      return "x509: zero or negative DSA parameter";
    }
    out->kind = KeyKind::kDsa;
    return {};
  }
  return "x509: unknown public key algorithm";
}

int publicKeyAlgorithmFromOid(const Oid& oid) {
  if (oid == kOidPublicKeyRsa) return 1;
  if (oid == kOidPublicKeyDsa) return 2;
  if (oid == kOidPublicKeyEcdsa) return 3;
  if (oid == kOidPublicKeyEd25519) return 4;
  return 0;
}

std::string publicKeyAlgorithmName(int algo) {
  switch (algo) {
    case 1:
      return "RSA";
    case 2:
      return "DSA";
    case 3:
      return "ECDSA";
    case 4:
      return "Ed25519";
    default:
      return std::to_string(algo);
  }
}

}  // namespace ctplab::policy::pki
