#include "pki/pki.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pki/openssl_handles.h"

namespace ctplab::policy::pki {
namespace {

// Every test evaluates validity at this instant: 2025-06-01 00:00:00 UTC.
constexpr int64_t kNow = 1748736000;
constexpr int64_t k2004Feb06Noon = 1076068800;
constexpr int64_t k2005Feb06Noon = 1107691200;
constexpr int64_t k2020Jan01 = 1577836800;
constexpr int64_t k2024Jan01 = 1704067200;
constexpr int64_t k2024Feb01 = 1706745600;
constexpr int64_t k2026Jan01 = 1767225600;
constexpr int64_t k2026Feb01 = 1769904000;
constexpr int64_t k2030Jan01 = 1893456000;
constexpr int64_t k2030Mar04 = 1898831167;  // 05:06:07
constexpr int64_t k2031Jan01 = 1924992000;
constexpr int64_t k2035Jan01 = 2051222400;
constexpr int64_t k2051Jul08 = 2572420211;  // 09:10:11, encoded as GeneralizedTime

TimePoint now() { return TimePoint::fromUnixSeconds(kNow); }

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

BioPtr memBio() { return BioPtr(BIO_new(BIO_s_mem())); }

std::string certPem(X509* cert) {
  BioPtr bio = memBio();
  PEM_write_bio_X509(bio.get(), cert);
  return bioContents(bio.get());
}

std::string certDer(X509* cert) {
  BioPtr bio = memBio();
  i2d_X509_bio(bio.get(), cert);
  return bioContents(bio.get());
}

std::string pkcs8Pem(EVP_PKEY* key) {
  BioPtr bio = memBio();
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bioContents(bio.get());
}

std::string traditionalPem(EVP_PKEY* key) {
  BioPtr bio = memBio();
  PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bioContents(bio.get());
}

std::string crlPem(X509_CRL* crl) {
  BioPtr bio = memBio();
  PEM_write_bio_X509_CRL(bio.get(), crl);
  return bioContents(bio.get());
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext);
  ASSERT_EQ(X509_add_ext(cert, ext.get(), -1), 1);
}

struct CertSpec {
  std::string cn;
  int64_t not_before = k2020Jan01;
  int64_t not_after = k2035Jan01;
  std::string san;  // e.g. "DNS:a.example,DNS:b.example"
  bool ca = false;
  long serial = 1;
  // Raw UTCTime text overriding not_before (lets a test encode a zone offset).
  std::string raw_not_before;
};

CertSpec namedSpec(const std::string& cn, long serial) {
  CertSpec spec;
  spec.cn = cn;
  spec.serial = serial;
  return spec;
}

// Builds a certificate for subject_key, signed by issuer_key (self-signed when issuer is null).
X509Ptr makeCert(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial);
  if (spec.raw_not_before.empty()) {
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before));
  } else {
    Asn1TimePtr t(ASN1_TIME_new());
    ASN1_UTCTIME_set_string(t.get(), spec.raw_not_before.c_str());
    X509_set1_notBefore(cert.get(), t.get());
  }
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after));
  X509_set_pubkey(cert.get(), subject_key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (spec.ca) {
    addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  if (!spec.san.empty()) addExtension(cert.get(), signer, NID_subject_alt_name, spec.san.c_str());
  X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256());
  return cert;
}

X509CrlPtr makeCrl(X509* issuer, EVP_PKEY* key, int64_t this_update,
                   std::optional<int64_t> next_update, long version = 1) {
  X509CrlPtr crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), version);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer));
  Asn1TimePtr last(ASN1_TIME_set(nullptr, static_cast<time_t>(this_update)));
  X509_CRL_set1_lastUpdate(crl.get(), last.get());
  if (next_update) {
    Asn1TimePtr next(ASN1_TIME_set(nullptr, static_cast<time_t>(*next_update)));
    X509_CRL_set1_nextUpdate(crl.get(), next.get());
  }
  X509RevokedPtr revoked(X509_REVOKED_new());
  Asn1IntegerPtr serial(ASN1_INTEGER_new());
  ASN1_INTEGER_set(serial.get(), 42);
  X509_REVOKED_set_serialNumber(revoked.get(), serial.get());
  X509_REVOKED_set_revocationDate(revoked.get(), last.get());
  if (X509_CRL_add0_revoked(crl.get(), revoked.get()) == 1) {
    static_cast<void>(revoked.release());  // Ownership moved into the CRL.
  }
  X509_CRL_sort(crl.get());
  X509_CRL_sign(crl.get(), key, EVP_sha256());
  return crl;
}

// Key material shared by all tests; generated once because RSA generation is slow.
struct Material {
  EvpPkeyPtr ca_key{EVP_EC_gen("P-256")};
  EvpPkeyPtr leaf_key{EVP_EC_gen("P-256")};
  EvpPkeyPtr other_key{EVP_EC_gen("P-256")};
  EvpPkeyPtr rsa_key{EVP_RSA_gen(2048)};
  X509Ptr ca;
  X509Ptr leaf;
  X509Ptr expired;
  X509Ptr future;
  X509Ptr second_ca;
  X509Ptr rsa_leaf;
  X509Ptr generalized;

  Material() {
    CertSpec spec = namedSpec("Test Root CA", 1);
    spec.ca = true;
    ca = makeCert(spec, ca_key.get(), nullptr, nullptr);

    spec = namedSpec("leaf.example.com", 2);
    spec.not_before = k2024Jan01;
    spec.not_after = k2030Jan01;
    spec.san = "DNS:leaf.example.com,DNS:www.example.com,DNS:leaf.example.com";
    leaf = makeCert(spec, leaf_key.get(), ca.get(), ca_key.get());

    spec = namedSpec("expired.example", 3);
    spec.not_before = k2004Feb06Noon;
    spec.not_after = k2005Feb06Noon;
    spec.ca = true;
    expired = makeCert(spec, other_key.get(), nullptr, nullptr);

    spec = namedSpec("future.example", 4);
    spec.not_before = k2030Mar04;
    spec.not_after = k2031Jan01;
    spec.ca = true;
    future = makeCert(spec, other_key.get(), nullptr, nullptr);

    spec = namedSpec("Second CA", 5);
    spec.ca = true;
    second_ca = makeCert(spec, other_key.get(), nullptr, nullptr);

    rsa_leaf = makeCert(namedSpec("rsa.example.com", 6), rsa_key.get(), ca.get(), ca_key.get());

    spec = namedSpec("long.example", 7);
    spec.not_after = k2051Jul08;
    generalized = makeCert(spec, other_key.get(), nullptr, nullptr);
  }
};

const Material& material() {
  static const Material* const kMaterial = new Material();
  return *kMaterial;
}

// ------------------------------------------------------------------------------------------------
// encoding/pem

TEST(PemTest, DecodeSkipsLeadingTextAndReturnsRest) {
  const std::string input =
      "junk before\n-----BEGIN THING-----\naGVsbG8=\n-----END THING-----\ntrailing";
  const PemDecodeResult r = decodePem(input);
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "THING");
  EXPECT_EQ(r.block->bytes, "hello");
  EXPECT_TRUE(r.block->headers.empty());
  EXPECT_EQ(r.rest, "trailing");
}

TEST(PemTest, DecodeReadsHeadersAndCrlf) {
  const std::string input =
      "-----BEGIN X-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info:  AES-128-CBC,00 \r\n\r\n"
      "aGVs\r\nbG8=\r\n-----END X-----\r\n";
  const PemDecodeResult r = decodePem(input);
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->bytes, "hello");
  ASSERT_EQ(r.block->headers.size(), 2u);
  EXPECT_EQ(r.block->headers.at("Proc-Type"), "4,ENCRYPTED");
  EXPECT_EQ(r.block->headers.at("DEK-Info"), "AES-128-CBC,00");
  EXPECT_EQ(r.rest, "");
}

TEST(PemTest, DecodeSkipsMalformedBlocks) {
  EXPECT_FALSE(decodePem("-----BEGIN A-----\naGVsbG8=\n-----END B-----\n").block);
  EXPECT_FALSE(decodePem("not pem at all").block);
  EXPECT_FALSE(decodePem("").block);
  EXPECT_FALSE(decodePem("x-----BEGIN A-----\naGk=\n-----END A-----\n").block);
  const PemDecodeResult r = decodePem(
      "-----BEGIN A-----\n!!!!\n-----END A-----\n-----BEGIN B-----\naGk=\n-----END B-----\n");
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "B");
  EXPECT_EQ(r.block->bytes, "hi");
  // Missing padding is a base64 error in Go, so the block is skipped.
  EXPECT_FALSE(decodePem("-----BEGIN A-----\naGk\n-----END A-----\n").block);
}

TEST(PemTest, DecodeSurvivesInputThatPanickedOlderGo) {
  const std::string input = "-----BEGIN X-----\n-----END X-----:\nA\n";
  const PemDecodeResult r = decodePem(input);
  EXPECT_FALSE(r.block.has_value());
  EXPECT_EQ(r.rest, input);
}

TEST(PemTest, DecodeEmptyBlock) {
  const PemDecodeResult r = decodePem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "CERTIFICATE");
  EXPECT_EQ(r.block->bytes, "");
}

TEST(PemTest, EncodeWrapsAt64ColumnsAndOrdersHeaders) {
  PemBlock block{
      "T", {{"Zeta", "1"}, {"Proc-Type", "4,ENCRYPTED"}, {"Alpha", "2"}}, std::string(49, 'a')};
  const std::optional<std::string> pem = encodePemBlock(block);
  ASSERT_TRUE(pem.has_value());
  EXPECT_EQ(*pem,
            "-----BEGIN T-----\nProc-Type: 4,ENCRYPTED\nAlpha: 2\nZeta: 1\n\n"
            "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh\nYQ==\n"
            "-----END T-----\n");
  EXPECT_FALSE(encodePemBlock(PemBlock{"T", {{"a:b", "c"}}, "x"}).has_value());
  const PemDecodeResult back = decodePem(*pem);
  ASSERT_TRUE(back.block.has_value());
  EXPECT_EQ(back.block->bytes, block.bytes);
  EXPECT_EQ(back.block->headers, block.headers);
}

// ------------------------------------------------------------------------------------------------
// Helpers

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

// ------------------------------------------------------------------------------------------------
// Certificate parsing

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

// ------------------------------------------------------------------------------------------------
// CA bundles

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

// ------------------------------------------------------------------------------------------------
// CRLs

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

// ------------------------------------------------------------------------------------------------
// Serving certificates

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

// ------------------------------------------------------------------------------------------------
// Robustness: nothing may crash on arbitrary bytes (run under ASan/UBSan as well).

TEST(RobustnessTest, MutatedInputsNeverCrash) {
  const Material& m = material();
  const std::string key = pkcs8Pem(m.leaf_key.get());
  const std::vector<std::string> seeds = {
      certDer(m.leaf.get()),
      certDer(m.rsa_leaf.get()),
      certDer(m.generalized.get()),
      decodePem(crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2026Jan01).get()))
          .block->bytes,
      decodePem(key).block->bytes,
      decodePem(traditionalPem(m.rsa_key.get())).block->bytes};
  std::mt19937 rng(12345);
  const std::vector<std::string> types = {"CERTIFICATE", "X509 CRL", "PRIVATE KEY",
                                          "RSA PRIVATE KEY", "EC PRIVATE KEY"};
  size_t iterations = 0;
  for (const std::string& seed : seeds) {
    std::vector<std::string> variants;
    for (size_t len = 0; len <= seed.size(); len += 13) variants.push_back(seed.substr(0, len));
    for (int i = 0; i < 120; ++i) {
      std::string v = seed;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) v[rng() % v.size()] = static_cast<char>(rng() & 0xFF);
      variants.push_back(std::move(v));
    }
    for (const std::string& v : variants) {
      for (const std::string& type : types) {
        const std::string pem = encodePemBlock(PemBlock{type, {}, v}).value();
        static_cast<void>(checkCaBundle(pem, now()));
        static_cast<void>(checkCrl(pem, now()));
        static_cast<void>(checkServingCertificate("n", "s", pem, pem, now()));
        static_cast<void>(checkServingCertificate("n", "s", certPem(m.leaf.get()), pem, now()));
        ++iterations;
      }
      static_cast<void>(parseCertificates(v));
      static_cast<void>(decodePem(v));
    }
  }
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    const size_t len = rng() % 200;
    static const std::string kAlphabet = "-BEGINEND \n\r\t:=ABCabc+/0129";
    for (size_t j = 0; j < len; ++j) {
      text.push_back(rng() % 3 == 0 ? static_cast<char>(rng() & 0xFF)
                                    : kAlphabet[rng() % kAlphabet.size()]);
    }
    if (i % 2 == 0) text = "-----BEGIN X-----\n" + text + "\n-----END X-----\n" + text;
    const PemDecodeResult r = decodePem(text);
    EXPECT_LE(r.rest.size(), text.size());
    static_cast<void>(checkCaBundle(text, now()));
    static_cast<void>(checkCrl(text, now()));
    static_cast<void>(checkServingCertificate("n", "s", text, text, now()));
  }
  EXPECT_GT(iterations, 0u);
}

}  // namespace
}  // namespace ctplab::policy::pki
