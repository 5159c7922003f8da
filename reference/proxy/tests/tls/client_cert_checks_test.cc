// Client certificate checks after verification: hash and SPKI pins (one union), SAN matchers of
// every type (OR across matchers), Envoy's DNS wildcard rules, the check order and config errors.
#include "ctplab/proxy/tls/client_cert_checks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tls/test_certs.h"

namespace ctplab::proxy::tls {
namespace {

namespace ir = policy::ir;
using testing::makePeer;
using testing::TestCertSpec;

ir::StringMatch exact(std::string name, std::string value) {
  ir::StringMatch m;
  m.name = std::move(name);
  m.exact = std::move(value);
  return m;
}
ir::StringMatch prefix(std::string name, std::string value) {
  ir::StringMatch m;
  m.name = std::move(name);
  m.prefix = std::move(value);
  return m;
}
ir::StringMatch suffix(std::string name, std::string value) {
  ir::StringMatch m;
  m.name = std::move(name);
  m.suffix = std::move(value);
  return m;
}
ir::StringMatch regex(std::string name, std::string value) {
  ir::StringMatch m;
  m.name = std::move(name);
  m.safe_regex = std::move(value);
  return m;
}

ClientCertChecks compile(const ir::TLSConfig& tls) {
  auto checks = ClientCertChecks::fromTls(tls);
  EXPECT_TRUE(checks.ok()) << checks.error().message;
  return checks.ok() ? checks.value() : ClientCertChecks{};
}

ClientCertChecks sanChecks(std::vector<ir::StringMatch> matchers) {
  ir::TLSConfig tls;
  tls.match_typed_subject_alt_names = std::move(matchers);
  return compile(tls);
}

ClientCertChecks pins(std::vector<std::string> hashes, std::vector<std::string> spki) {
  ir::TLSConfig tls;
  tls.verify_certificate_hash = std::move(hashes);
  tls.verify_certificate_spki = std::move(spki);
  return compile(tls);
}

std::string errorOf(const ir::TLSConfig& tls) {
  auto checks = ClientCertChecks::fromTls(tls);
  return checks.ok() ? "<ok>" : checks.error().message;
}

PeerCertificate richLeaf() {
  TestCertSpec spec;
  spec.subject = {{"CN", "client"}};
  spec.dns = {"*.example.com", "exact.test"};
  spec.uris = {"spiffe://cluster.local/ns/default/sa/client"};
  spec.emails = {"client@example.com"};
  spec.ip_bytes = {std::string("\x0a\x00\x00\x01", 4),
                   std::string("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16)};
  spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", V_ASN1_UTF8STRING, "upn@example.com"},
                      {"1.2.3.4", V_ASN1_IA5STRING, "other"}};
  return makePeer(spec);
}

TEST(ClientCertChecksTest, NothingConfiguredPassesEverything) {
  const ClientCertChecks checks = compile({});
  EXPECT_FALSE(checks.configured());
  EXPECT_EQ(checks.check(makePeer({})), ClientCertCheck::kOk);
  EXPECT_EQ(statName(ClientCertCheck::kOk), "");
}

TEST(ClientCertChecksTest, StatNames) {
  EXPECT_EQ(statName(ClientCertCheck::kFailSan), "ssl.fail_verify_san");
  EXPECT_EQ(statName(ClientCertCheck::kFailCertHash), "ssl.fail_verify_cert_hash");
}

TEST(ClientCertChecksTest, CertificateHashPinAcceptsEnvoysSpellings) {
  const PeerCertificate leaf = makePeer({});
  const std::string raw = testing::sha256(leaf.der);
  std::string colons;
  for (char c : testing::hexOf(raw, true)) {
    if (!colons.empty() && colons.size() % 3 == 2) colons += ':';
    colons += c;
  }
  ASSERT_EQ(colons.size(), 95u);
  for (const std::string& spelling : {testing::hexOf(raw), testing::hexOf(raw, true), colons}) {
    SCOPED_TRACE(spelling);
    const ClientCertChecks checks = pins({spelling}, {});
    EXPECT_TRUE(checks.configured());
    EXPECT_EQ(checks.check(leaf), ClientCertCheck::kOk);
    EXPECT_EQ(checks.check(makePeer({})), ClientCertCheck::kFailCertHash);
  }
}

TEST(ClientCertChecksTest, SpkiPinIsBase64Sha256OfTheSubjectPublicKeyInfo) {
  const testing::TestCert cert = testing::makeCert({});
  const PeerCertificate leaf = PeerCertificate::fromDer(cert.der).value();
  const std::string pin = testing::base64Of(testing::sha256(cert.spki_der));
  const ClientCertChecks checks = pins({}, {pin});
  EXPECT_EQ(checks.check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(checks.check(makePeer({})), ClientCertCheck::kFailCertHash);
}

TEST(ClientCertChecksTest, HashAndSpkiListsAreOneUnion) {
  const PeerCertificate leaf = makePeer({});
  const PeerCertificate other = makePeer({});
  const std::string good_hash = leaf.sha256_hex, bad_hash = other.sha256_hex;
  const std::string good_spki = leaf.spki_sha256_base64, bad_spki = other.spki_sha256_base64;
  EXPECT_EQ(pins({bad_hash}, {good_spki}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(pins({good_hash}, {bad_spki}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(pins({bad_hash, good_hash}, {}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(pins({}, {bad_spki, good_spki}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(pins({bad_hash}, {bad_spki}).check(leaf), ClientCertCheck::kFailCertHash);
}

TEST(ClientCertChecksTest, MalformedPinsAreConfigErrors) {
  const std::string hash(64, 'a');
  const std::string spki = testing::base64Of(std::string(32, 'x'));
  auto hashError = [](std::string entry) {
    ir::TLSConfig tls;
    tls.verify_certificate_hash = {std::move(entry)};
    return errorOf(tls);
  };
  auto spkiError = [](std::string entry) {
    ir::TLSConfig tls;
    tls.verify_certificate_spki = {std::move(entry)};
    return errorOf(tls);
  };
  EXPECT_EQ(hashError(hash), "<ok>");
  EXPECT_NE(hashError(hash.substr(1)), "<ok>");
  EXPECT_NE(hashError(hash + "aa"), "<ok>");
  EXPECT_NE(hashError(std::string(63, 'a') + "g"), "<ok>");
  EXPECT_NE(hashError(""), "<ok>");
  // Colons are only stripped from the 95-character form.
  EXPECT_NE(hashError("aa:" + std::string(62, 'a')), "<ok>");
  EXPECT_NE(hashError(std::string(94, ':') + "a"), "<ok>");
  EXPECT_EQ(spkiError(spki), "<ok>");
  EXPECT_NE(spkiError(testing::base64Of(std::string(31, 'x'))), "<ok>");
  EXPECT_NE(spkiError(testing::base64Of(std::string(33, 'x'))), "<ok>");
  EXPECT_NE(spkiError(spki.substr(0, 43)), "<ok>") << "unpadded";
  EXPECT_NE(spkiError(spki.substr(0, 42) + "B="), "<ok>") << "stray bits past the data";
  EXPECT_NE(spkiError(spki.substr(0, 42) + "-="), "<ok>") << "URL-safe alphabet";
  EXPECT_NE(spkiError(""), "<ok>");
  EXPECT_NE(hashError("zz").find("verify_certificate_hash"), std::string::npos);
}

TEST(ClientCertChecksTest, DnsNameMatchFollowsEnvoy) {
  EXPECT_TRUE(dnsNameMatch("foo.example.com", "foo.example.com"));
  EXPECT_TRUE(dnsNameMatch("FOO.Example.com", "foo.EXAMPLE.com"));
  EXPECT_TRUE(dnsNameMatch("foo.example.com", "*.example.com"));
  EXPECT_TRUE(dnsNameMatch("foo.example.com", "*.EXAMPLE.COM"));
  EXPECT_FALSE(dnsNameMatch("example.com", "*.example.com"));
  EXPECT_FALSE(dnsNameMatch("a.b.example.com", "*.example.com"));
  EXPECT_FALSE(dnsNameMatch("foo.example.org", "*.example.com"));
  // Partial wildcards inside the first label; the star may stand for nothing.
  EXPECT_TRUE(dnsNameMatch("foo.example.com", "f*.example.com"));
  EXPECT_TRUE(dnsNameMatch("foo.example.com", "*o.example.com"));
  EXPECT_TRUE(dnsNameMatch("fbaro.example.com", "f*o.example.com"));
  EXPECT_TRUE(dnsNameMatch("fo.example.com", "f*o.example.com"));
  EXPECT_FALSE(dnsNameMatch("f.example.com", "f*o.example.com"));
  EXPECT_FALSE(dnsNameMatch("bar.example.com", "f*.example.com"));
  // Not a wildcard: two stars, a star past the first label, an A-label, a single label.
  EXPECT_FALSE(dnsNameMatch("foo.example.com", "**.example.com"));
  EXPECT_FALSE(dnsNameMatch("foo.example.com", "f*o*.example.com"));
  EXPECT_FALSE(dnsNameMatch("foo.bar.com", "*.*.com"));
  EXPECT_FALSE(dnsNameMatch("foo.bar.com", "foo.*.com"));
  EXPECT_FALSE(dnsNameMatch("xn--abc.example.com", "xn--*.example.com"));
  EXPECT_FALSE(dnsNameMatch("localhost", "*"));
  // The configured name is never the pattern.
  EXPECT_FALSE(dnsNameMatch("*.example.com", "foo.example.com"));
  EXPECT_TRUE(dnsNameMatch("*.example.com", "*.example.com"));
}

TEST(ClientCertChecksTest, DnsExactUsesWildcardRulesOtherKindsCompareText) {
  const PeerCertificate leaf = richLeaf();  // DNS SANs *.example.com, exact.test
  EXPECT_EQ(sanChecks({exact("DNS", "foo.example.com")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("DNS", "FOO.EXAMPLE.COM")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("DNS", "Exact.Test")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("DNS", "example.com")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("DNS", "a.b.example.com")}).check(leaf), ClientCertCheck::kFailSan);
  // Prefix, suffix and regex see the SAN's literal text, case-sensitively.
  EXPECT_EQ(sanChecks({suffix("DNS", ".example.com")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({prefix("DNS", "*.")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({prefix("DNS", "foo.")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({suffix("DNS", ".EXAMPLE.COM")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({regex("DNS", R"(\*\.example\.com)")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({regex("DNS", "exact")}).check(leaf), ClientCertCheck::kFailSan)
      << "full match, not search";
  EXPECT_EQ(sanChecks({regex("DNS", "exact\\..*")}).check(leaf), ClientCertCheck::kOk);
}

TEST(ClientCertChecksTest, EveryOtherSanType) {
  const PeerCertificate leaf = richLeaf();
  EXPECT_EQ(sanChecks({exact("EMAIL", "client@example.com")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("EMAIL", "CLIENT@example.com")}).check(leaf),
            ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("IP_ADDRESS", "10.0.0.1")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("IP_ADDRESS", "2001:db8::1")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("IP_ADDRESS", "2001:0db8:0:0:0:0:0:1")}).check(leaf),
            ClientCertCheck::kFailSan)
      << "compared as inet_ntop text";
  EXPECT_EQ(sanChecks({prefix("IP_ADDRESS", "10.")}).check(leaf), ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({prefix("URI", "spiffe://cluster.local/")}).check(leaf),
            ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("URI", "spiffe://cluster.local")}).check(leaf),
            ClientCertCheck::kFailSan);
}

TEST(ClientCertChecksTest, OtherNameMatchesByOidAndValue) {
  const PeerCertificate leaf = richLeaf();
  EXPECT_EQ(sanChecks({exact("1.3.6.1.4.1.311.20.2.3", "upn@example.com")}).check(leaf),
            ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({suffix("1.2.3.4", "her")}).check(leaf), ClientCertCheck::kOk);
  // The value of another OID does not count.
  EXPECT_EQ(sanChecks({exact("1.2.3.4", "upn@example.com")}).check(leaf),
            ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("1.2.3.5", "other")}).check(leaf), ClientCertCheck::kFailSan);
  // OpenSSL's name for an OID works as Envoy's OBJ_txt2obj(oid, 0) lets it.
  const ClientCertChecks by_name = sanChecks({exact("msUPN", "upn@example.com")});
  ASSERT_EQ(by_name.sanMatchers().size(), 1u);
  EXPECT_EQ(by_name.sanMatchers()[0].type, SanType::kOtherName);
  EXPECT_EQ(by_name.sanMatchers()[0].oid, "1.3.6.1.4.1.311.20.2.3");
  EXPECT_EQ(by_name.check(leaf), ClientCertCheck::kOk);
}

TEST(ClientCertChecksTest, MatchersOnlySeeTheirOwnType) {
  const PeerCertificate leaf = richLeaf();
  EXPECT_EQ(sanChecks({exact("URI", "exact.test")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("DNS", "client@example.com")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("EMAIL", "10.0.0.1")}).check(leaf), ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("1.2.3.4", "client@example.com")}).check(leaf),
            ClientCertCheck::kFailSan);
  EXPECT_EQ(sanChecks({exact("DNS", "foo.example.com")}).check(makePeer({})),
            ClientCertCheck::kFailSan)
      << "no SANs at all";
}

TEST(ClientCertChecksTest, AnyMatcherMatchingIsEnough) {
  const PeerCertificate leaf = richLeaf();
  EXPECT_EQ(sanChecks({exact("DNS", "nope.test"), exact("URI", "nope"),
                       exact("EMAIL", "client@example.com")})
                .check(leaf),
            ClientCertCheck::kOk);
  EXPECT_EQ(sanChecks({exact("DNS", "nope.test"), exact("URI", "nope")}).check(leaf),
            ClientCertCheck::kFailSan);
}

TEST(ClientCertChecksTest, SanMatchersRunBeforePins) {
  const PeerCertificate leaf = richLeaf();
  const PeerCertificate other = makePeer({});
  ir::TLSConfig tls;
  tls.match_typed_subject_alt_names = {exact("DNS", "nope.test")};
  tls.verify_certificate_hash = {other.sha256_hex};
  EXPECT_EQ(compile(tls).check(leaf), ClientCertCheck::kFailSan) << "both fail: SAN reported";
  tls.match_typed_subject_alt_names = {exact("DNS", "foo.example.com")};
  EXPECT_EQ(compile(tls).check(leaf), ClientCertCheck::kFailCertHash);
  tls.verify_certificate_hash = {leaf.sha256_hex};
  EXPECT_EQ(compile(tls).check(leaf), ClientCertCheck::kOk);
  tls.match_typed_subject_alt_names = {exact("DNS", "nope.test")};
  EXPECT_EQ(compile(tls).check(leaf), ClientCertCheck::kFailSan) << "a pin does not excuse SANs";
}

TEST(ClientCertChecksTest, SanMatcherConfigErrors) {
  auto errorFor = [](ir::StringMatch m) {
    ir::TLSConfig tls;
    tls.match_typed_subject_alt_names = {std::move(m)};
    return errorOf(tls);
  };
  EXPECT_NE(errorFor(regex("DNS", "(")).find("invalid regular expression"), std::string::npos);
  EXPECT_NE(errorFor(prefix("DNS", "")), "<ok>");
  EXPECT_NE(errorFor(suffix("URI", "")), "<ok>");
  EXPECT_NE(errorFor(regex("URI", "")), "<ok>");
  EXPECT_EQ(errorFor(exact("DNS", "")), "<ok>") << "an empty exact value is allowed";
  ir::StringMatch none;
  none.name = "DNS";
  EXPECT_NE(errorFor(none), "<ok>");
  EXPECT_NE(errorFor(exact("not an oid", "x")).find("OID"), std::string::npos);
  EXPECT_NE(errorFor(exact("", "x")), "<ok>");
  EXPECT_NE(errorFor(exact("dns", "x")), "<ok>") << "SAN type names are case-sensitive";
}

TEST(ClientCertChecksTest, FirstPatternWinsWhenSeveralAreSet) {
  ir::StringMatch both = exact("DNS", "exact.test");
  both.prefix = "nothing-matches-this";
  EXPECT_EQ(sanChecks({both}).check(richLeaf()), ClientCertCheck::kOk);
  ASSERT_EQ(sanChecks({both}).sanMatchers().size(), 1u);
  EXPECT_EQ(sanChecks({both}).sanMatchers()[0].kind, SanMatcher::Kind::kExact);
}

}  // namespace
}  // namespace ctplab::proxy::tls
