#include "derived_keys.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <array>
#include <vector>

#include "encoding.h"

namespace ctplab::certgen {
namespace {

constexpr int kPrimeBits = 1024;
constexpr BN_ULONG kRsaExponent = 65537;
// Consecutive odd offsets tried from one stream value. Gaps between 1024-bit primes average
// about 710, so running out means a fresh stream value, not a failure.
constexpr uint32_t kMaxOffset = 1u << 16;
constexpr int kMaxPrimeAttempts = 64;

// Odd primes below 2^14. Trial division by them discards about 88% of the candidates before the
// Miller-Rabin rounds of BN_check_prime, which dominate the cost of a key.
const std::vector<uint32_t>& smallPrimes() {
  static const std::vector<uint32_t> primes = [] {
    constexpr uint32_t kLimit = 1u << 14;
    std::vector<bool> composite(kLimit, false);
    std::vector<uint32_t> out;
    for (uint32_t i = 3; i < kLimit; i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (uint32_t j = i * i; j < kLimit; j += 2 * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

Result<EvpPkeyPtr> fromData(const char* type, const OSSL_PARAM* params) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return opensslError(std::string("cannot create a ") + type + " key context");
  }
  EVP_PKEY* raw = nullptr;
  // EVP_PKEY_fromdata's parameter array is not const in the 3.0 signature, but is not written.
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, const_cast<OSSL_PARAM*>(params)) != 1) {
    return opensslError(std::string("cannot assemble the ") + type + " key");
  }
  return EvpPkeyPtr(raw);
}

BignumPtr newBn() { return BignumPtr(BN_new()); }

}  // namespace

Result<EvpPkeyPtr> deriveEcdsaP256(SeedStream& stream) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnCtxPtr ctx(BN_CTX_new());
  if (!group || !ctx) return opensslError("cannot load the P-256 group");
  std::array<unsigned char, 48> bytes{};
  if (!stream.read(bytes.data(), bytes.size())) return opensslError("cannot derive key bytes");

  BignumPtr wide(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  BignumPtr order_minus_one(BN_dup(EC_GROUP_get0_order(group.get())));
  BignumPtr scalar = newBn();
  if (!wide || !order_minus_one || !scalar || BN_sub_word(order_minus_one.get(), 1) != 1 ||
      BN_mod(scalar.get(), wide.get(), order_minus_one.get(), ctx.get()) != 1 ||
      BN_add_word(scalar.get(), 1) != 1) {
    return opensslError("cannot reduce the P-256 scalar");
  }

  EcPointPtr point(EC_POINT_new(group.get()));
  std::array<unsigned char, 65> public_point{};
  if (!point ||
      EC_POINT_mul(group.get(), point.get(), scalar.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         public_point.data(), public_point.size(),
                         ctx.get()) != public_point.size()) {
    return opensslError("cannot compute the P-256 public point");
  }

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_point.data(),
                                       public_point.size()) != 1) {
    return opensslError("cannot build the P-256 key parameters");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return opensslError("cannot build the P-256 key parameters");
  return fromData("EC", params.get());
}

Result<BignumPtr> deriveRsaPrime(SeedStream& stream, BN_CTX* ctx) {
  const std::vector<uint32_t>& primes = smallPrimes();
  std::vector<uint32_t> residues(primes.size());
  BignumPtr candidate = newBn();
  if (!candidate) return opensslError("cannot allocate a prime candidate");
  for (int attempt = 0; attempt < kMaxPrimeAttempts; ++attempt) {
    std::array<unsigned char, kPrimeBits / 8> bytes{};
    if (!stream.read(bytes.data(), bytes.size())) return opensslError("cannot derive prime bytes");
    bytes.front() |= 0xc0;  // top two bits: p * q then always has 2048 bits
    bytes.back() |= 0x01;
    BignumPtr base(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    if (!base) return opensslError("cannot load a prime candidate");
    for (size_t i = 0; i < primes.size(); ++i) {
      const BN_ULONG r = BN_mod_word(base.get(), primes[i]);
      if (r == static_cast<BN_ULONG>(-1)) return opensslError("cannot sieve a prime candidate");
      residues[i] = static_cast<uint32_t>(r);
    }
    for (uint32_t offset = 0; offset < kMaxOffset; offset += 2) {
      bool divisible = false;
      for (size_t i = 0; i < primes.size() && !divisible; ++i) {
        divisible = (residues[i] + offset) % primes[i] == 0;
      }
      if (divisible) continue;
      if (BN_copy(candidate.get(), base.get()) == nullptr ||
          BN_add_word(candidate.get(), offset) != 1) {
        return opensslError("cannot step a prime candidate");
      }
      if (BN_num_bits(candidate.get()) != kPrimeBits) break;  // carried past 2^1024: redraw
      if (BN_mod_word(candidate.get(), kRsaExponent) == 1) continue;
      const int prime = BN_check_prime(candidate.get(), ctx, nullptr);
      if (prime < 0) return opensslError("cannot test a prime candidate");
      if (prime == 1) return candidate;
    }
  }
  return Error{"no suitable RSA prime within the derived candidates"};
}

Result<EvpPkeyPtr> deriveRsa2048(SeedStream& stream) {
  BnCtxPtr ctx(BN_CTX_new());
  if (!ctx) return opensslError("cannot allocate a BN_CTX");
  Result<BignumPtr> first = deriveRsaPrime(stream, ctx.get());
  if (!first) return first.error();
  Result<BignumPtr> second = deriveRsaPrime(stream, ctx.get());
  if (!second) return second.error();
  BignumPtr p = std::move(first).value();
  BignumPtr q = std::move(second).value();
  const int order = BN_cmp(p.get(), q.get());
  if (order == 0) return Error{"the derived RSA primes coincide"};
  if (order < 0) std::swap(p, q);

  BignumPtr e = newBn(), n = newBn(), p1 = newBn(), q1 = newBn(), gcd = newBn(), phi = newBn(),
            lcm = newBn(), dmp1 = newBn(), dmq1 = newBn();
  if (!e || !n || !p1 || !q1 || !gcd || !phi || !lcm || !dmp1 || !dmq1 ||
      BN_set_word(e.get(), kRsaExponent) != 1 ||
      BN_mul(n.get(), p.get(), q.get(), ctx.get()) != 1 ||
      BN_sub(p1.get(), p.get(), BN_value_one()) != 1 ||
      BN_sub(q1.get(), q.get(), BN_value_one()) != 1 ||
      BN_gcd(gcd.get(), p1.get(), q1.get(), ctx.get()) != 1 ||
      BN_mul(phi.get(), p1.get(), q1.get(), ctx.get()) != 1 ||
      BN_div(lcm.get(), nullptr, phi.get(), gcd.get(), ctx.get()) != 1) {
    return opensslError("cannot compute the RSA modulus");
  }
  BignumPtr d(BN_mod_inverse(nullptr, e.get(), lcm.get(), ctx.get()));
  BignumPtr iqmp(BN_mod_inverse(nullptr, q.get(), p.get(), ctx.get()));
  if (!d || !iqmp || BN_mod(dmp1.get(), d.get(), p1.get(), ctx.get()) != 1 ||
      BN_mod(dmq1.get(), d.get(), q1.get(), ctx.get()) != 1) {
    return opensslError("cannot compute the RSA private exponents");
  }

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get()) != 1) {
    return opensslError("cannot build the RSA key parameters");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return opensslError("cannot build the RSA key parameters");
  return fromData("RSA", params.get());
}

Result<EvpPkeyPtr> deriveKey(uint64_t seed, const std::string& label, KeyType type) {
  // The key type is part of the stream label: one label yields unrelated RSA and ECDSA keys.
  if (type == KeyType::kRsa2048) {
    SeedStream stream(seed, "key/rsa2048/" + label);
    return deriveRsa2048(stream);
  }
  SeedStream stream(seed, "key/p256/" + label);
  return deriveEcdsaP256(stream);
}

}  // namespace ctplab::certgen
