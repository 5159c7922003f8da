#include "ctplab/certgen/generator.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <optional>

#include "test_support.h"

namespace ctplab::certgen {
namespace {

using testing::cert;
using testing::kDaySeconds;
using testing::key;
using testing::nameLine;
using testing::testNow;

CertSpec rootSpec() {
  CertSpec spec;
  spec.label = "root";
  spec.subject = {"Test Root", "Org", "Unit", "Town", "State", "US"};
  spec.key = KeyType::kRsa2048;
  spec.ca = true;
  spec.path_len = 1;
  spec.validity = Validity::certificateAuthority(testNow());
  return spec;
}

CertSpec leafSpec(const std::string& label) {
  CertSpec spec;
  spec.label = label;
  spec.subject.common_name = "leaf.example.com";
  spec.dns = {"leaf.example.com", "*.leaf.example.com"};
  spec.ips = {"192.0.2.7", "2001:db8::1"};
  spec.uris = {"spiffe://example.com/leaf"};
  spec.emails = {"leaf@example.com"};
  spec.server_auth = true;
  spec.client_auth = true;
  spec.validity = Validity::current(testNow());
  return spec;
}

class GeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = Generator(1).selfSigned(rootSpec());
    ASSERT_TRUE(r.ok()) << r.error().message;
    root_ = std::move(r).value();
  }
  static void TearDownTestSuite() { root_.reset(); }
  static const Issued& root() { return *root_; }

 private:
  // One RSA root for the suite: each derivation costs tens of milliseconds.
  static inline std::optional<Issued> root_;
};

TEST_F(GeneratorTest, RootIsAVersion3SelfSignedCaWithOrderedSubject) {
  X509Ptr c = cert(root());
  ASSERT_TRUE(c);
  EXPECT_EQ(X509_get_version(c.get()), X509_VERSION_3);
  EXPECT_EQ(nameLine(X509_get_subject_name(c.get())),
            "/C=US/ST=State/L=Town/O=Org/OU=Unit/CN=Test Root");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(c.get()), X509_get_issuer_name(c.get())), 0);
  EXPECT_EQ(X509_self_signed(c.get(), 1), 1);
  EXPECT_EQ(X509_check_ca(c.get()), 1);
  EXPECT_EQ(X509_get_pathlen(c.get()), 1);
  EXPECT_EQ(X509_get_key_usage(c.get()), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(c.get());
  const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(c.get());
  ASSERT_NE(ski, nullptr);
  ASSERT_NE(aki, nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(ski, aki), 0);
  EXPECT_EQ(X509_check_private_key(c.get(), key(root()).get()), 1);
  EXPECT_EQ(root().chain_pem, root().cert_pem);
  EXPECT_EQ(testing::serialHexOf(c.get()), root().serial_hex);
  EXPECT_EQ(root().serial_hex.size(), 32u);
}

TEST_F(GeneratorTest, CaValidityIsTheRequestedWindow) {
  X509Ptr c = cert(root());
  EXPECT_EQ(
      ASN1_TIME_cmp_time_t(X509_get0_notBefore(c.get()), testing::kNowSeconds - 365 * kDaySeconds),
      0);
  EXPECT_EQ(
      ASN1_TIME_cmp_time_t(X509_get0_notAfter(c.get()), testing::kNowSeconds + 3650 * kDaySeconds),
      0);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notAfter(c.get())), V_ASN1_UTCTIME);
}

TEST_F(GeneratorTest, LeafCarriesEverySanKindAndBothUsages) {
  for (KeyType type : {KeyType::kEcdsaP256, KeyType::kRsa2048}) {
    CertSpec spec = leafSpec(type == KeyType::kRsa2048 ? "leaf-rsa" : "leaf-ec");
    spec.key = type;
    auto r = Generator(1).issue(spec, root());
    ASSERT_TRUE(r.ok()) << r.error().message;
    X509Ptr c = cert(r.value());
    X509Ptr issuer = cert(root());
    EXPECT_EQ(X509_check_issued(issuer.get(), c.get()), X509_V_OK);
    EXPECT_EQ(X509_check_ca(c.get()), 0);
    EXPECT_EQ(X509_check_host(c.get(), "leaf.example.com", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_host(c.get(), "api.leaf.example.com", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_host(c.get(), "other.example.com", 0, 0, nullptr), 0);
    EXPECT_EQ(X509_check_ip_asc(c.get(), "192.0.2.7", 0), 1);
    EXPECT_EQ(X509_check_ip_asc(c.get(), "2001:db8::1", 0), 1);
    EXPECT_EQ(X509_check_email(c.get(), "leaf@example.com", 0, 0), 1);
    EXPECT_EQ(X509_get_extended_key_usage(c.get()),
              static_cast<uint32_t>(XKU_SSL_SERVER | XKU_SSL_CLIENT));
    const uint32_t ku = type == KeyType::kRsa2048 ? KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT
                                                  : KU_DIGITAL_SIGNATURE;
    EXPECT_EQ(X509_get_key_usage(c.get()), ku);
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(c.get()),
                                    X509_get0_subject_key_id(issuer.get())),
              0);
    EXPECT_EQ(X509_check_private_key(c.get(), key(r.value()).get()), 1);
    EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(c.get()), type == KeyType::kRsa2048 ? "RSA" : "EC"));

    GENERAL_NAMES* raw = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(c.get(), NID_subject_alt_name, nullptr, nullptr));
    GeneralNamesPtr names(raw);
    ASSERT_TRUE(names);
    std::vector<int> types;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
      types.push_back(sk_GENERAL_NAME_value(names.get(), i)->type);
    }
    EXPECT_EQ(types,
              (std::vector<int>{GEN_DNS, GEN_DNS, GEN_IPADD, GEN_IPADD, GEN_URI, GEN_EMAIL}));
    // The root is self-signed, so the chain a peer sends is the leaf alone.
    EXPECT_EQ(r.value().chain_pem, r.value().cert_pem);
  }
}

TEST_F(GeneratorTest, IssuanceIsByteIdenticalForTheSameSeedOnly) {
  const CertSpec spec = leafSpec("leaf");
  auto a = Generator(1).issue(spec, root());
  auto b = Generator(1).issue(spec, root());
  auto c = Generator(2).issue(spec, root());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a.value().cert_pem, b.value().cert_pem);
  EXPECT_EQ(a.value().key_pem, b.value().key_pem);
  EXPECT_EQ(a.value().serial_hex, b.value().serial_hex);
  EXPECT_NE(a.value().key_pem, c.value().key_pem);
  EXPECT_NE(a.value().serial_hex, c.value().serial_hex);
  auto again = Generator(1).selfSigned(rootSpec());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().cert_pem, root().cert_pem);
}

TEST_F(GeneratorTest, ChainsStopBelowTheSelfSignedRoot) {
  CertSpec mid = rootSpec();
  mid.label = "mid";
  mid.subject = {"Mid", "", "", "", "", ""};
  mid.path_len = 0;
  auto intermediate = Generator(1).issue(mid, root());
  ASSERT_TRUE(intermediate.ok()) << intermediate.error().message;
  auto leaf = Generator(1).issue(leafSpec("leaf"), intermediate.value());
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  EXPECT_EQ(intermediate.value().chain_pem, intermediate.value().cert_pem);
  EXPECT_EQ(leaf.value().chain_pem, leaf.value().cert_pem + intermediate.value().cert_pem);
}

TEST_F(GeneratorTest, ExplicitValidityIsKeptToTheSecond) {
  CertSpec spec = leafSpec("short");
  spec.validity.not_before = TimePoint::fromUnixNanos(testing::kNowSeconds * 1'000'000'000LL + 7);
  spec.validity.not_after = testNow() + Duration::seconds(90);
  auto r = Generator(1).issue(spec, root());
  ASSERT_TRUE(r.ok());
  X509Ptr c = cert(r.value());
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(c.get()), testing::kNowSeconds), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(c.get()), testing::kNowSeconds + 90), 0);

  // RFC 5280 4.1.2.5: GeneralizedTime from 2050 on, UTCTime before.
  constexpr int64_t k2050Jan01 = 2524608000;
  spec.validity.not_after = TimePoint::fromUnixSeconds(k2050Jan01);
  auto late = Generator(1).issue(spec, root());
  ASSERT_TRUE(late.ok());
  X509Ptr l = cert(late.value());
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notBefore(l.get())), V_ASN1_UTCTIME);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notAfter(l.get())), V_ASN1_GENERALIZEDTIME);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(l.get()), k2050Jan01), 0);
}

TEST_F(GeneratorTest, SignersMustBeRsa) {
  CertSpec self = rootSpec();
  self.key = KeyType::kEcdsaP256;
  auto r = Generator(1).selfSigned(self);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("RSA"), std::string::npos);

  CertSpec ec_ca = rootSpec();
  ec_ca.label = "ec-ca";
  ec_ca.key = KeyType::kEcdsaP256;
  ec_ca.path_len = 0;
  auto ca = Generator(1).issue(ec_ca, root());
  ASSERT_TRUE(ca.ok()) << ca.error().message;
  auto leaf = Generator(1).issue(leafSpec("leaf"), ca.value());
  ASSERT_FALSE(leaf.ok());
  EXPECT_NE(leaf.error().message.find("RSA"), std::string::npos);
  EXPECT_FALSE(Generator(1).crl(ca.value(), {}, testNow(), testNow()).ok());
}

TEST_F(GeneratorTest, InvalidSpecsAreErrorsNotExceptions) {
  auto expectError = [&](CertSpec spec, const std::string& fragment) {
    auto r = Generator(1).issue(spec, root());
    ASSERT_FALSE(r.ok()) << fragment;
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  };
  CertSpec s = leafSpec("x");
  s.label.clear();
  expectError(s, "label");
  s = leafSpec("x");
  s.ips = {"300.1.1.1"};
  expectError(s, "300.1.1.1");
  s = leafSpec("x");
  s.dns = {"has space.example.com"};
  expectError(s, "has space");
  s = leafSpec("x");
  s.subject.country = "USA";
  expectError(s, "two-letter");
  s = leafSpec("x");
  s.validity.not_after = s.validity.not_before - Duration::seconds(1);
  expectError(s, "not_after");
  s = leafSpec("x");
  s.validity = {};
  expectError(s, "unset");
  s = leafSpec("x");
  s.path_len = 0;
  expectError(s, "path_len");
  s = leafSpec("x");
  s.subject = {};
  s.dns.clear();
  s.ips.clear();
  s.uris.clear();
  s.emails.clear();
  expectError(s, "subject");

  Issued broken = root();
  broken.cert_der = "not DER";
  EXPECT_FALSE(Generator(1).issue(leafSpec("x"), broken).ok());
}

TEST_F(GeneratorTest, EmptySubjectMakesTheSanCritical) {
  CertSpec spec = leafSpec("anonymous");
  spec.subject = {};
  auto r = Generator(1).issue(spec, root());
  ASSERT_TRUE(r.ok());
  X509Ptr c = cert(r.value());
  int critical = -1;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(c.get(), NID_subject_alt_name, &critical, nullptr)));
  EXPECT_EQ(critical, 1);
  EXPECT_EQ(X509_NAME_entry_count(X509_get_subject_name(c.get())), 0);
}

TEST_F(GeneratorTest, CrlIsASignedV2ListOfTheRevokedSerials) {
  auto a = Generator(1).issue(leafSpec("a"), root());
  auto b = Generator(1).issue(leafSpec("b"), root());
  ASSERT_TRUE(a.ok() && b.ok());
  std::string lower = a.value().serial_hex;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const TimePoint this_update = testNow() - Duration::seconds(3600);
  const TimePoint next_update = testNow() + Duration::seconds(7 * kDaySeconds);
  auto pem = Generator(1).crl(root(), {b.value().serial_hex, lower, a.value().serial_hex},
                              this_update, next_update);
  ASSERT_TRUE(pem.ok()) << pem.error().message;
  auto again = Generator(9).crl(root(), {a.value().serial_hex, b.value().serial_hex}, this_update,
                                next_update);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pem.value(), again.value());  // input order, case and duplicates do not matter

  auto crls = testing::parseCrls(pem.value());
  ASSERT_EQ(crls.size(), 1u);
  X509_CRL* crl = crls.front().get();
  EXPECT_EQ(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
  X509Ptr ca = cert(root());
  EXPECT_EQ(X509_CRL_verify(crl, X509_get0_pubkey(ca.get())), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca.get())), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(crl), this_update.unixSeconds()), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_nextUpdate(crl), next_update.unixSeconds()), 0);
  EXPECT_EQ(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)), 2);
  for (const auto& leaf : {a.value(), b.value()}) {
    X509_REVOKED* entry = nullptr;
    X509Ptr c = cert(leaf);
    EXPECT_EQ(X509_CRL_get0_by_cert(crl, &entry, c.get()), 1) << leaf.label;
  }
  ASN1_INTEGER* number =
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr));
  Asn1IntegerPtr number_owner(number);
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(number), this_update.unixSeconds());
  AuthorityKeyIdPtr akid(static_cast<AUTHORITY_KEYID*>(
      X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, nullptr, nullptr)));
  ASSERT_TRUE(akid);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(akid->keyid, X509_get0_subject_key_id(ca.get())), 0);
}

TEST_F(GeneratorTest, CrlRejectsBadInput) {
  EXPECT_FALSE(Generator(1).crl(root(), {"xyz"}, testNow(), testNow()).ok());
  EXPECT_FALSE(Generator(1).crl(root(), {""}, testNow(), testNow()).ok());
  EXPECT_FALSE(Generator(1).crl(root(), {}, testNow(), testNow() - Duration::seconds(1)).ok());
}

}  // namespace
}  // namespace ctplab::certgen
