#include "encoding.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <ctime>
#include <vector>

namespace ctplab::certgen {
namespace {

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

BioPtr memBio() { return BioPtr(BIO_new(BIO_s_mem())); }

BioPtr readBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

template <typename Write>
Result<std::string> writeToString(const char* what, Write write) {
  BioPtr bio = memBio();
  if (!bio || write(bio.get()) != 1) return opensslError(what);
  return bioContents(bio.get());
}

}  // namespace

Error opensslError(const std::string& what) {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return Error{what};
  char reason[256];
  ERR_error_string_n(code, reason, sizeof(reason));
  return Error{what + ": " + reason};
}

Result<std::string> certPem(X509* cert) {
  return writeToString("cannot encode the certificate as PEM",
                       [&](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
}

Result<std::string> certDer(X509* cert) {
  return writeToString("cannot encode the certificate as DER",
                       [&](BIO* bio) { return i2d_X509_bio(bio, cert); });
}

Result<std::string> privateKeyPem(EVP_PKEY* key) {
  return writeToString("cannot encode the private key", [&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

Result<std::string> crlPem(X509_CRL* crl) {
  return writeToString("cannot encode the CRL as PEM",
                       [&](BIO* bio) { return PEM_write_bio_X509_CRL(bio, crl); });
}

X509Ptr parseCertDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

X509Ptr parseCertPem(std::string_view pem) {
  BioPtr bio = readBio(pem);
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

EvpPkeyPtr parsePrivateKeyPem(std::string_view pem) {
  BioPtr bio = readBio(pem);
  if (!bio) return nullptr;
  return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string base64(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per started 3-byte group plus a terminating NUL.
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), n > 0 ? static_cast<size_t>(n) : 0);
}

std::string hexUpper(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

Asn1TimePtr asn1Time(TimePoint t) {
  return Asn1TimePtr(ASN1_TIME_set(nullptr, static_cast<time_t>(t.unixSeconds())));
}

}  // namespace ctplab::certgen
