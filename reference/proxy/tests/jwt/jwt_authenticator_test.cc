// The jwt_authn filter end to end: signatures, keys, time, issuer, audience, token locations,
// optional/failOpen, several providers, the 401/403 replies and the header edits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/proxy/jwt/authenticator.h"
#include "ctplab/proxy/jwt/jwt_stats.h"
#include "jwt_test_support.h"

namespace ctplab::proxy::jwt {
namespace {

using testing::at;
using testing::bearer;
using testing::claims;
using testing::compile;
using testing::ecKey;
using testing::forgerKey;
using testing::kNow;
using testing::makeKey;
using testing::oneProvider;
using testing::provider;
using testing::request;
using testing::rsaKey;

Outcome run(const JwtSpec& spec, const http1::RequestHead& head, int64_t now = kNow) {
  Authenticator auth(compile(spec));
  return auth.authenticate(at(now), head);
}

std::string bodyOf(const Outcome& outcome) {
  const auto reply = deniedReply(outcome);
  return reply ? reply->body : "";
}

TEST(JwtAuthenticate, GoodRs256AndEs256Tokens) {
  for (const SigningKey* key : {&rsaKey(), &ecKey()}) {
    const Outcome o = run(oneProvider(), bearer(key->sign(claims())));
    EXPECT_TRUE(o.allowed()) << key->alg() << ": " << statusString(o.status);
    EXPECT_EQ(o.provider, 0);
    EXPECT_EQ(o.signature_verifications, 1u);
    ASSERT_NE(o.payloadFor("example"), nullptr);
    EXPECT_EQ((*o.payloadFor("example"))["sub"], "alice");
    EXPECT_FALSE(deniedReply(o).has_value());
  }
}

TEST(JwtAuthenticate, OtherAlgorithms) {
  for (const char* alg : {"RS384", "RS512", "PS256", "ES384"}) {
    const SigningKey key = makeKey(alg, "");
    const Outcome o = run(oneProvider(provider("example", {&key})), bearer(key.sign(claims())));
    EXPECT_TRUE(o.allowed()) << alg << ": " << statusString(o.status);
  }
}

TEST(JwtAuthenticate, ForgedSignatureWithTheSameKidFails) {
  const Outcome o = run(oneProvider(), bearer(forgerKey().sign(claims())));
  EXPECT_EQ(o.status, Status::kJwtVerificationFail);
  EXPECT_EQ(bodyOf(o), "Jwt verification fails");
  EXPECT_EQ(deniedReply(o)->head.status, 401);
}

TEST(JwtAuthenticate, TamperedPayloadFails) {
  const std::string token = rsaKey().sign(claims());
  const std::string other = rsaKey().sign(claims({{"sub", "mallory"}}));
  // mallory's payload with alice's signature
  const size_t d1 = token.find('.');
  const size_t d2 = token.rfind('.');
  const std::string spliced = token.substr(0, d1) +
                              other.substr(other.find('.'), other.rfind('.') - other.find('.')) +
                              token.substr(d2);
  EXPECT_EQ(run(oneProvider(), bearer(spliced)).status, Status::kJwtVerificationFail);
}

TEST(JwtAuthenticate, AlgNoneAndHmacAreRejected) {
  const std::string none =
      rsaKey().signRaw(R"({"alg":"none"})", claims().dump());  // a signature the header disowns
  const Outcome o1 = run(oneProvider(), bearer(none));
  EXPECT_EQ(o1.status, Status::kJwtHeaderNotImplementedAlg);
  EXPECT_EQ(bodyOf(o1), "Jwt header [alg] is not supported");
  EXPECT_EQ(o1.signature_verifications, 0u);
  // HS256 signed with the public key's bytes: the classic key-confusion attack. The keys carry
  // alg RS256/ES256, so no key is a candidate.
  const std::string hs = rsaKey().signRaw(R"({"alg":"HS256","kid":"rsa-1"})", claims().dump());
  EXPECT_EQ(run(oneProvider(), bearer(hs)).status, Status::kJwksKidAlgMismatch);
  EXPECT_EQ(bodyOf(run(oneProvider(), bearer(hs))),
            "Jwks doesn't have key to match kid or alg from Jwt");
}

TEST(JwtAuthenticate, KidSelection) {
  // Unknown kid: no candidate key.
  const SigningKey stranger = makeKey("RS256", "rsa-9");
  EXPECT_EQ(run(oneProvider(), bearer(stranger.sign(claims()))).status,
            Status::kJwksKidAlgMismatch);
  // No kid in the token: every key of the token's alg is tried until one verifies.
  const SigningKey a = makeKey("RS256", "");
  const SigningKey b = makeKey("RS256", "");
  const Outcome o = run(oneProvider(provider("example", {&a, &b})), bearer(b.sign(claims())));
  EXPECT_TRUE(o.allowed());
  EXPECT_EQ(o.signature_verifications, 2u);
  // A token without kid signed by neither key costs one verification per candidate.
  const SigningKey c = makeKey("RS256", "");
  const Outcome bad =
      run(oneProvider(provider("example", {&a, &b, &ecKey()})), bearer(c.sign(claims())));
  EXPECT_EQ(bad.status, Status::kJwtVerificationFail);
  EXPECT_EQ(bad.signature_verifications, 2u);  // the ES256 key is not a candidate
}

TEST(JwtAuthenticate, ExpiryUsesTheCallersClockAndSixtySecondSkew) {
  const std::string token = rsaKey().sign(claims({{"exp", kNow}}));
  EXPECT_TRUE(run(oneProvider(), bearer(token), kNow + 60).allowed());
  const Outcome late = run(oneProvider(), bearer(token), kNow + 61);
  EXPECT_EQ(late.status, Status::kJwtExpired);
  EXPECT_EQ(bodyOf(late), "Jwt is expired");
  EXPECT_EQ(late.signature_verifications, 0u);  // time is checked before the signature
  JwtProviderSpec strict = provider();
  strict.clock_skew_seconds = 5;
  EXPECT_EQ(run(oneProvider(strict), bearer(token), kNow + 6).status, Status::kJwtExpired);
}

TEST(JwtAuthenticate, NotBefore) {
  const std::string token = rsaKey().sign(claims({{"nbf", kNow + 100}}));
  EXPECT_EQ(run(oneProvider(), bearer(token)).status, Status::kJwtNotYetValid);
  EXPECT_EQ(bodyOf(run(oneProvider(), bearer(token))), "Jwt not yet valid");
  EXPECT_TRUE(run(oneProvider(), bearer(token), kNow + 40).allowed());
}

TEST(JwtAuthenticate, Issuer) {
  const Outcome o = run(oneProvider(), bearer(rsaKey().sign(claims({{"iss", "https://evil"}}))));
  EXPECT_EQ(o.status, Status::kJwtUnknownIssuer);
  EXPECT_EQ(bodyOf(o), "Jwt issuer is not configured");
  EXPECT_EQ(run(oneProvider(), bearer(rsaKey().sign(claims({{"iss", nullptr}})))).status,
            Status::kJwtUnknownIssuer);
  JwtProviderSpec any = provider();
  any.issuer.clear();
  EXPECT_TRUE(run(oneProvider(any), bearer(rsaKey().sign(claims({{"iss", "x"}})))).allowed());
}

TEST(JwtAuthenticate, AudienceMismatchIs403) {
  const Outcome o = run(oneProvider(), bearer(rsaKey().sign(claims({{"aud", "other"}}))));
  EXPECT_EQ(o.status, Status::kJwtAudienceNotAllowed);
  const auto reply = deniedReply(o);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->head.status, 403);
  EXPECT_EQ(reply->body, "Audiences in Jwt are not allowed");
  // Missing aud with audiences configured is also not allowed.
  EXPECT_EQ(run(oneProvider(), bearer(rsaKey().sign(claims({{"aud", nullptr}})))).status,
            Status::kJwtAudienceNotAllowed);
  // Any one of a list; scheme and trailing slash are ignored on both sides.
  EXPECT_TRUE(run(oneProvider(),
                  bearer(rsaKey().sign(claims({{"aud", {"x", "https://api.example.com/"}}}))))
                  .allowed());
  JwtProviderSpec none = provider();
  none.audiences.clear();
  EXPECT_TRUE(run(oneProvider(none), bearer(rsaKey().sign(claims({{"aud", "z"}})))).allowed());
}

TEST(JwtAuthenticate, MissingTokenIs401WithABareChallenge) {
  const Outcome o = run(oneProvider(), request({}, "/api?x=1"));
  EXPECT_EQ(o.status, Status::kJwtMissed);
  const auto reply = deniedReply(o);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->head.status, 401);
  EXPECT_EQ(reply->body, "Jwt is missing");
  EXPECT_EQ(reply->details, "jwt_authn_access_denied{Jwt_is_missing}");
  const http1::HeaderList expected = {
      {"content-type", "text/plain"},
      {"content-length", "14"},
      {"www-authenticate", "Bearer realm=\"http://www.example.com/api?x=1\""}};
  EXPECT_EQ(reply->head.headers, expected);
}

TEST(JwtAuthenticate, InvalidTokenChallengeCarriesTheError) {
  http1::RequestHead head = bearer("abc.def");
  head.target = "/" + std::string(300, 'p');
  Authenticator auth(compile(oneProvider()));
  const Outcome o = auth.authenticate(at(kNow), head, "https");
  const auto reply = deniedReply(o);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body,
            "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
  const std::string realm = "https://www.example.com" + head.target.substr(0, 256);
  EXPECT_EQ(reply->head.headers[2].value,
            "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
}

TEST(JwtAuthenticate, MalformedTokensNeverCrash) {
  const std::vector<std::string> junk = {"",
                                         ".",
                                         "..",
                                         "...",
                                         "a.b.c",
                                         "====.====.====",
                                         std::string(5000, 'A') + ".e30.e30",
                                         "\x01\x02.\xff.x",
                                         "e30.e30.e30",
                                         "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"};
  Authenticator auth(compile(oneProvider()));
  for (const std::string& token : junk) {
    const Outcome o = auth.authenticate(at(kNow), request({{"Authorization", "Bearer " + token}}));
    EXPECT_FALSE(o.allowed()) << token;
    EXPECT_TRUE(deniedReply(o).has_value());
  }
}

TEST(JwtAuthenticate, OptionalLetsAMissingTokenThroughButNotABadOne) {
  JwtSpec spec = oneProvider();
  spec.optional = true;
  const Outcome missing = run(spec, request());
  EXPECT_TRUE(missing.allowed());
  EXPECT_EQ(missing.tolerated, Status::kJwtMissed);
  EXPECT_EQ(missing.provider, -1);
  EXPECT_TRUE(missing.payloads.empty());
  EXPECT_EQ(run(spec, bearer(forgerKey().sign(claims()))).status, Status::kJwtVerificationFail);
  EXPECT_TRUE(run(spec, bearer(rsaKey().sign(claims()))).allowed());
}

TEST(JwtAuthenticate, FailOpenLetsEverythingThrough) {
  JwtSpec spec = oneProvider();
  spec.fail_open = true;
  const Outcome bad = run(spec, bearer(forgerKey().sign(claims())));
  EXPECT_TRUE(bad.allowed());
  EXPECT_EQ(bad.tolerated, Status::kJwtVerificationFail);
  EXPECT_TRUE(bad.payloads.empty());
  EXPECT_TRUE(run(spec, request()).allowed());
}

TEST(JwtAuthenticate, DefaultLocationsAreBearerHeaderAndAccessTokenParameter) {
  const std::string token = rsaKey().sign(claims());
  EXPECT_TRUE(run(oneProvider(), request({}, "/api?a=1&access_token=" + token)).allowed());
  // The prefix is case-sensitive: "bearer" is not found, so there is no token at all.
  EXPECT_EQ(run(oneProvider(), request({{"authorization", "bearer " + token}})).status,
            Status::kJwtMissed);
  // The prefix may appear anywhere in the value; the token starts at the next token character.
  EXPECT_TRUE(run(oneProvider(), request({{"Authorization", "x, Bearer  " + token}})).allowed());
  // Only the configured locations count.
  EXPECT_EQ(run(oneProvider(), request({{"X-Token", token}})).status, Status::kJwtMissed);
}

TEST(JwtAuthenticate, CustomHeaderCookieAndParameter) {
  const std::string token = rsaKey().sign(claims());
  JwtProviderSpec p = provider();
  p.extract_from = JwtExtractFrom{{{"X-Api-Token", "Token "}, {"X-Raw", ""}}, {"session"}, {"jwt"}};
  const JwtSpec spec = oneProvider(p);
  EXPECT_TRUE(run(spec, request({{"x-api-token", "Token " + token}})).allowed());
  EXPECT_TRUE(run(spec, request({{"X-Raw", token}})).allowed());
  EXPECT_TRUE(run(spec, request({{"Cookie", "a=b; session=" + token + "; c=d"}})).allowed());
  EXPECT_TRUE(run(spec, request({{"Cookie", "session=\"" + token + "\""}})).allowed());
  EXPECT_TRUE(run(spec, request({}, "/p?jwt=" + token)).allowed());
  // Percent-encoded parameter values are decoded.
  std::string encoded = token;
  encoded.replace(encoded.find('.'), 1, "%2E");
  EXPECT_TRUE(run(spec, request({}, "/p?jwt=" + encoded)).allowed());
  // Without the prefix the header line is skipped; the default locations are gone.
  EXPECT_EQ(run(spec, request({{"X-Api-Token", token}})).status, Status::kJwtMissed);
  EXPECT_EQ(run(spec, bearer(token)).status, Status::kJwtMissed);
}

TEST(JwtAuthenticate, EveryTokenFoundMustVerify) {
  const std::string good = rsaKey().sign(claims());
  const std::string bad = forgerKey().sign(claims());
  const Outcome o =
      run(oneProvider(), request({{"Authorization", "Bearer " + good}}, "/a?access_token=" + bad));
  EXPECT_EQ(o.status, Status::kJwtVerificationFail);
  EXPECT_EQ(o.tokens_seen, 2u);
  const Outcome two =
      run(oneProvider(),
          request({{"Authorization", "Bearer " + good}, {"Authorization", "Bearer " + bad}}));
  EXPECT_EQ(two.status, Status::kJwtVerificationFail);
}

TEST(JwtAuthenticate, ProvidersAreTriedInOrder) {
  JwtProviderSpec other = provider("other", {&ecKey()});
  other.issuer = "https://other.example.com";
  JwtSpec spec;
  spec.providers = {provider("example", {&rsaKey()}), other};
  const Outcome second =
      run(spec, bearer(ecKey().sign(claims({{"iss", "https://other.example.com"}}))));
  EXPECT_TRUE(second.allowed());
  EXPECT_EQ(second.provider, 1);
  EXPECT_EQ(second.payloadFor("example"), nullptr);
  EXPECT_NE(second.payloadFor("other"), nullptr);
  // Both fail: a real error wins over an unknown issuer, an unknown issuer over a missing token.
  const Outcome bad = run(spec, bearer(forgerKey().sign(claims())));
  EXPECT_EQ(bad.status, Status::kJwtVerificationFail);
  const Outcome unknown = run(spec, bearer(rsaKey().sign(claims({{"iss", "https://nobody"}}))));
  EXPECT_EQ(unknown.status, Status::kJwtUnknownIssuer);
}

TEST(JwtAuthenticate, ClaimToHeadersAddsAndSanitizes) {
  JwtProviderSpec p = provider();
  p.claim_to_headers = {{"X-Sub", "sub"},        {"x-email", "user.email"}, {"x-age", "age"},
                        {"x-admin", "admin"},    {"x-roles", "roles"},      {"x-ratio", "ratio"},
                        {"x-absent", "nothing"}, {"x-empty", "empty"}};
  const std::string token = rsaKey().sign(claims({{"user", {{"email", "a@example.com"}}},
                                                  {"age", 42},
                                                  {"admin", true},
                                                  {"roles", {"r1", "r2"}},
                                                  {"ratio", 0.5},
                                                  {"empty", ""}}));
  http1::RequestHead head =
      request({{"Authorization", "Bearer " + token}, {"X-Sub", "forged"}, {"x-absent", "forged"}});
  const Outcome o = run(oneProvider(p), head);
  ASSERT_TRUE(o.allowed());
  EXPECT_EQ(o.removed_headers, (std::vector<std::string>{"x-sub", "x-absent"}));
  const http1::HeaderList expected = {
      {"x-sub", "alice"},     {"x-email", "a@example.com"},    {"x-age", "42"},
      {"x-admin", "true"},    {"x-roles", "WyJyMSIsInIyIl0="},  // base64 of ["r1","r2"]
      {"x-ratio", "0.500000"}};
  EXPECT_EQ(o.added_headers, expected);
  applyToRequest(o, head);
  EXPECT_EQ(http1::findHeader(head.headers, "x-sub")->value, "alice");
  EXPECT_EQ(http1::findHeader(head.headers, "x-absent"), nullptr);
  // The token stays: Envoy Gateway forwards it.
  EXPECT_NE(http1::findHeader(head.headers, "authorization"), nullptr);
}

TEST(JwtAuthenticate, ForwardFalseRemovesTheTokenHeaderOrParameter) {
  JwtProviderSpec p = provider();
  p.forward = false;
  const std::string token = rsaKey().sign(claims());
  http1::RequestHead head = bearer(token);
  Outcome o = run(oneProvider(p), head);
  ASSERT_TRUE(o.allowed());
  applyToRequest(o, head);
  EXPECT_EQ(http1::findHeader(head.headers, "authorization"), nullptr);
  http1::RequestHead param = request({}, "/p?a=1&access_token=" + token + "&b=2");
  o = run(oneProvider(p), param);
  ASSERT_TRUE(o.allowed());
  applyToRequest(o, param);
  EXPECT_EQ(param.target, "/p?a=1&b=2");
}

TEST(JwtAuthenticate, InvalidJwksToleratedAsEnvoyDoes) {
  JwtProviderSpec p = provider();
  p.local_jwks = "{\"keys\": 5}";
  JwtSpec spec = oneProvider(p);
  spec.reject_invalid_jwks = false;
  auto config = compile(spec);
  ASSERT_EQ(config->warnings().size(), 1u);
  Authenticator auth(config);
  const Outcome o = auth.authenticate(at(kNow), bearer(rsaKey().sign(claims())));
  EXPECT_EQ(o.status, Status::kJwksNoValidKeys);
  // Time, issuer and audience are still checked first.
  EXPECT_EQ(auth.authenticate(at(kNow), bearer(rsaKey().sign(claims({{"aud", "z"}})))).status,
            Status::kJwtAudienceNotAllowed);
}

TEST(JwtStats, RecordsVerdictsAndWork) {
  JwtStats stats;
  stats.record(run(oneProvider(), bearer(rsaKey().sign(claims()))));
  stats.record(run(oneProvider(), request()));
  EXPECT_EQ(stats.allowed, 1u);
  EXPECT_EQ(stats.denied, 1u);
  EXPECT_EQ(stats.jwt_cache_miss, 1u);
  EXPECT_EQ(stats.signature_verifications, 1u);
  std::vector<std::string> names;
  stats.forEach([&](std::string_view name, uint64_t) { names.emplace_back(name); });
  EXPECT_EQ(names.front(), "jwt_authn.allowed");
  EXPECT_EQ(names.size(), 7u);
}

}  // namespace
}  // namespace ctplab::proxy::jwt
