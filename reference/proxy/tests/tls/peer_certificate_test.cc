// PeerCertificate: every field against an independent computation, Envoy's subject and IP
// printing, otherName rendering, PEM bundles, and malformed input that must fail cleanly.
#include "ctplab/proxy/tls/peer_certificate.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <string>
#include <vector>

#include "tls/test_certs.h"

namespace ctplab::proxy::tls {
namespace {

using testing::makeCert;
using testing::makePeer;
using testing::OtherNameSpec;
using testing::TestCertSpec;

// The conformance fixture's certificate (client-mtls-gateway.yaml, Secret client-mtls-certificate).
constexpr char kMtlsExamplePem[] = R"(-----BEGIN CERTIFICATE-----
MIID1DCCArygAwIBAgIBAjANBgkqhkiG9w0BAQsFADBvMQswCQYDVQQGEwJVUzEL
MAkGA1UECAwCVkExETAPBgNVBAcMCFNvbWVDaXR5MRMwEQYDVQQKDApFbnZveVBy
b3h5MRAwDgYDVQQLDAdHYXRld2F5MRkwFwYDVQQDDBBtdGxzLmV4YW1wbGUuY29t
MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjYwMTAxMDAwMDAwWjBvMQswCQYDVQQGEwJV
UzELMAkGA1UECAwCVkExETAPBgNVBAcMCFNvbWVDaXR5MRMwEQYDVQQKDApFbnZv
eVByb3h5MRAwDgYDVQQLDAdHYXRld2F5MRkwFwYDVQQDDBBtdGxzLmV4YW1wbGUu
Y29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlomCY07+XBbXlso8
REjwZFcZ9xz1pxQ9ygAfTEaI7ukyx58rqrXbiGQSqdiywgIGy607gPH0gKz48TLS
Pco4zUId+9dI6tRMzSOklqODXbSNCl+qWguSZZPBFXV8T08w+As3OVz9YCtrFwdn
4vB4Q/Qk/eaWbns+zn8BMYMpiAlNBYYwq48yrf8UECKJviLHWsT4KgACPH3R896W
dIK3m9OPHYxJChzAyfdRoLSusr8ixX+HPcA5UVKZXuOaW8znxGrB5n/rz0VLO/kA
RZAygsPy2/PqmHiOSRJitCQt6V9DcrkJq5Sj61OHJS2uUbFHTmePZ1jCc3UogXbY
EaBCLwIDAQABo3kwdzA1BgNVHREELjAsghBtdGxzLmV4YW1wbGUuY29tghh0bHMt
c2V0dGluZ3MuZXhhbXBsZS5jb20wDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8E
BAMCAqQwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMA0GCSqGSIb3DQEB
CwUAA4IBAQB+8QqFoXHyi+/+usEf7w/j11RR7yQqpTwB1JVCCl0RpiUoiAkQ2biu
y4lvHybSEVHFrFwvZ9oshmcAFPtB9N+jYpjbkGSnvYgVu3aClaY/NKCThv+05zVw
kaigYRwkuBuwZRkKOjELkJ0hQuHtewTbMTJtYguCIITtTHELF6QPuEOPic8nEMon
yeKyYTms9qpIRnhksxSVSUrSyKflINpcs6hPC3L6/iTF8yTjJVYoMyquudLA1BoI
bLB5bE6RhLqodRzLcNGATwwD6KnttKVJ36mn3B7Fa/Lj6p768mCu+7+iw8m9tzGW
R8eNdwmzaKep3V9N8vt2bq57mCQ0rimj
-----END CERTIFICATE-----
)";

std::string subjectOf(std::vector<TestCertSpec::Attribute> subject) {
  TestCertSpec spec;
  spec.subject = std::move(subject);
  return makePeer(spec).subject;
}

std::string ipOf(std::string bytes) {
  TestCertSpec spec;
  spec.ip_bytes = {std::move(bytes)};
  PeerCertificate peer = makePeer(spec);
  return peer.ip_sans.size() == 1 ? peer.ip_sans[0] : "<missing>";
}

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

TEST(PeerCertTest, FieldsMatchIndependentComputations) {
  TestCertSpec spec;
  spec.subject = {{"CN", "client"}};
  spec.dns = {"a.example.com", "*.b.example.com"};
  spec.uris = {"spiffe://cluster.local/ns/default/sa/client"};
  spec.emails = {"client@example.com"};
  spec.ip_bytes = {bytes({10, 1, 2, 3})};
  const testing::TestCert cert = makeCert(spec);
  auto parsed = PeerCertificate::fromDer(cert.der);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const PeerCertificate& p = parsed.value();
  EXPECT_EQ(p.der, cert.der);
  EXPECT_EQ(p.pem, cert.pem);
  EXPECT_EQ(p.sha256_hex, testing::hexOf(testing::sha256(cert.der)));
  EXPECT_EQ(p.spki_sha256_base64, testing::base64Of(testing::sha256(cert.spki_der)));
  EXPECT_EQ(p.spki_sha256_base64.size(), 44u);
  EXPECT_EQ(p.subject, "CN=client");
  EXPECT_EQ(p.dns_sans, (std::vector<std::string>{"a.example.com", "*.b.example.com"}));
  EXPECT_EQ(p.uri_sans, (std::vector<std::string>{"spiffe://cluster.local/ns/default/sa/client"}));
  EXPECT_EQ(p.email_sans, (std::vector<std::string>{"client@example.com"}));
  EXPECT_EQ(p.ip_sans, (std::vector<std::string>{"10.1.2.3"}));
  EXPECT_TRUE(p.other_name_sans.empty());
}

TEST(PeerCertTest, PemIsSixtyFourColumnBase64BetweenMarkers) {
  const PeerCertificate p = makePeer({});
  ASSERT_TRUE(p.pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  ASSERT_TRUE(p.pem.ends_with("\n-----END CERTIFICATE-----\n"));
  const std::string body = p.pem.substr(28, p.pem.size() - 28 - 26);
  size_t start = 0;
  while (start < body.size()) {
    const size_t end = body.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const size_t length = end - start;
    const bool last = end + 1 == body.size();
    EXPECT_TRUE(last ? length <= 64 : length == 64) << "line of " << length;
    start = end + 1;
  }
}

TEST(PeerCertTest, NoSubjectAltNamesAndEmptySubject) {
  const PeerCertificate p = makePeer({});
  EXPECT_EQ(p.subject, "");
  EXPECT_TRUE(p.dns_sans.empty());
  EXPECT_TRUE(p.uri_sans.empty());
  EXPECT_TRUE(p.email_sans.empty());
  EXPECT_TRUE(p.ip_sans.empty());
}

TEST(PeerCertTest, SubjectIsRfc2253MostSpecificFirst) {
  EXPECT_EQ(subjectOf(testing::mtlsExampleSubject()),
            "CN=mtls.example.com,OU=Gateway,O=EnvoyProxy,L=SomeCity,ST=VA,C=US");
}

TEST(PeerCertTest, SubjectEscapesRfc2253Specials) {
  EXPECT_EQ(subjectOf({{"CN", "a,b+c\"d\\e<f>g;h=i"}}), R"(CN=a\,b\+c\"d\\e\<f\>g\;h=i)");
  EXPECT_EQ(subjectOf({{"O", "Sue, Grabbit and Runn"}, {"CN", "L. Eagle"}}),
            R"(CN=L. Eagle,O=Sue\, Grabbit and Runn)");
  EXPECT_EQ(subjectOf({{"CN", "#lead"}}), R"(CN=\#lead)");
  EXPECT_EQ(subjectOf({{"CN", "mid#dle"}}), "CN=mid#dle");
  EXPECT_EQ(subjectOf({{"CN", " padded "}}), R"(CN=\ padded\ )");
  // Bytes above 0x7f are escaped (ASN1_STRFLGS_ESC_MSB is part of XN_FLAG_RFC2253).
  EXPECT_EQ(subjectOf({{"CN", "caf\xc3\xa9"}}), R"(CN=caf\C3\A9)");
  // A multi-valued RDN joins with '+'; DER sorts its members (OU's encoding is shorter) and the
  // reversed printing reverses them too.
  EXPECT_EQ(subjectOf({{"C", "US"}, {"OU", "Sales"}, {"CN", "J. Smith", true}}),
            "CN=J. Smith+OU=Sales,C=US");
}

TEST(PeerCertTest, IpSansPrintLikeInetNtop) {
  EXPECT_EQ(ipOf(bytes({192, 168, 0, 1})), "192.168.0.1");
  EXPECT_EQ(ipOf(bytes({0, 0, 0, 0})), "0.0.0.0");
  EXPECT_EQ(ipOf(bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})), "::1");
  EXPECT_EQ(ipOf(std::string(16, '\0')), "::");
  EXPECT_EQ(ipOf(bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})),
            "2001:db8::1");
  EXPECT_EQ(ipOf(bytes({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), "fe80::");
  // The longest run is compressed; on a tie the first; a single zero group stays.
  EXPECT_EQ(ipOf(bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1})),
            "2001:db8::1:0:0:1");
  EXPECT_EQ(ipOf(bytes({0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3})), "1:0:0:2::3");
  EXPECT_EQ(ipOf(bytes({0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1})), "1:0:1:1:1:1:1:1");
  EXPECT_EQ(ipOf(bytes({0x20, 0x01, 0x0D, 0xB8, 0xAB, 0xCD, 0, 0x12, 0, 0, 0, 0, 0, 0, 0, 0})),
            "2001:db8:abcd:12::");
  // Mapped and compatible IPv4 keep the dotted tail, as glibc prints them.
  EXPECT_EQ(ipOf(bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4})), "::ffff:1.2.3.4");
  EXPECT_EQ(ipOf(bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4})), "::1.2.3.4");
  EXPECT_EQ(ipOf(bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 1, 2, 3, 4})), "::fffe:102:304");
  // Neither IPv4 nor IPv6: Envoy keeps an empty entry.
  EXPECT_EQ(ipOf(bytes({1, 2, 3, 4, 5})), "");
}

TEST(PeerCertTest, OtherNamesRenderByAsn1Type) {
  const std::string upn = "1.3.6.1.4.1.311.20.2.3";
  TestCertSpec spec;
  spec.other_names = {
      {upn, V_ASN1_UTF8STRING, "user@example.com"},
      {"1.2.3.4", V_ASN1_IA5STRING, "ia5"},
      {"1.2.3.4", V_ASN1_PRINTABLESTRING, "Printable"},
      {"1.2.3.4", V_ASN1_OCTET_STRING, std::string("o\0x", 3)},
      {"1.2.3.5", V_ASN1_INTEGER, "12345678901"},
      {"1.2.3.5", V_ASN1_INTEGER, "-42"},
      {"1.2.3.6", V_ASN1_BOOLEAN, "true"},
      {"1.2.3.6", V_ASN1_BOOLEAN, "false"},
      {"1.2.3.7", V_ASN1_OBJECT, "1.2.840.113549"},
      {"1.2.3.8", V_ASN1_BMPSTRING, std::string("\0h\0i", 4)},
      {"1.2.3.9", V_ASN1_NULL, ""},
  };
  const PeerCertificate p = makePeer(spec);
  const std::vector<OtherNameSan> expected = {
      {upn, "user@example.com"},
      {"1.2.3.4", "ia5"},
      {"1.2.3.4", "Printable"},
      {"1.2.3.4", std::string("o\0x", 3)},
      {"1.2.3.5", "12345678901"},
      {"1.2.3.5", "-42"},
      {"1.2.3.6", "true"},
      {"1.2.3.6", "false"},
      {"1.2.3.7", "1.2.840.113549"},
      {"1.2.3.8", "hi"},
      {"1.2.3.9", ""},
  };
  EXPECT_EQ(p.other_name_sans, expected);
}

TEST(PeerCertTest, FromX509EqualsFromDer) {
  TestCertSpec spec;
  spec.subject = {{"CN", "x"}};
  spec.dns = {"x.example.com"};
  const testing::TestCert cert = makeCert(spec);
  const auto* cursor = reinterpret_cast<const unsigned char*>(cert.der.data());
  X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(cert.der.size())));
  ASSERT_TRUE(x509);
  auto a = PeerCertificate::fromX509(*x509);
  auto b = PeerCertificate::fromDer(cert.der);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().der, b.value().der);
  EXPECT_EQ(a.value().pem, b.value().pem);
  EXPECT_EQ(a.value().sha256_hex, b.value().sha256_hex);
  EXPECT_EQ(a.value().spki_sha256_base64, b.value().spki_sha256_base64);
  EXPECT_EQ(a.value().subject, b.value().subject);
  EXPECT_EQ(a.value().dns_sans, b.value().dns_sans);
}

TEST(PeerCertTest, ConformanceFixtureSubjectAndHash) {
  auto chain = parsePemChain(kMtlsExamplePem);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  ASSERT_EQ(chain.value().size(), 1u);
  const PeerCertificate& p = chain.value()[0];
  EXPECT_EQ(p.subject, "CN=mtls.example.com,OU=Gateway,O=EnvoyProxy,L=SomeCity,ST=VA,C=US");
  // `openssl x509 -outform DER | sha256sum` of the fixture.
  EXPECT_EQ(p.sha256_hex, "c44c9bf5b2102be61b0a05ca63d346b66302a923575b693dbf34aff89fc14779");
  EXPECT_EQ(p.pem, kMtlsExamplePem);
  EXPECT_EQ(p.dns_sans, (std::vector<std::string>{"mtls.example.com", "tls-settings.example.com"}));
}

TEST(PeerCertTest, GarbageAndTruncatedDerFail) {
  const std::string der = makeCert({}).der;
  ASSERT_FALSE(der.empty());
  EXPECT_FALSE(PeerCertificate::fromDer("").ok());
  EXPECT_FALSE(PeerCertificate::fromDer("not a certificate").ok());
  EXPECT_FALSE(PeerCertificate::fromDer(std::string(1, '\x30')).ok());
  EXPECT_FALSE(PeerCertificate::fromDer(der + '\0').ok()) << "trailing bytes";
  for (size_t length = 1; length < der.size(); ++length) {
    EXPECT_FALSE(PeerCertificate::fromDer(std::string_view(der).substr(0, length)).ok())
        << "prefix of " << length;
  }
  // Flipped bytes either still parse (a valid, different certificate) or fail; never crash.
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = der;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    mutated[state % mutated.size()] = static_cast<char>(state >> 32);
    auto parsed = PeerCertificate::fromDer(mutated);
    if (parsed.ok()) {
      EXPECT_EQ(parsed.value().sha256_hex.size(), 64u);
    }
  }
}

TEST(PeerCertTest, FailuresLeaveTheErrorQueueAlone) {
  ERR_clear_error();
  ERR_raise(ERR_LIB_USER, 42);
  const unsigned long before = ERR_peek_last_error();
  EXPECT_FALSE(PeerCertificate::fromDer("garbage").ok());
  EXPECT_FALSE(parsePemChain("garbage").ok());
  EXPECT_TRUE(parsePemChain(kMtlsExamplePem).ok());
  EXPECT_EQ(ERR_peek_last_error(), before);
  ERR_clear_error();
}

TEST(PeerCertTest, PemChainKeepsOrderAndSkipsOtherBlocks) {
  TestCertSpec a, b;
  a.subject = {{"CN", "leaf"}};
  b.subject = {{"CN", "intermediate"}};
  const std::string pem = "leading text\n" + makeCert(a).pem +
                          "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" +
                          "between\n" + makeCert(b).pem + "trailing text\n";
  auto chain = parsePemChain(pem);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  ASSERT_EQ(chain.value().size(), 2u);
  EXPECT_EQ(chain.value()[0].subject, "CN=leaf");
  EXPECT_EQ(chain.value()[1].subject, "CN=intermediate");
}

TEST(PeerCertTest, PemChainErrors) {
  EXPECT_FALSE(parsePemChain("").ok());
  EXPECT_FALSE(parsePemChain("no pem here").ok());
  EXPECT_FALSE(
      parsePemChain("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n").ok());
  EXPECT_FALSE(
      parsePemChain("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").ok());
  // A good certificate followed by a broken one is an error, not a shorter chain.
  const std::string good = makeCert({}).pem;
  EXPECT_FALSE(
      parsePemChain(good + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").ok());
  std::string truncated = good.substr(0, good.size() / 2);
  EXPECT_FALSE(parsePemChain(truncated).ok());
}

}  // namespace
}  // namespace ctplab::proxy::tls
