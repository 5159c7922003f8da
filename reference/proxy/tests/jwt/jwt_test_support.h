// Keys, configurations and requests shared by the JWT tests. Keys are generated once per test
// binary with OpenSSL; nothing is read from disk.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ctplab/proxy/jwt/authenticator.h"
#include "ctplab/proxy/jwt/jwt_config.h"
#include "ctplab/proxy/jwt/jwt_signer.h"

namespace ctplab::proxy::jwt::testing {

inline SigningKey makeKey(const char* alg, const char* kid) {
  auto key = SigningKey::generate(alg, kid);
  if (!key.ok()) ADD_FAILURE() << key.error().message;
  return std::move(key).value();
}

inline const SigningKey& rsaKey() {
  static const SigningKey key = makeKey("RS256", "rsa-1");
  return key;
}
// A different key that claims the same kid: what a forger would sign with.
inline const SigningKey& forgerKey() {
  static const SigningKey key = makeKey("RS256", "rsa-1");
  return key;
}
inline const SigningKey& ecKey() {
  static const SigningKey key = makeKey("ES256", "ec-1");
  return key;
}

constexpr int64_t kNow = 1'700'000'000;
inline constexpr TimePoint at(int64_t unix_seconds) {
  return TimePoint::fromUnixSeconds(unix_seconds);
}

inline nlohmann::json claims(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json payload = {{"iss", "https://issuer.example.com"},
                            {"sub", "alice"},
                            {"aud", "api.example.com"},
                            {"iat", kNow - 10},
                            {"exp", kNow + 3600}};
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (it.value().is_null()) {
      payload.erase(it.key());
    } else {
      payload[it.key()] = it.value();
    }
  }
  return payload;
}

inline JwtProviderSpec provider(std::string name = "example",
                                std::vector<const SigningKey*> keys = {&rsaKey(), &ecKey()}) {
  JwtProviderSpec p;
  p.name = std::move(name);
  p.issuer = "https://issuer.example.com";
  p.audiences = {"api.example.com"};
  p.local_jwks = jwksJson(keys);
  return p;
}

inline std::shared_ptr<const JwtConfig> compile(const JwtSpec& spec) {
  auto config = JwtConfig::create(spec);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
  return std::make_shared<const JwtConfig>(std::move(config).value());
}

inline JwtSpec oneProvider(JwtProviderSpec p = provider()) {
  JwtSpec spec;
  spec.providers = {std::move(p)};
  return spec;
}

inline http1::RequestHead request(http1::HeaderList headers = {}, std::string target = "/api") {
  http1::RequestHead head;
  head.method = "GET";
  head.target = std::move(target);
  head.headers = {{"Host", "www.example.com"}};
  head.headers.insert(head.headers.end(), headers.begin(), headers.end());
  return head;
}

inline http1::RequestHead bearer(const std::string& token, std::string target = "/api") {
  return request({{"Authorization", "Bearer " + token}}, std::move(target));
}

}  // namespace ctplab::proxy::jwt::testing
