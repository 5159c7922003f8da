#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cert_fixtures.h"
#include "pki/pki.h"
#include "pki/private_key.h"

namespace ctplab::policy::pki {
namespace {

TEST(ServingTest, ValidEcChainWithPkcs8AndSec1Keys) {
  const Material& m = material();
  std::string chain = certPem(m.leaf.get()) + certPem(m.ca.get());
  const std::string canonical = chain;
  chain.pop_back();  // Go re-encodes block by block, so the chain gains its final newline.
  for (const std::string& key : {pkcs8Pem(m.leaf_key.get()), traditionalPem(m.leaf_key.get())}) {
    const ServingCertCheck check = checkServingCertificate("ns", "tls", chain, key, now());
    ASSERT_TRUE(check.ok) << check.error;
    EXPECT_EQ(check.chain_pem, canonical);
    EXPECT_EQ(check.key_pem, key);
    EXPECT_EQ(check.leaf.common_name, "leaf.example.com");
    EXPECT_EQ(check.leaf.public_key_algorithm, "ECDSA");
    EXPECT_EQ(check.certificate_domains,
              (std::vector<std::string>{"leaf.example.com", "www.example.com"}));
  }
  EXPECT_TRUE(traditionalPem(m.leaf_key.get()).starts_with("-----BEGIN EC PRIVATE KEY-----"));
}

TEST(ServingTest, EcParametersBlockBeforeKeyIsSkipped) {
  const Material& m = material();
  const std::string params =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
      "-----END EC PARAMETERS-----\n";
  const std::string key = traditionalPem(m.leaf_key.get());
  const ServingCertCheck check =
      checkServingCertificate("ns", "tls", certPem(m.leaf.get()), params + key, now());
  ASSERT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.key_pem, key);
}

TEST(ServingTest, RsaPkcs1Key) {
  const Material& m = material();
  const std::string key = traditionalPem(m.rsa_key.get());
  ASSERT_TRUE(key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
  const ServingCertCheck check =
      checkServingCertificate("ns", "rsa", certPem(m.rsa_leaf.get()), key, now());
  ASSERT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.leaf.public_key_algorithm, "RSA");
  EXPECT_EQ(check.certificate_domains, (std::vector<std::string>{"rsa.example.com"}));
  EXPECT_TRUE(checkServingCertificate("ns", "rsa", certPem(m.rsa_leaf.get()),
                                      pkcs8Pem(m.rsa_key.get()), now())
                  .ok);
}

TEST(ServingTest, KeyDoesNotMatchCertificate) {
  const Material& m = material();
  const ServingCertCheck check = checkServingCertificate(
      "default", "mismatch", certPem(m.leaf.get()), pkcs8Pem(m.other_key.get()), now());
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.error,
            "default/mismatch must contain a matching tls.crt and tls.key: tls: private key does "
            "not match public key");
  const ServingCertCheck wrong_type = checkServingCertificate(
      "default", "mismatch", certPem(m.leaf.get()), traditionalPem(m.rsa_key.get()), now());
  EXPECT_EQ(wrong_type.error,
            "default/mismatch must contain a matching tls.crt and tls.key: tls: private key type "
            "does not match public key type");
}

TEST(ServingTest, ExpiredAndNotYetValidCertificates) {
  const Material& m = material();
  const std::string key = pkcs8Pem(m.other_key.get());
  EXPECT_EQ(checkServingCertificate("ns", "old", certPem(m.expired.get()), key, now()).error,
            "ns/old must contain valid tls.crt and tls.key, unable to validate certificate in "
            "tls.crt: certificate expired.example has expired since 2005-02-06 12:00:00 +0000 UTC");
  EXPECT_EQ(checkServingCertificate("ns", "new", certPem(m.future.get()), key, now()).error,
            "ns/new must contain valid tls.crt and tls.key, unable to validate certificate in "
            "tls.crt: certificate future.example will be valid after 2030-03-04 05:06:07 +0000 "
            "UTC");
  // One bad member rejects the whole chain.
  const std::string chain = certPem(m.leaf.get()) + certPem(m.expired.get());
  EXPECT_FALSE(checkServingCertificate("ns", "chain", chain, pkcs8Pem(m.leaf_key.get()), now()).ok);
}

TEST(ServingTest, CertificateErrors) {
  const Material& m = material();
  const std::string key = pkcs8Pem(m.leaf_key.get());
  EXPECT_EQ(checkServingCertificate("ns", "s", "", key, now()).error,
            "ns/s must contain valid tls.crt and tls.key, unable to validate certificate in "
            "tls.crt: no certificate data provided");
  EXPECT_EQ(checkServingCertificate("ns", "s", "garbage", key, now()).error,
            "ns/s must contain valid tls.crt and tls.key, unable to validate certificate in "
            "tls.crt: unable to decode pem data for certificate");
  EXPECT_EQ(checkServingCertificate("ns", "s", key, key, now()).error,
            "ns/s must contain valid tls.crt and tls.key, unable to validate certificate in "
            "tls.crt: x509: malformed tbs certificate");
  // A block carrying two DER certificates passes the chain check but not ParseCertificate.
  PemBlock two{"CERTIFICATE", {}, certDer(m.leaf.get()) + certDer(m.leaf.get())};
  EXPECT_EQ(checkServingCertificate("ns", "s", *encodePemBlock(two), key, now()).error,
            "ns/s must contain valid tls.crt and tls.key, unable to parse certificate in tls.crt: "
            "x509: trailing data");
}

TEST(ServingTest, KeyErrors) {
  const Material& m = material();
  const std::string cert = certPem(m.leaf.get());
  EXPECT_EQ(checkServingCertificate("ns", "s", cert, "no key here", now()).error,
            "ns/s must contain valid tls.crt and tls.key, unable to decode pem data in tls.key");
  EXPECT_EQ(checkServingCertificate(
                "ns", "s", cert,
                "-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n", now())
                .error,
            "ns/s must contain valid tls.crt and tls.key, unable to parse PKCS8 formatted private "
            "key in tls.key");
  EXPECT_EQ(checkServingCertificate("ns", "s", cert,
                                    "-----BEGIN RSA PRIVATE KEY-----\naGVsbG8=\n"
                                    "-----END RSA PRIVATE KEY-----\n",
                                    now())
                .error,
            "ns/s must contain valid tls.crt and tls.key, unable to parse PKCS1 formatted private "
            "key in tls.key");
  // A PKCS #8 body inside an "EC PRIVATE KEY" block is judged as SEC 1 and fails.
  const std::string pkcs8_der = decodePem(pkcs8Pem(m.leaf_key.get())).block->bytes;
  EXPECT_EQ(checkServingCertificate(
                "ns", "s", cert, *encodePemBlock(PemBlock{"EC PRIVATE KEY", {}, pkcs8_der}), now())
                .error,
            "ns/s must contain valid tls.crt and tls.key, unable to parse EC formatted private "
            "key in tls.key");
  EXPECT_EQ(checkServingCertificate("ns", "s", cert,
                                    "-----BEGIN OPENSSH PRIVATE KEY-----\naGVsbG8=\n"
                                    "-----END OPENSSH PRIVATE KEY-----\n",
                                    now())
                .error,
            "ns/s must contain valid tls.crt and tls.key, OPENSSH PRIVATE KEY key format found in "
            "tls.key, supported formats are PKCS1, PKCS8 or EC");
  EXPECT_EQ(checkServingCertificate("ns", "s", cert, cert, now()).error,
            "ns/s must contain valid tls.crt and tls.key, CERTIFICATE key format found in tls.key, "
            "supported formats are PKCS1, PKCS8 or EC");
}

TEST(X509KeyPairTest, Messages) {
  const Material& m = material();
  const std::string cert = certPem(m.leaf.get());
  const std::string key = pkcs8Pem(m.leaf_key.get());
  EXPECT_EQ(checkX509KeyPair(cert, key), "");
  EXPECT_EQ(checkX509KeyPair(key, cert),
            "tls: failed to find certificate PEM data in certificate input, but did find a "
            "private key; PEM inputs may have been switched");
  EXPECT_EQ(checkX509KeyPair(cert, cert),
            "tls: found a certificate rather than a key in the PEM for the private key");
  EXPECT_EQ(checkX509KeyPair("", key), "tls: failed to find any PEM data in certificate input");
  EXPECT_EQ(checkX509KeyPair(cert, ""), "tls: failed to find any PEM data in key input");
  const std::string a = "-----BEGIN A-----\naGk=\n-----END A-----\n";
  const std::string b = "-----BEGIN B-----\naGk=\n-----END B-----\n";
  EXPECT_EQ(checkX509KeyPair(a + b, key),
            "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping "
            "PEM blocks of the following types: [A B]");
  EXPECT_EQ(checkX509KeyPair(cert, a + b),
            "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after "
            "skipping PEM blocks of the following types: [A B]");
  EXPECT_EQ(
      checkX509KeyPair(cert, "-----BEGIN PRIVATE KEY-----\naGk=\n-----END PRIVATE KEY-----\n"),
      "tls: failed to parse private key");
}

}  // namespace
}  // namespace ctplab::policy::pki
