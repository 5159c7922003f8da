// What a flood costs: signature verifications per request with and without Envoy's verified-token
// cache, and the cache's bounds and expiry re-check.
#include "ctplab/proxy/jwt/jwt_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ctplab/proxy/jwt/authenticator.h"
#include "ctplab/proxy/jwt/jwt_stats.h"
#include "ctplab/proxy/jwt/parsed_jwt.h"
#include "jwt_test_support.h"

namespace ctplab::proxy::jwt {
namespace {

using testing::at;
using testing::bearer;
using testing::claims;
using testing::compile;
using testing::forgerKey;
using testing::kNow;
using testing::oneProvider;
using testing::rsaKey;

JwtSpec cached(uint32_t size) {
  JwtSpec spec = oneProvider();
  spec.jwt_cache_size = size;
  return spec;
}

TEST(JwtCacheFlood, EnvoyGatewayConfigVerifiesEveryReplayedToken) {
  Authenticator auth(compile(oneProvider()));  // no jwt_cache_size: Envoy Gateway's config
  EXPECT_EQ(auth.config().cacheSize(), 0u);
  JwtStats stats;
  const std::string token = rsaKey().sign(claims());
  for (int i = 0; i < 50; ++i) stats.record(auth.authenticate(at(kNow), bearer(token)));
  EXPECT_EQ(stats.allowed, 50u);
  EXPECT_EQ(stats.signature_verifications, 50u);
  EXPECT_EQ(stats.jwt_cache_hit, 0u);
  EXPECT_EQ(stats.jwt_cache_miss, 50u);  // Envoy counts misses with the cache off too
}

TEST(JwtCacheFlood, WithTheCacheAReplayedTokenIsVerifiedOnce) {
  Authenticator auth(compile(cached(0)));
  EXPECT_EQ(auth.config().cacheSize(), 100u);  // 0 selects Envoy's default
  JwtStats stats;
  const std::string token = rsaKey().sign(claims());
  for (int i = 0; i < 50; ++i) stats.record(auth.authenticate(at(kNow), bearer(token)));
  EXPECT_EQ(stats.allowed, 50u);
  EXPECT_EQ(stats.signature_verifications, 1u);
  EXPECT_EQ(stats.jwt_cache_hit, 49u);
  EXPECT_EQ(stats.jwt_cache_miss, 1u);
}

TEST(JwtCacheFlood, DistinctForgedTokensCostOneVerificationEach) {
  Authenticator auth(compile(cached(100)));
  JwtStats stats;
  for (int i = 0; i < 30; ++i) {
    stats.record(auth.authenticate(at(kNow),
                                   bearer(forgerKey().sign(claims({{"jti", std::to_string(i)}})))));
  }
  EXPECT_EQ(stats.denied, 30u);
  EXPECT_EQ(stats.signature_verifications, 30u);
  EXPECT_EQ(auth.cachedTokens(), 0u);  // failures are never cached
  // A replayed forged token is not cached either: it costs a verification every time.
  const std::string forged = forgerKey().sign(claims());
  for (int i = 0; i < 10; ++i) stats.record(auth.authenticate(at(kNow), bearer(forged)));
  EXPECT_EQ(stats.signature_verifications, 40u);
}

TEST(JwtCacheFlood, DistinctValidTokensFillTheCacheUpToItsBound) {
  Authenticator auth(compile(cached(8)));
  uint32_t verifications = 0;
  for (int i = 0; i < 20; ++i) {
    const Outcome o =
        auth.authenticate(at(kNow), bearer(rsaKey().sign(claims({{"jti", std::to_string(i)}}))));
    EXPECT_TRUE(o.allowed());
    verifications += o.signature_verifications;
  }
  EXPECT_EQ(verifications, 20u);
  EXPECT_EQ(auth.cachedTokens(), 8u);
}

TEST(JwtCacheFlood, CachedTokensStillExpire) {
  Authenticator auth(compile(cached(10)));
  const std::string token = rsaKey().sign(claims({{"exp", kNow + 10}}));
  EXPECT_TRUE(auth.authenticate(at(kNow), bearer(token)).allowed());
  const Outcome hit = auth.authenticate(at(kNow + 70), bearer(token));  // exp + skew
  EXPECT_TRUE(hit.allowed());
  EXPECT_EQ(hit.cache_hits, 1u);
  const Outcome expired = auth.authenticate(at(kNow + 71), bearer(token));
  EXPECT_EQ(expired.status, Status::kJwtExpired);
  EXPECT_EQ(expired.cache_hits, 0u);  // the expired entry was dropped on lookup
  EXPECT_EQ(auth.cachedTokens(), 0u);
}

TEST(JwtCacheFlood, LongTokensAreNotCached) {
  Authenticator auth(compile(cached(10)));
  const std::string token = rsaKey().sign(claims({{"pad", std::string(5000, 'x')}}));
  ASSERT_GT(token.size(), JwtConfig::kMaxCachedTokenBytes);
  EXPECT_TRUE(auth.authenticate(at(kNow), bearer(token)).allowed());
  EXPECT_EQ(auth.authenticate(at(kNow), bearer(token)).signature_verifications, 1u);
}

TEST(JwtCacheLru, EvictsTheLeastRecentlyUsed) {
  JwtCache cache(2);
  const auto jwt = parseJwt(rsaKey().sign(claims())).jwt;
  cache.insert("a", {jwt, nullptr});
  cache.insert("b", {jwt, nullptr});
  ASSERT_NE(cache.lookup("a", kNow), nullptr);  // a is now the most recent
  cache.insert("c", {jwt, nullptr});
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.lookup("a", kNow), nullptr);
  EXPECT_EQ(cache.lookup("b", kNow), nullptr);
  EXPECT_NE(cache.lookup("c", kNow), nullptr);
  JwtCache off(0);
  off.insert("a", {jwt, nullptr});
  EXPECT_EQ(off.size(), 0u);
}

}  // namespace
}  // namespace ctplab::proxy::jwt
