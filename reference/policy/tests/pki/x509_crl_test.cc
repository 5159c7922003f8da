#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "cert_fixtures.h"
#include "pki/pki.h"

namespace ctplab::policy::pki {
namespace {

TEST(CrlTest, ValidCrl) {
  const Material& m = material();
  const std::string pem = crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2026Jan01).get());
  const CrlCheck check = checkCrl(pem, now());
  EXPECT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.pem, pem);
  EXPECT_EQ(check.error, "");
}

TEST(CrlTest, ExpiredCrl) {
  const Material& m = material();
  const std::string pem = crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2024Feb01).get());
  const CrlCheck check = checkCrl(pem, now());
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.error, "CRL is expired (next update was due at 2024-02-01 00:00:00 +0000 UTC)");
}

TEST(CrlTest, NotYetValidCrl) {
  const Material& m = material();
  const std::string pem = crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2026Jan01, k2026Feb01).get());
  const CrlCheck check = checkCrl(pem, now());
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.error,
            "CRL is not yet valid (this update starts at 2026-01-01 00:00:00 +0000 UTC)");
}

TEST(CrlTest, MissingNextUpdateNeverExpires) {
  const Material& m = material();
  const std::string pem =
      crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, std::nullopt).get());
  EXPECT_TRUE(checkCrl(pem, now()).ok);
}

TEST(CrlTest, OnlyFirstBlockIsExamined) {
  const Material& m = material();
  const std::string good =
      crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2026Jan01).get());
  const std::string bad = crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2024Feb01).get());
  EXPECT_TRUE(checkCrl(good + bad, now()).ok);
  EXPECT_FALSE(checkCrl(bad + good, now()).ok);
}

TEST(CrlTest, ParseErrors) {
  const Material& m = material();
  EXPECT_EQ(checkCrl("not a crl", now()).error, "unable to decode pem data for CRL");
  EXPECT_EQ(checkCrl("", now()).error, "unable to decode pem data for CRL");
  EXPECT_EQ(checkCrl("-----BEGIN X509 CRL-----\naGVsbG8=\n-----END X509 CRL-----\n", now()).error,
            "failed to parse CRL: x509: malformed crl");
  const std::string v1 =
      crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2026Jan01, 0).get());
  // OpenSSL writes an explicit INTEGER 0 for a v1 CRL; Go only accepts v2.
  EXPECT_EQ(checkCrl(v1, now()).error, "failed to parse CRL: x509: unsupported crl version: 0");
  // A certificate is not a CRL: its TBS starts with the [0] version tag, not an INTEGER.
  EXPECT_EQ(checkCrl(certPem(m.ca.get()), now()).error,
            "failed to parse CRL: x509: unsupported crl version");
}

}  // namespace
}  // namespace ctplab::policy::pki
