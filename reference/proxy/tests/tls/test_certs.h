// Self-signed certificates built in memory for the XFCC and client-certificate tests: an EC P-256
// key, any subject and any SANs (otherNames of every ASN.1 type, IPs of odd lengths), fixed dates.
#pragma once

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctplab/proxy/tls/openssl_ptr.h"
#include "ctplab/proxy/tls/peer_certificate.h"

namespace ctplab::proxy::tls::testing {

struct OtherNameSpec {
  std::string oid;
  int asn1_type = V_ASN1_UTF8STRING;
  // String types: the content bytes. V_ASN1_INTEGER: decimal. V_ASN1_BOOLEAN: "true"/"false".
  // V_ASN1_OBJECT: a dotted OID. V_ASN1_NULL: ignored.
  std::string value;
};

struct TestCertSpec {
  // (attribute, value) in encoding order; `multi` adds the attribute to the previous RDN.
  struct Attribute {
    std::string name;
    std::string value;
    bool multi = false;
  };
  std::vector<Attribute> subject;
  std::vector<std::string> dns, uris, emails;
  std::vector<std::string> ip_bytes;  // raw network-order bytes, any length
  std::vector<OtherNameSpec> other_names;
  int serial = 1;
};

struct TestCert {
  std::string der;
  std::string pem;
  std::string spki_der;  // the SubjectPublicKeyInfo, encoded independently from the key
};

using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT_free>>;
using Asn1TypePtr = std::unique_ptr<ASN1_TYPE, OpenSslDeleter<ASN1_TYPE_free>>;
using Asn1StringPtr = std::unique_ptr<ASN1_STRING, OpenSslDeleter<ASN1_STRING_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslDeleter<GENERAL_NAME_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;

inline void freeOpenSslBytes(unsigned char* p) { OPENSSL_free(p); }
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslDeleter<freeOpenSslBytes>>;

inline Asn1StringPtr asn1String(int type, std::string_view bytes) {
  Asn1StringPtr s(ASN1_STRING_type_new(type));
  if (!s || ASN1_STRING_set(s.get(), bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return nullptr;
  }
  return s;
}

inline Asn1TypePtr otherNameValue(const OtherNameSpec& spec) {
  Asn1TypePtr value(ASN1_TYPE_new());
  if (!value) return nullptr;
  switch (spec.asn1_type) {
    case V_ASN1_NULL:
      ASN1_TYPE_set(value.get(), V_ASN1_NULL, nullptr);
      return value;
    case V_ASN1_BOOLEAN: {
      // ASN1_TYPE_set reads a BOOLEAN's "pointer" as the truth value.
      static int truth = 1;
      ASN1_TYPE_set(value.get(), V_ASN1_BOOLEAN, spec.value == "true" ? &truth : nullptr);
      return value;
    }
    case V_ASN1_INTEGER: {
      Asn1IntegerPtr integer(ASN1_INTEGER_new());
      if (!integer || ASN1_INTEGER_set_int64(integer.get(), std::stoll(spec.value)) != 1) {
        return nullptr;
      }
      ASN1_TYPE_set(value.get(), V_ASN1_INTEGER, integer.release());
      return value;
    }
    case V_ASN1_OBJECT: {
      Asn1ObjectPtr object(OBJ_txt2obj(spec.value.c_str(), 1));
      if (!object) return nullptr;
      ASN1_TYPE_set(value.get(), V_ASN1_OBJECT, object.release());
      return value;
    }
    default: {
      Asn1StringPtr s = asn1String(spec.asn1_type, spec.value);
      if (!s) return nullptr;
      ASN1_TYPE_set(value.get(), spec.asn1_type, s.release());
      return value;
    }
  }
}

inline bool pushName(GENERAL_NAMES* names, GeneralNamePtr name) {
  if (!name || sk_GENERAL_NAME_push(names, name.get()) <= 0) return false;
  name.release();
  return true;
}

inline GeneralNamePtr stringName(int gen_type, int asn1_type, std::string_view bytes) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1StringPtr s = asn1String(asn1_type, bytes);
  if (!name || !s) return nullptr;
  GENERAL_NAME_set0_value(name.get(), gen_type, s.release());
  return name;
}

inline GeneralNamePtr otherName(const OtherNameSpec& spec) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1ObjectPtr oid(OBJ_txt2obj(spec.oid.c_str(), 1));
  Asn1TypePtr value = otherNameValue(spec);
  if (!name || !oid || !value) return nullptr;
  if (GENERAL_NAME_set0_othername(name.get(), oid.get(), value.get()) != 1) return nullptr;
  oid.release();
  value.release();
  return name;
}

inline bool addSubjectAltNames(X509* cert, const TestCertSpec& spec) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return false;
  bool ok = true;
  for (const auto& v : spec.dns)
    ok &= pushName(names.get(), stringName(GEN_DNS, V_ASN1_IA5STRING, v));
  for (const auto& v : spec.uris) {
    ok &= pushName(names.get(), stringName(GEN_URI, V_ASN1_IA5STRING, v));
  }
  for (const auto& v : spec.emails) {
    ok &= pushName(names.get(), stringName(GEN_EMAIL, V_ASN1_IA5STRING, v));
  }
  for (const auto& v : spec.ip_bytes) {
    ok &= pushName(names.get(), stringName(GEN_IPADD, V_ASN1_OCTET_STRING, v));
  }
  for (const auto& v : spec.other_names) ok &= pushName(names.get(), otherName(v));
  if (!ok) return false;
  if (sk_GENERAL_NAME_num(names.get()) == 0) return true;
  return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

inline std::string derOf(const X509* cert) {
  unsigned char* raw = nullptr;
  const int length = i2d_X509(cert, &raw);
  OpenSslBytesPtr owned(raw);
  if (length <= 0) return {};
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<size_t>(length));
}

inline X509Ptr buildCertificate(const TestCertSpec& spec, EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  X509NamePtr name(X509_NAME_new());
  if (!cert || !name) return nullptr;
  bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
            ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial) == 1 &&
            ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20240101000000Z") == 1 &&
            ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "21240101000000Z") == 1;
  for (const auto& a : spec.subject) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(a.value.data());
    ok &= X509_NAME_add_entry_by_txt(name.get(), a.name.c_str(), MBSTRING_UTF8, bytes,
                                     static_cast<int>(a.value.size()), -1, a.multi ? -1 : 0) == 1;
  }
  ok = ok && X509_set_subject_name(cert.get(), name.get()) == 1 &&
       X509_set_issuer_name(cert.get(), name.get()) == 1 && X509_set_pubkey(cert.get(), key) == 1 &&
       addSubjectAltNames(cert.get(), spec) && X509_sign(cert.get(), key, EVP_sha256()) > 0;
  return ok ? std::move(cert) : nullptr;
}

// Fails the current test (and returns empty fields) when OpenSSL refuses the spec.
inline TestCert makeCert(const TestCertSpec& spec) {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    ADD_FAILURE() << "EC key generation failed";
    return {};
  }
  X509Ptr cert = buildCertificate(spec, key.get());
  if (!cert) {
    ADD_FAILURE() << "certificate construction failed";
    return {};
  }
  TestCert out;
  out.der = derOf(cert.get());
  BioPtr pem(BIO_new(BIO_s_mem()));
  if (pem && PEM_write_bio_X509(pem.get(), cert.get()) == 1) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(pem.get(), &data);
    out.pem.assign(data, static_cast<size_t>(length));
  }
  unsigned char* spki = nullptr;
  const int spki_length = i2d_PUBKEY(key.get(), &spki);
  OpenSslBytesPtr owned(spki);
  if (spki_length > 0) {
    out.spki_der.assign(reinterpret_cast<const char*>(spki), static_cast<size_t>(spki_length));
  }
  return out;
}

// The PeerCertificate of a fresh certificate; fails the test if parsing does.
inline PeerCertificate makePeer(const TestCertSpec& spec) {
  auto parsed = PeerCertificate::fromDer(makeCert(spec).der);
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    return {};
  }
  return std::move(parsed).value();
}

inline std::string sha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

inline std::string hexOf(std::string_view bytes, bool upper = false) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

inline std::string base64Of(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(length));
  return out;
}

// The subject of the conformance fixture (conformance/cases/resources/client-mtls-gateway.yaml),
// most significant RDN first as encoded.
inline std::vector<TestCertSpec::Attribute> mtlsExampleSubject() {
  return {{"C", "US"},         {"ST", "VA"},      {"L", "SomeCity"},
          {"O", "EnvoyProxy"}, {"OU", "Gateway"}, {"CN", "mtls.example.com"}};
}

}  // namespace ctplab::proxy::tls::testing
