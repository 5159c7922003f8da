#include "pki/x509_certificate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cert_fixtures.h"
#include "pki/pki.h"

namespace ctplab::policy::pki {
namespace {

TEST(HelpersTest, FormatGoTime) {
  EXPECT_EQ(formatGoTime(TimePoint::fromUnixSeconds(k2005Feb06Noon)),
            "2005-02-06 12:00:00 +0000 UTC");
  EXPECT_EQ(formatGoTime(TimePoint::fromUnixNanos(k2005Feb06Noon * 1'000'000'000 + 500'000'000)),
            "2005-02-06 12:00:00.5 +0000 UTC");
  EXPECT_EQ(formatGoTime(TimePoint::fromUnixNanos(-1)), "1969-12-31 23:59:59.999999999 +0000 UTC");
  EXPECT_EQ(formatGoTime(TimePoint::fromUnixSeconds(0)), "1970-01-01 00:00:00 +0000 UTC");
}

TEST(HelpersTest, Sha256Hex) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CertificateTest, ExposesParsedFields) {
  const Material& m = material();
  const ParseCertificatesResult r = parseCertificate(certDer(m.leaf.get()));
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.certificates.size(), 1u);
  const Certificate& c = r.certificates[0];
  EXPECT_EQ(c.der, certDer(m.leaf.get()));
  EXPECT_EQ(c.pem, certPem(m.leaf.get()));
  EXPECT_EQ(c.common_name, "leaf.example.com");
  EXPECT_EQ(c.not_before, TimePoint::fromUnixSeconds(k2024Jan01));
  EXPECT_EQ(c.not_after, TimePoint::fromUnixSeconds(k2030Jan01));
  EXPECT_EQ(c.not_after_text, "2030-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(c.sha256_hex, sha256Hex(c.der));
  EXPECT_EQ(c.dns_names,
            (std::vector<std::string>{"leaf.example.com", "www.example.com", "leaf.example.com"}));
  EXPECT_EQ(c.public_key_algorithm, "ECDSA");
}

TEST(CertificateTest, GeneralizedTimeAndRsa) {
  const Material& m = material();
  const ParseCertificatesResult g = parseCertificate(certDer(m.generalized.get()));
  ASSERT_TRUE(g.ok) << g.error;
  EXPECT_EQ(g.certificates[0].not_after_text, "2051-07-08 09:10:11 +0000 UTC");
  EXPECT_EQ(g.certificates[0].not_after, TimePoint::fromUnixSeconds(k2051Jul08));
  const ParseCertificatesResult r = parseCertificate(certDer(m.rsa_leaf.get()));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.certificates[0].public_key_algorithm, "RSA");
}

TEST(CertificateTest, ZoneOffsetIsKeptInText) {
  const Material& m = material();
  CertSpec spec = namedSpec("offset.example", 8);
  spec.raw_not_before = "300304050607+0130";
  X509Ptr cert = makeCert(spec, m.other_key.get(), nullptr, nullptr);
  const CaBundleCheck check = checkCaBundle(certPem(cert.get()), now());
  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0],
            "certificate offset.example will be valid after 2030-03-04 05:06:07 +0130 +0130");
}

TEST(CertificateTest, Errors) {
  const Material& m = material();
  const std::string der = certDer(m.leaf.get());
  EXPECT_EQ(parseCertificate(der + der).error, "x509: trailing data");
  const ParseCertificatesResult two = parseCertificates(der + der);
  ASSERT_TRUE(two.ok);
  EXPECT_EQ(two.certificates.size(), 2u);
  EXPECT_EQ(parseCertificates(der + "x").error, "x509: malformed certificate");
  EXPECT_EQ(parseCertificate("").error, "x509: malformed certificate");
  EXPECT_TRUE(parseCertificates("").ok);
  EXPECT_EQ(parseCertificate("hello world").error, "x509: malformed certificate");
  EXPECT_EQ(parseCertificate(der.substr(0, der.size() - 1)).error, "x509: malformed certificate");
}

}  // namespace
}  // namespace ctplab::policy::pki
