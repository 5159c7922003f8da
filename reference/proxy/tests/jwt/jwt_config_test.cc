// Validation of a `jwt` block and of its local JWKS, and the token locations it compiles to.
#include "ctplab/proxy/jwt/jwt_config.h"

#include <gtest/gtest.h>

#include <string>

#include "ctplab/proxy/jwt/jwks.h"
#include "jwt_test_support.h"

namespace ctplab::proxy::jwt {
namespace {

using testing::ecKey;
using testing::oneProvider;
using testing::provider;
using testing::rsaKey;

std::string errorOf(const JwtSpec& spec) {
  auto config = JwtConfig::create(spec);
  return config.ok() ? "" : config.error().message;
}

TEST(JwtConfig, StructuralErrors) {
  EXPECT_EQ(errorOf(JwtSpec{}), "providers: at least one provider is required");
  JwtSpec many;
  for (int i = 0; i < 17; ++i) many.providers.push_back(provider("p" + std::to_string(i)));
  EXPECT_EQ(errorOf(many), "providers: Too many: 17: must have at most 16 items");
  JwtSpec dup;
  dup.providers = {provider("a"), provider("a")};
  EXPECT_EQ(errorOf(dup), "provider name a must be unique");
  EXPECT_EQ(errorOf(oneProvider(provider(""))), "providers[0].name: must not be empty");
  JwtSpec both = oneProvider();
  both.optional = true;
  both.fail_open = true;
  EXPECT_EQ(errorOf(both),
            "optional and failOpen cannot both be set; failOpen already tolerates a missing JWT");
  JwtProviderSpec claim = provider();
  claim.claim_to_headers = {{"x-sub", ""}};
  EXPECT_EQ(errorOf(oneProvider(claim)),
            "providers[0] (example).claimToHeaders[0].claim: must be set");
  claim.claim_to_headers = {{"bad header", "sub"}};
  EXPECT_EQ(errorOf(oneProvider(claim)),
            "providers[0] (example).claimToHeaders[0].header: invalid header name \"bad header\"");
  JwtProviderSpec auds = provider();
  auds.audiences.assign(9, "a");
  EXPECT_EQ(errorOf(oneProvider(auds)),
            "providers[0] (example).audiences: must have at most 8 items");
}

TEST(JwtConfig, InvalidJwksNamesTheProvider) {
  JwtProviderSpec p = provider("corp");
  p.local_jwks = "not json";
  EXPECT_EQ(errorOf(oneProvider(p)), "providers[0] (corp).localJWKS: Jwks is an invalid JSON");
  p.local_jwks = "{}";
  EXPECT_EQ(errorOf(oneProvider(p)),
            "providers[0] (corp).localJWKS: Jwks does not have [keys] field");
  p.local_jwks = R"({"keys":[{"kty":"RSA","n":"AQAB"}]})";
  EXPECT_EQ(errorOf(oneProvider(p)),
            "providers[0] (corp).localJWKS: [e] field is missing for a RSA key");
}

TEST(JwtConfig, SkippedKeysAreWarnings) {
  JwtProviderSpec p = provider();
  auto doc = nlohmann::json::parse(p.local_jwks);
  doc["keys"].push_back({{"kty", "oct"}, {"k", "c2VjcmV0"}});
  p.local_jwks = doc.dump();
  auto config = JwtConfig::create(oneProvider(p));
  ASSERT_TRUE(config.ok());
  ASSERT_EQ(config.value().warnings().size(), 1u);
  EXPECT_EQ(config.value().warnings()[0],
            "providers[0] (example).localJWKS: key 2 skipped: [kty] is not supported in [keys]");
  EXPECT_EQ(config.value().providers()[0].jwks->keys.size(), 2u);
}

TEST(JwtConfig, DefaultAndCustomLocations) {
  auto config = JwtConfig::create(oneProvider());
  ASSERT_TRUE(config.ok());
  const auto& locations = config.value().providers()[0].locations;
  ASSERT_EQ(locations.size(), 2u);
  EXPECT_EQ(locations[0].kind, TokenLocation::Kind::kHeader);
  EXPECT_EQ(locations[0].name, "authorization");
  EXPECT_EQ(locations[0].value_prefix, "Bearer ");
  EXPECT_EQ(locations[1].kind, TokenLocation::Kind::kParam);
  EXPECT_EQ(locations[1].name, "access_token");

  JwtProviderSpec p = provider();
  p.extract_from = JwtExtractFrom{{{"X-B", ""}, {"X-A", "T "}, {"x-a", "T "}}, {"z", "y"}, {"q"}};
  auto custom = JwtConfig::create(oneProvider(p));
  ASSERT_TRUE(custom.ok());
  const auto& l = custom.value().providers()[0].locations;
  ASSERT_EQ(l.size(), 5u);  // the duplicate header merged
  EXPECT_EQ(l[0].name, "x-a");
  EXPECT_EQ(l[1].name, "x-b");
  EXPECT_EQ(l[2].name, "q");
  EXPECT_EQ(l[3].name, "y");
  EXPECT_EQ(l[4].name, "z");

  // An extractFrom with every list empty means the defaults.
  p.extract_from = JwtExtractFrom{};
  EXPECT_EQ(JwtConfig::create(oneProvider(p)).value().providers()[0].locations.size(), 2u);
}

TEST(Jwks, ParsesRsaAndEcKeys) {
  const JwksParse p = parseJwks(jwksJson({&rsaKey(), &ecKey()}));
  ASSERT_EQ(p.status, Status::kOk);
  ASSERT_EQ(p.jwks.keys.size(), 2u);
  EXPECT_EQ(p.jwks.keys[0].kty, "RSA");
  EXPECT_EQ(p.jwks.keys[0].kid, "rsa-1");
  EXPECT_EQ(p.jwks.keys[1].kty, "EC");
  EXPECT_EQ(p.jwks.keys[1].crv, "P-256");
  EXPECT_NE(p.jwks.keys[1].key, nullptr);
}

nlohmann::json with(nlohmann::json base, const nlohmann::json& patch) {
  base.update(patch);
  return base;
}

TEST(Jwks, KeyErrors) {
  auto one = [](nlohmann::json key) {
    const JwksParse p = parseJwks(nlohmann::json{{"keys", {std::move(key)}}}.dump());
    return p.status;
  };
  nlohmann::json rsa = rsaKey().publicJwk();
  nlohmann::json ec = ecKey().publicJwk();
  EXPECT_EQ(parseJwks(R"({"keys":{}})").status, Status::kJwksBadKeys);
  EXPECT_EQ(parseJwks(R"({"keys":[]})").status, Status::kJwksNoValidKeys);
  EXPECT_EQ(parseJwks(R"({"keys":[1,"x"]})").status, Status::kJwksNoValidKeys);
  EXPECT_EQ(one({{"n", "AQAB"}}), Status::kJwksMissingKty);
  EXPECT_EQ(one({{"kty", 1}}), Status::kJwksBadKty);
  EXPECT_EQ(one({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AA"}}), Status::kJwksNotImplementedKty);
  EXPECT_EQ(one(with(rsa, {{"alg", "ES256"}})), Status::kJwksRsaKeyBadAlg);
  EXPECT_EQ(one(with(rsa, {{"n", 5}})), Status::kJwksRsaKeyBadN);
  EXPECT_EQ(one(with(rsa, {{"e", "Aw=="}})), Status::kOk);               // e = 3
  EXPECT_EQ(one(with(rsa, {{"e", "EQ"}})), Status::kJwksRsaParseError);  // 17
  EXPECT_EQ(one(with(rsa, {{"n", "!!"}})), Status::kJwksRsaParseError);
  EXPECT_EQ(one(with(ec, {{"alg", "RS256"}})), Status::kJwksEcKeyBadAlg);
  EXPECT_EQ(one(with(ec, {{"crv", "P-384"}})), Status::kJwksEcKeyAlgNotCompatibleWithCrv);
  EXPECT_EQ(one(with(ec, {{"crv", "P-999"}, {"alg", ""}})), Status::kJwksEcKeyAlgOrCrvUnsupported);
  EXPECT_EQ(one(with(ec, {{"x", 1}})), Status::kJwksEcKeyBadX);
  EXPECT_EQ(one(with(ec, {{"y", "*"}})), Status::kJwksEcXorYBadBase64);
  // A point that is not on the curve: swap x and y.
  EXPECT_EQ(one(with(ec, {{"x", ec["y"]}, {"y", ec["x"]}})), Status::kJwksEcParseError);
  nlohmann::json no_alg = ec;
  no_alg.erase("alg");
  no_alg.erase("crv");
  EXPECT_EQ(one(no_alg), Status::kOk);  // P-256 assumed
  nlohmann::json no_y = ec;
  no_y.erase("y");
  EXPECT_EQ(one(no_y), Status::kJwksEcKeyMissingY);
}

TEST(JwtSigner, PemRoundTripAndAlgorithmChecks) {
  const std::string pem = rsaKey().privateKeyPem();
  ASSERT_NE(pem.find("PRIVATE KEY"), std::string::npos);
  auto again = SigningKey::fromPrivateKeyPem(pem, "RS256", "rsa-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().sign({{"a", 1}}), rsaKey().sign({{"a", 1}}));  // RSA is deterministic
  EXPECT_FALSE(SigningKey::fromPrivateKeyPem(pem, "ES256", "").ok());
  EXPECT_FALSE(SigningKey::fromPrivateKeyPem(ecKey().privateKeyPem(), "ES384", "").ok());
  EXPECT_TRUE(SigningKey::fromPrivateKeyPem(ecKey().privateKeyPem(), "ES256", "").ok());
  EXPECT_FALSE(SigningKey::fromPrivateKeyPem("junk", "RS256", "").ok());
  EXPECT_FALSE(SigningKey::generate("HS256", "").ok());
  const nlohmann::json jwk = ecKey().publicJwk();
  EXPECT_EQ(jwk["x"].get<std::string>().size(), 43u);  // 32 bytes, unpadded base64url
  EXPECT_EQ(jwk["use"], "sig");
}

}  // namespace
}  // namespace ctplab::proxy::jwt
