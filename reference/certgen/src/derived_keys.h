// Deterministic private keys: an ECDSA P-256 scalar or an RSA-2048 prime pair drawn from a
// SeedStream and assembled with EVP_PKEY_fromdata, so the result is an ordinary provider key.
#pragma once

#include "ctplab/certgen/generator.h"
#include "ctplab/certgen/result.h"
#include "openssl_handles.h"
#include "seed_stream.h"

namespace ctplab::certgen {

// The private scalar is 48 stream bytes reduced into [1, n-1]: the 128 extra bits make the
// reduction's bias negligible.
Result<EvpPkeyPtr> deriveEcdsaP256(SeedStream& stream);

// p and q are the first primes at or after odd 1024-bit stream values with the top two bits set
// (so n has exactly 2048 bits), skipping primes with p = 1 mod 65537; e = 65537 and
// d = e^-1 mod lcm(p-1, q-1) as FIPS 186-4 computes it. p > q.
Result<EvpPkeyPtr> deriveRsa2048(SeedStream& stream);

// The prime search behind deriveRsa2048, exposed for tests: a 1024-bit prime with
// gcd(65537, p-1) = 1. BN_check_prime's random witnesses decide only how sure the answer is,
// never which number is returned.
Result<BignumPtr> deriveRsaPrime(SeedStream& stream, BN_CTX* ctx);

Result<EvpPkeyPtr> deriveKey(uint64_t seed, const std::string& label, KeyType type);

}  // namespace ctplab::certgen
