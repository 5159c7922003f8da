// Test certificate generator for the pki tests: OpenSSL-built keys, certificates and CRLs with
// validity windows placed around one fixed evaluation instant, plus PEM/DER serializers.
#pragma once

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ctplab/common/time.h"
#include "pki/openssl_handles.h"

namespace ctplab::policy::pki {

// Every test evaluates validity at this instant: 2025-06-01 00:00:00 UTC.
inline constexpr int64_t kNow = 1748736000;
inline constexpr int64_t k2004Feb06Noon = 1076068800;
inline constexpr int64_t k2005Feb06Noon = 1107691200;
inline constexpr int64_t k2020Jan01 = 1577836800;
inline constexpr int64_t k2024Jan01 = 1704067200;
inline constexpr int64_t k2024Feb01 = 1706745600;
inline constexpr int64_t k2026Jan01 = 1767225600;
inline constexpr int64_t k2026Feb01 = 1769904000;
inline constexpr int64_t k2030Jan01 = 1893456000;
inline constexpr int64_t k2030Mar04 = 1898831167;  // 05:06:07
inline constexpr int64_t k2031Jan01 = 1924992000;
inline constexpr int64_t k2035Jan01 = 2051222400;
inline constexpr int64_t k2051Jul08 = 2572420211;  // 09:10:11, encoded as GeneralizedTime

inline TimePoint now() { return TimePoint::fromUnixSeconds(kNow); }

inline std::string bioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

inline BioPtr memBio() { return BioPtr(BIO_new(BIO_s_mem())); }

inline std::string certPem(X509* cert) {
  BioPtr bio = memBio();
  PEM_write_bio_X509(bio.get(), cert);
  return bioContents(bio.get());
}

inline std::string certDer(X509* cert) {
  BioPtr bio = memBio();
  i2d_X509_bio(bio.get(), cert);
  return bioContents(bio.get());
}

inline std::string pkcs8Pem(EVP_PKEY* key) {
  BioPtr bio = memBio();
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bioContents(bio.get());
}

inline std::string traditionalPem(EVP_PKEY* key) {
  BioPtr bio = memBio();
  PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bioContents(bio.get());
}

inline std::string crlPem(X509_CRL* crl) {
  BioPtr bio = memBio();
  PEM_write_bio_X509_CRL(bio.get(), crl);
  return bioContents(bio.get());
}

inline void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
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

inline CertSpec namedSpec(const std::string& cn, long serial) {
  CertSpec spec;
  spec.cn = cn;
  spec.serial = serial;
  return spec;
}

// Builds a certificate for subject_key, signed by issuer_key (self-signed when issuer is null).
inline X509Ptr makeCert(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                        EVP_PKEY* issuer_key) {
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

inline X509CrlPtr makeCrl(X509* issuer, EVP_PKEY* key, int64_t this_update,
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

inline const Material& material() {
  static const Material* const kMaterial = new Material();
  return *kMaterial;
}

}  // namespace ctplab::policy::pki
