#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cert_fixtures.h"
#include "pki/pki.h"

namespace ctplab::policy::pki {
namespace {

TEST(CaBundleTest, ValidBundle) {
  const Material& m = material();
  const std::string pem = certPem(m.ca.get()) + certPem(m.second_ca.get());
  const CaBundleCheck check = checkCaBundle(pem, now());
  EXPECT_EQ(check.reason, CertRefReason::kNone);
  EXPECT_EQ(check.error, "");
  EXPECT_TRUE(check.errors.empty());
  EXPECT_EQ(check.pem, pem);
  ASSERT_EQ(check.certificates().size(), 2u);
  EXPECT_EQ(check.certificates()[0].common_name, "Test Root CA");
  EXPECT_EQ(encodePem(check.certificates()), pem);
}

TEST(CaBundleTest, EmptyAndUndecodableInput) {
  const CaBundleCheck empty = checkCaBundle("", now());
  EXPECT_EQ(empty.reason, CertRefReason::kInvalidCertificateRef);
  EXPECT_EQ(empty.error, "no certificate data provided");
  const CaBundleCheck garbage = checkCaBundle("this is not a certificate", now());
  EXPECT_EQ(garbage.reason, CertRefReason::kInvalidCertificateRef);
  EXPECT_EQ(garbage.error, "unable to decode pem data for certificate");
  EXPECT_EQ(noValidCertificatesMessage("ca-secret", garbage),
            "no valid certificates exist in ca-secret: unable to decode pem data for certificate");
}

TEST(CaBundleTest, ExpiredOnly) {
  const Material& m = material();
  const CaBundleCheck check = checkCaBundle(certPem(m.expired.get()), now());
  EXPECT_EQ(check.reason, CertRefReason::kInvalidCertificateRef);
  EXPECT_EQ(check.error,
            "certificate expired.example has expired since 2005-02-06 12:00:00 +0000 UTC");
  EXPECT_EQ(check.pem, "");
  EXPECT_EQ(noValidCertificatesMessage("ca-cm", check),
            "no valid certificates exist in ca-cm: certificate expired.example has expired since "
            "2005-02-06 12:00:00 +0000 UTC");
}

TEST(CaBundleTest, ValidityBoundariesAreInclusive) {
  const Material& m = material();
  const std::string pem = certPem(m.expired.get());
  EXPECT_EQ(checkCaBundle(pem, TimePoint::fromUnixSeconds(k2005Feb06Noon)).reason,
            CertRefReason::kNone);
  EXPECT_EQ(checkCaBundle(pem, TimePoint::fromUnixNanos(k2005Feb06Noon * 1'000'000'000 + 1)).reason,
            CertRefReason::kInvalidCertificateRef);
  EXPECT_EQ(checkCaBundle(pem, TimePoint::fromUnixSeconds(k2004Feb06Noon)).reason,
            CertRefReason::kNone);
  EXPECT_EQ(checkCaBundle(pem, TimePoint::fromUnixSeconds(k2004Feb06Noon - 1)).error,
            "certificate expired.example will be valid after 2004-02-06 12:00:00 +0000 UTC");
}

TEST(CaBundleTest, MixedBundleKeepsValidBlocksAndReportsOthersInOrder) {
  const Material& m = material();
  const std::string garbage_block =
      "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n"
      "-----END CERTIFICATE-----\n";
  const std::string pem = certPem(m.expired.get()) + certPem(m.ca.get()) + certPem(m.future.get()) +
                          garbage_block + pkcs8Pem(m.leaf_key.get());
  const CaBundleCheck check = checkCaBundle(pem, now());
  EXPECT_EQ(check.reason, CertRefReason::kPartiallyInvalidCertificateRef);
  EXPECT_EQ(check.pem, certPem(m.ca.get()));
  ASSERT_EQ(check.errors.size(), 4u);
  EXPECT_EQ(check.errors[0],
            "certificate expired.example has expired since 2005-02-06 12:00:00 +0000 UTC");
  EXPECT_EQ(check.errors[1],
            "certificate future.example will be valid after 2030-03-04 05:06:07 +0000 UTC");
  EXPECT_EQ(check.errors[2], "x509: malformed certificate");
  EXPECT_EQ(check.errors[3], "x509: malformed tbs certificate");
  EXPECT_EQ(check.error,
            "certificate expired.example has expired since 2005-02-06 12:00:00 +0000 UTC\n"
            "certificate future.example will be valid after 2030-03-04 05:06:07 +0000 UTC\n"
            "x509: malformed certificate\nx509: malformed tbs certificate");
}

TEST(CaBundleTest, BlockTypeIsNotCheckedAndIsPreserved) {
  const Material& m = material();
  std::string pem = certPem(m.ca.get());
  const std::string from = "CERTIFICATE-----";
  for (size_t pos = pem.find(from); pos != std::string::npos; pos = pem.find(from, pos + 6)) {
    pem.replace(pos, from.size(), "X509 CERTIFICATE-----");
  }
  const CaBundleCheck check = checkCaBundle(pem, now());
  EXPECT_EQ(check.reason, CertRefReason::kNone);
  EXPECT_EQ(check.pem, pem);
  ASSERT_EQ(check.valid.size(), 1u);
  EXPECT_EQ(check.valid[0].block.type, "X509 CERTIFICATE");
}

TEST(CaBundleTest, ReencodesBlocks) {
  const Material& m = material();
  std::string pem = certPem(m.ca.get());
  const std::string canonical = pem;
  pem.pop_back();                // No final newline.
  pem.insert(0, "# comment\n");  // Leading text.
  std::string crlf;
  for (const char c : pem) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  EXPECT_EQ(checkCaBundle(pem, now()).pem, canonical);
  EXPECT_EQ(checkCaBundle(crlf, now()).pem, canonical);
  // An empty CERTIFICATE block holds zero certificates and is therefore kept, as upstream does.
  const std::string empty_block = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
  const CaBundleCheck empty = checkCaBundle(empty_block, now());
  EXPECT_EQ(empty.reason, CertRefReason::kNone);
  EXPECT_EQ(empty.pem, empty_block);
  EXPECT_TRUE(empty.certificates().empty());
}

TEST(CaBundleTest, DedupAcrossBundles) {
  const Material& m = material();
  const std::string ca = certPem(m.ca.get());
  const std::string second = certPem(m.second_ca.get());
  const std::string other = "-----BEGIN OTHER-----\naGk=\n-----END OTHER-----\n";
  std::set<std::string> seen;
  std::string acc;
  acc = appendDedupPem(acc, checkCaBundle(ca + second, now()).pem, &seen);
  acc = appendDedupPem(acc, second + ca + other + other, &seen);
  EXPECT_EQ(acc, ca + second + other + other);
  std::set<std::string> fresh;
  EXPECT_EQ(appendDedupPem(ca, ca + second, &fresh), ca + second);
}

}  // namespace
}  // namespace ctplab::policy::pki
