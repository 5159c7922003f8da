#include "derived_keys.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include <chrono>

#include "encoding.h"

namespace ctplab::certgen {
namespace {

std::string pemOf(Result<EvpPkeyPtr> key) {
  EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
  if (!key) return {};
  auto pem = privateKeyPem(key.value().get());
  return pem ? pem.value() : std::string();
}

bool fullCheck(EVP_PKEY* key) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  return ctx && EVP_PKEY_check(ctx.get()) == 1;
}

TEST(DerivedKeys, EcdsaKeysAreDeterministicValidP256Keys) {
  const std::string a = pemOf(deriveKey(1, "leaf", KeyType::kEcdsaP256));
  EXPECT_EQ(a, pemOf(deriveKey(1, "leaf", KeyType::kEcdsaP256)));
  EXPECT_NE(a, pemOf(deriveKey(2, "leaf", KeyType::kEcdsaP256)));
  EXPECT_NE(a, pemOf(deriveKey(1, "other", KeyType::kEcdsaP256)));
  EXPECT_NE(a.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);

  auto key = deriveKey(1, "leaf", KeyType::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(EVP_PKEY_is_a(key.value().get(), "EC"));
  EXPECT_EQ(EVP_PKEY_get_bits(key.value().get()), 256);
  char group[64] = {};
  size_t len = 0;
  ASSERT_EQ(EVP_PKEY_get_utf8_string_param(key.value().get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                           sizeof(group), &len),
            1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_TRUE(fullCheck(key.value().get()));
}

TEST(DerivedKeys, RsaKeysAreDeterministicValidAndFast) {
  const auto start = std::chrono::steady_clock::now();
  auto key = deriveKey(1, "ca", KeyType::kRsa2048);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(key.ok()) << key.error().message;
  std::cout << "[ timing ] one RSA-2048 key: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
  EXPECT_LT(elapsed, std::chrono::seconds(1));

  EVP_PKEY* k = key.value().get();
  EXPECT_TRUE(EVP_PKEY_is_a(k, "RSA"));
  EXPECT_EQ(EVP_PKEY_get_bits(k), 2048);
  BIGNUM* e_raw = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e_raw), 1);
  BignumPtr e(e_raw);
  EXPECT_TRUE(BN_is_word(e.get(), 65537));
  // EVP_PKEY_check covers primality of p and q, d, the CRT values and the pairwise match.
  EXPECT_TRUE(fullCheck(k));

  const std::string pem = pemOf(std::move(key));
  EXPECT_EQ(pem, pemOf(deriveKey(1, "ca", KeyType::kRsa2048)));
  EXPECT_NE(pem, pemOf(deriveKey(2, "ca", KeyType::kRsa2048)));
}

TEST(DerivedKeys, RsaPrimesHaveTheRequiredShape) {
  SeedStream stream(5, "prime-shape");
  BnCtxPtr ctx(BN_CTX_new());
  for (int i = 0; i < 3; ++i) {
    auto p = deriveRsaPrime(stream, ctx.get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    const BIGNUM* bn = p.value().get();
    EXPECT_EQ(BN_num_bits(bn), 1024);
    EXPECT_TRUE(BN_is_bit_set(bn, 1022));
    EXPECT_EQ(BN_check_prime(bn, ctx.get(), nullptr), 1);
    EXPECT_NE(BN_mod_word(bn, 65537), 1u);
  }
}

TEST(DerivedKeys, KeyTypeSeparatesStreams) {
  auto rsa = deriveKey(1, "same", KeyType::kRsa2048);
  auto ec = deriveKey(1, "same", KeyType::kEcdsaP256);
  ASSERT_TRUE(rsa.ok());
  ASSERT_TRUE(ec.ok());
  EXPECT_TRUE(EVP_PKEY_is_a(rsa.value().get(), "RSA"));
  EXPECT_TRUE(EVP_PKEY_is_a(ec.value().get(), "EC"));
}

}  // namespace
}  // namespace ctplab::certgen
