// Malformed tokens get jwt_verify_lib's status, never a crash; and the exp/nbf edges with the
// default 60 s skew.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/proxy/jwt/parsed_jwt.h"
#include "jwt_test_support.h"

namespace ctplab::proxy::jwt {
namespace {

using testing::claims;
using testing::kNow;
using testing::rsaKey;

std::string b64(std::string_view text) {
  // Through the signer, so the test does not carry its own base64 table.
  const std::string token = rsaKey().signRaw(text, "{}");
  return token.substr(0, token.find('.'));
}

std::string withHeader(std::string_view header) { return rsaKey().signRaw(header, "{}"); }

std::string withPayload(std::string_view payload) {
  return rsaKey().signRaw(R"({"alg":"RS256"})", payload);
}

Status statusOf(std::string_view token) { return parseJwt(token).status; }

TEST(JwtParse, GoodTokenExposesRegisteredClaims) {
  const JwtParse p = parseJwt(rsaKey().sign(claims({{"aud", {"a", "b"}}, {"nbf", kNow - 5}})));
  ASSERT_EQ(p.status, Status::kOk);
  EXPECT_EQ(p.jwt->alg, "RS256");
  EXPECT_EQ(p.jwt->kid, "rsa-1");
  EXPECT_EQ(p.jwt->iss, "https://issuer.example.com");
  EXPECT_EQ(p.jwt->sub, "alice");
  EXPECT_EQ(p.jwt->audiences, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.jwt->exp, static_cast<uint64_t>(kNow + 3600));
  EXPECT_EQ(p.jwt->nbf, static_cast<uint64_t>(kNow - 5));
}

TEST(JwtParse, WrongNumberOfParts) {
  EXPECT_EQ(statusOf(""), Status::kJwtBadFormat);
  EXPECT_EQ(statusOf("abc"), Status::kJwtBadFormat);
  EXPECT_EQ(statusOf("abc.def"), Status::kJwtBadFormat);
  EXPECT_EQ(statusOf("a.b.c.d"), Status::kJwtBadFormat);
  // An unsigned token ("alg":"none" style, empty signature) has only two non-empty parts.
  EXPECT_EQ(statusOf(b64(R"({"alg":"none"})") + "." + b64("{}") + "."), Status::kJwtBadFormat);
  EXPECT_EQ(statusOf("Jwt is missing"), Status::kJwtBadFormat);
}

TEST(JwtParse, EmptyPartsAreDroppedBeforeCounting) {
  const std::string token = rsaKey().sign(claims());
  const size_t dot = token.find('.');
  const std::string doubled = token.substr(0, dot) + "." + token.substr(dot);  // "h..p.s"
  const JwtParse p = parseJwt(doubled);
  ASSERT_EQ(p.status, Status::kOk);
  EXPECT_EQ(p.jwt->signing_input, token.substr(0, token.rfind('.')));
}

TEST(JwtParse, HeaderErrors) {
  EXPECT_EQ(statusOf("a*b.e30.c2ln"), Status::kJwtHeaderParseErrorBadBase64);
  EXPECT_EQ(statusOf("abcde.e30.c2ln"), Status::kJwtHeaderParseErrorBadBase64);  // 5 chars
  EXPECT_EQ(statusOf(withHeader("not json")), Status::kJwtHeaderParseErrorBadJson);
  EXPECT_EQ(statusOf(withHeader("[1,2]")), Status::kJwtHeaderParseErrorBadJson);
  EXPECT_EQ(statusOf(withHeader("{}")), Status::kJwtHeaderBadAlg);
  EXPECT_EQ(statusOf(withHeader(R"({"alg":256})")), Status::kJwtHeaderBadAlg);
  EXPECT_EQ(statusOf(withHeader(R"({"alg":"none"})")), Status::kJwtHeaderNotImplementedAlg);
  EXPECT_EQ(statusOf(withHeader(R"({"alg":"rs256"})")), Status::kJwtHeaderNotImplementedAlg);
  EXPECT_EQ(statusOf(withHeader(R"({"alg":"RS256","kid":7})")), Status::kJwtHeaderBadKid);
  // HS256 parses (jwt_verify_lib implements it); it fails later, at the signature.
  EXPECT_EQ(statusOf(withHeader(R"({"alg":"HS256"})")), Status::kOk);
}

TEST(JwtParse, PayloadErrors) {
  const std::string header = b64(R"({"alg":"RS256"})");
  EXPECT_EQ(statusOf(header + ".a*b.c2ln"), Status::kJwtPayloadParseErrorBadBase64);
  EXPECT_EQ(statusOf(withPayload("{\"sub\":")), Status::kJwtPayloadParseErrorBadJson);
  EXPECT_EQ(statusOf(withPayload("\"text\"")), Status::kJwtPayloadParseErrorBadJson);
  EXPECT_EQ(statusOf(withPayload(R"({"iss":1})")), Status::kJwtPayloadParseErrorIssNotString);
  EXPECT_EQ(statusOf(withPayload(R"({"sub":true})")), Status::kJwtPayloadParseErrorSubNotString);
  EXPECT_EQ(statusOf(withPayload(R"({"iat":"1"})")), Status::kJwtPayloadParseErrorIatNotInteger);
  EXPECT_EQ(statusOf(withPayload(R"({"nbf":"1"})")), Status::kJwtPayloadParseErrorNbfNotInteger);
  EXPECT_EQ(statusOf(withPayload(R"({"exp":"1"})")), Status::kJwtPayloadParseErrorExpNotInteger);
  EXPECT_EQ(statusOf(withPayload(R"({"exp":-1})")), Status::kJwtPayloadParseErrorExpOutOfRange);
  EXPECT_EQ(statusOf(withPayload(R"({"nbf":1e30})")), Status::kJwtPayloadParseErrorNbfOutOfRange);
  EXPECT_EQ(statusOf(withPayload(R"({"jti":{}})")), Status::kJwtPayloadParseErrorJtiNotString);
  EXPECT_EQ(statusOf(withPayload(R"({"aud":["a",1]})")), Status::kJwtPayloadParseErrorAudNotString);
  EXPECT_EQ(statusOf(withPayload(R"({"aud":5})")), Status::kJwtPayloadParseErrorAudNotString);
  // A fractional exp is truncated, as jwt_verify_lib reads numbers as doubles.
  const JwtParse p = parseJwt(withPayload(R"({"exp":1700000000.9})"));
  ASSERT_EQ(p.status, Status::kOk);
  EXPECT_EQ(p.jwt->exp, 1700000000u);
}

TEST(JwtParse, SignatureErrors) {
  const std::string token = rsaKey().sign(claims());
  const std::string unsigned_part = token.substr(0, token.rfind('.'));
  EXPECT_EQ(statusOf(unsigned_part + ".sig+nature"), Status::kJwtSignatureParseErrorBadBase64);
  EXPECT_EQ(statusOf(unsigned_part + ".abcde"), Status::kJwtSignatureParseErrorBadBase64);
  EXPECT_EQ(statusOf(unsigned_part + ".ab=c"), Status::kJwtSignatureParseErrorBadBase64);
}

TEST(JwtParse, Base64PaddingIsOptionalButMustBeExact) {
  // {"alg":"RS256"} is 15 bytes: 20 characters, no padding either way.
  // {"alg":"RS384"}x is 16 bytes: 22 characters, "==" when padded.
  const std::string header = b64(R"({"alg":"RS384"} )");
  ASSERT_EQ(header.size(), 22u);
  EXPECT_EQ(statusOf(header + ".e30.c2ln"), Status::kOk);
  EXPECT_EQ(statusOf(header + "==.e30.c2ln"), Status::kOk);
  EXPECT_EQ(statusOf(header + "=.e30.c2ln"), Status::kJwtHeaderParseErrorBadBase64);
  EXPECT_EQ(statusOf(header + "===.e30.c2ln"), Status::kJwtHeaderParseErrorBadBase64);
}

TEST(JwtTime, ExpiryEdgesWithDefaultSkew) {
  const auto jwt = parseJwt(rsaKey().sign(claims({{"exp", kNow}}))).jwt;
  ASSERT_NE(jwt, nullptr);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow), Status::kOk);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow + 60), Status::kOk);  // exactly exp + skew
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow + 61), Status::kJwtExpired);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow + 61, 0), Status::kJwtExpired);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow + 1, 0), Status::kJwtExpired);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow, 0), Status::kOk);
}

TEST(JwtTime, NotBeforeEdgesWithDefaultSkew) {
  const auto jwt = parseJwt(rsaKey().sign(claims({{"nbf", kNow}}))).jwt;
  ASSERT_NE(jwt, nullptr);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow - 60), Status::kOk);  // exactly nbf - skew
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow - 61), Status::kJwtNotYetValid);
  EXPECT_EQ(checkTimeConstraint(*jwt, kNow - 1, 0), Status::kJwtNotYetValid);
}

TEST(JwtTime, NoExpNeverExpiresAndAnEarlyVirtualClockIsNotValid) {
  const auto jwt = parseJwt(rsaKey().sign(claims({{"exp", nullptr}, {"nbf", 100}}))).jwt;
  ASSERT_NE(jwt, nullptr);
  EXPECT_EQ(checkTimeConstraint(*jwt, 4'000'000'000'000), Status::kOk);
  EXPECT_EQ(checkTimeConstraint(*jwt, -1'000), Status::kJwtNotYetValid);
}

}  // namespace
}  // namespace ctplab::proxy::jwt
