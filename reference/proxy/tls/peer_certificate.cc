// Parsing a certificate into PeerCertificate with OpenSSL, printing names the way Envoy does.
#include "ctplab/proxy/tls/peer_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <utility>

#include "ctplab/proxy/tls/openssl_ptr.h"

namespace ctplab::proxy::tls {
namespace {

// OPENSSL_free is a macro; the deleter template needs a function.
void freeOpenSslMemory(void* p) { OPENSSL_free(p); }

using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslDeleter<freeOpenSslMemory>>;
using OpenSslChars = std::unique_ptr<char, OpenSslDeleter<freeOpenSslMemory>>;

// Parsing garbage leaves errors on the thread's queue; a caller in the middle of a handshake would
// read them as its own, so whatever this file adds is dropped again on the way out.
class ErrorQueueMark {
 public:
  ErrorQueueMark() { ERR_set_mark(); }
  ~ErrorQueueMark() { ERR_pop_to_mark(); }
  ErrorQueueMark(const ErrorQueueMark&) = delete;
  ErrorQueueMark& operator=(const ErrorQueueMark&) = delete;
};

constexpr char kHexDigits[] = "0123456789abcdef";

std::string lowerHex(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHexDigits[data[i] >> 4];
    out += kHexDigits[data[i] & 0xf];
  }
  return out;
}

std::string asn1Bytes(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  const unsigned char* data = ASN1_STRING_get0_data(s);
  const int length = ASN1_STRING_length(s);
  if (data == nullptr || length <= 0) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
}

std::string memBioText(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  if (data == nullptr || length <= 0) return {};
  return std::string(data, static_cast<size_t>(length));
}

void appendDecimal(std::string& out, unsigned value) {
  char digits[3];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

std::string ipv4Text(const unsigned char* b) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i != 0) out += '.';
    appendDecimal(out, b[i]);
  }
  return out;
}

// glibc's inet_ntop(AF_INET6), which Envoy's address printing calls: the longest (leftmost on a
// tie) run of at least two zero groups becomes "::", and ::a.b.c.d / ::ffff:a.b.c.d keep the
// dotted tail.
std::string ipv6Text(const unsigned char* b) {
  std::array<unsigned, 8> words{};
  for (int i = 0; i < 8; ++i) words[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
  int best_base = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i >= 2 && j - i > best_len) {
      best_base = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (best_base != -1 && i >= best_base && i < best_base + best_len) {
      if (i == best_base) out += ':';
      continue;
    }
    if (i != 0) out += ':';
    if (i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      out += ipv4Text(b + 12);
      return out;
    }
    bool leading = true;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (words[i] >> shift) & 0xf;
      if (leading && nibble == 0 && shift != 0) continue;
      leading = false;
      out += kHexDigits[nibble];
    }
  }
  if (best_base != -1 && best_base + best_len == 8) out += ':';
  return out;
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  const std::string bytes = asn1Bytes(ip);
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() == 4) return ipv4Text(b);
  if (bytes.size() == 16) return ipv6Text(b);
  return {};
}

std::string oidText(const ASN1_OBJECT* object) {
  // Envoy prints OIDs into a 256-byte buffer and gives up on longer ones.
  constexpr int kMaxOidLength = 256;
  char buf[kMaxOidLength];
  const int length = OBJ_obj2txt(buf, kMaxOidLength, object, 1);
  if (length < 0 || length >= kMaxOidLength) return {};
  return std::string(buf);
}

std::string bignumDecimal(BignumPtr bn) {
  if (!bn) return {};
  OpenSslChars text(BN_bn2dec(bn.get()));
  return text ? std::string(text.get()) : std::string();
}

std::string utf8CString(const ASN1_STRING* s) {
  unsigned char* raw = nullptr;
  const int length = ASN1_STRING_to_UTF8(&raw, s);
  OpenSslBytes owned(raw);
  if (length < 0 || !owned) return {};
  // Envoy copies the converted text as a C string, so it stops at an embedded NUL.
  return std::string(reinterpret_cast<const char*>(owned.get()));
}

std::string otherNameValue(const ASN1_TYPE* value) {
  if (value == nullptr) return {};
  switch (value->type) {
    case V_ASN1_BOOLEAN:
      return value->value.boolean ? "true" : "false";
    case V_ASN1_INTEGER:
      return bignumDecimal(BignumPtr(ASN1_INTEGER_to_BN(value->value.integer, nullptr)));
    case V_ASN1_ENUMERATED:
      return bignumDecimal(BignumPtr(ASN1_ENUMERATED_to_BN(value->value.enumerated, nullptr)));
    case V_ASN1_OBJECT:
      return oidText(value->value.object);
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING:
      return utf8CString(value->value.asn1_string);
    case V_ASN1_BIT_STRING:
    case V_ASN1_OCTET_STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_T61STRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_GENERALSTRING:
    case V_ASN1_UTCTIME:
    case V_ASN1_GENERALIZEDTIME:
    case V_ASN1_VISIBLESTRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_SET:
    case V_ASN1_SEQUENCE:
      return asn1Bytes(value->value.asn1_string);
    default:
      return {};
  }
}

void readSubjectAltNames(const X509& cert, PeerCertificate& out) {
  // A missing, duplicated or undecodable extension reads as no SANs, as in Envoy.
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name == nullptr) continue;
    switch (name->type) {
      case GEN_DNS:
        out.dns_sans.push_back(asn1Bytes(name->d.dNSName));
        break;
      case GEN_URI:
        out.uri_sans.push_back(asn1Bytes(name->d.uniformResourceIdentifier));
        break;
      case GEN_EMAIL:
        out.email_sans.push_back(asn1Bytes(name->d.rfc822Name));
        break;
      case GEN_IPADD:
        out.ip_sans.push_back(ipText(name->d.iPAddress));
        break;
      case GEN_OTHERNAME:
        if (name->d.otherName != nullptr) {
          out.other_name_sans.push_back(
              {oidText(name->d.otherName->type_id), otherNameValue(name->d.otherName->value)});
        }
        break;
      default:
        break;
    }
  }
}

Result<PeerCertificate> fromParsed(const X509& cert) {
  PeerCertificate out;
  unsigned char* der_raw = nullptr;
  const int der_length = i2d_X509(&cert, &der_raw);
  OpenSslBytes der(der_raw);
  if (der_length <= 0 || !der) return Error{"certificate: cannot DER-encode"};
  out.der.assign(reinterpret_cast<const char*>(der.get()), static_cast<size_t>(der_length));

  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(der.get(), static_cast<size_t>(der_length), digest.data());
  out.sha256_hex = lowerHex(digest.data(), digest.size());

  unsigned char* spki_raw = nullptr;
  const int spki_length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(&cert), &spki_raw);
  OpenSslBytes spki(spki_raw);
  if (spki_length <= 0 || !spki) return Error{"certificate: cannot encode its public key"};
  SHA256(spki.get(), static_cast<size_t>(spki_length), digest.data());
  std::array<unsigned char, 4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1> base64{};
  const int base64_length = EVP_EncodeBlock(base64.data(), digest.data(), SHA256_DIGEST_LENGTH);
  out.spki_sha256_base64.assign(reinterpret_cast<const char*>(base64.data()),
                                static_cast<size_t>(base64_length));

  BioPtr pem(BIO_new(BIO_s_mem()));
  if (!pem || PEM_write_bio_X509(pem.get(), &cert) != 1) {
    return Error{"certificate: cannot PEM-encode"};
  }
  out.pem = memBioText(pem.get());

  BioPtr subject(BIO_new(BIO_s_mem()));
  if (!subject ||
      X509_NAME_print_ex(subject.get(), X509_get_subject_name(&cert), 0, XN_FLAG_RFC2253) < 0) {
    return Error{"certificate: cannot print the subject"};
  }
  out.subject = memBioText(subject.get());

  readSubjectAltNames(cert, out);
  return out;
}

}  // namespace

Result<PeerCertificate> PeerCertificate::fromDer(std::string_view der) {
  ErrorQueueMark mark;
  if (der.empty()) return Error{"certificate: empty DER"};
  if (der.size() > static_cast<size_t>(LONG_MAX)) return Error{"certificate: DER too large"};
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* cursor = begin;
  X509Ptr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cert) return Error{"certificate: malformed DER"};
  if (cursor != begin + der.size()) return Error{"certificate: trailing bytes after the DER"};
  return fromParsed(*cert);
}

Result<PeerCertificate> PeerCertificate::fromX509(const X509& cert) {
  ErrorQueueMark mark;
  return fromParsed(cert);
}

Result<std::vector<PeerCertificate>> parsePemChain(std::string_view pem) {
  ErrorQueueMark mark;
  if (pem.size() > static_cast<size_t>(INT_MAX)) return Error{"PEM: too large"};
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Error{"PEM: cannot allocate a buffer"};
  std::vector<PeerCertificate> chain;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    auto parsed = fromParsed(*cert);
    if (!parsed) return parsed.error();
    chain.push_back(std::move(parsed).value());
  }
  // A failed read always queues its reason last: running out of input shows as "no start line",
  // anything else is a block that did not decode.
  const unsigned long err = ERR_peek_last_error();
  const bool clean_end =
      ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  if (!clean_end) return Error{"PEM: malformed certificate block"};
  if (chain.empty()) return Error{"PEM: no certificate"};
  return chain;
}

}  // namespace ctplab::proxy::tls
