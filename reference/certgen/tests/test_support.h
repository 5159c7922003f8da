// Helpers shared by the certgen tests: parsing fixtures back into OpenSSL objects and running
// OpenSSL's own chain verification on them at a chosen instant.
#pragma once

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <string>
#include <vector>

#include "ctplab/certgen/generator.h"
#include "encoding.h"
#include "openssl_handles.h"

namespace ctplab::certgen::testing {

inline void freeChars(char* p) { OPENSSL_free(p); }
using CharsPtr = OpensslPtr<char, freeChars>;

// 2025-06-01T00:00:00Z
inline constexpr int64_t kNowSeconds = 1748736000;
inline TimePoint testNow() { return TimePoint::fromUnixSeconds(kNowSeconds); }
inline constexpr int64_t kDaySeconds = 86400;

inline X509Ptr cert(const Issued& issued) { return parseCertDer(issued.cert_der); }
inline EvpPkeyPtr key(const Issued& issued) { return parsePrivateKeyPem(issued.key_pem); }

inline std::vector<X509CrlPtr> parseCrls(const std::string& pem) {
  std::vector<X509CrlPtr> out;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(crl);
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  return out;
}

inline std::string nameLine(const X509_NAME* name) {
  char buf[512];
  return X509_NAME_oneline(name, buf, sizeof(buf));
}

inline std::string serialHexOf(X509* c) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(c), nullptr));
  CharsPtr hex(BN_bn2hex(bn.get()));
  return hex ? std::string(hex.get()) : std::string();
}

struct VerifyOptions {
  std::vector<const Issued*> trusted;
  std::vector<const Issued*> untrusted;
  std::string crls;  // concatenated PEM
  unsigned long flags = 0;
  int purpose = 0;
  std::string host;
};

// X509_V_OK or the error X509_verify_cert reports for `leaf` at `at`.
inline int verifyAt(const Issued& leaf, TimePoint at, const VerifyOptions& o) {
  X509StorePtr store(X509_STORE_new());
  for (const Issued* t : o.trusted) {
    X509Ptr c = cert(*t);
    X509_STORE_add_cert(store.get(), c.get());  // takes its own reference
  }
  for (auto& crl : parseCrls(o.crls)) X509_STORE_add_crl(store.get(), crl.get());
  X509StackPtr chain(sk_X509_new_null());
  for (const Issued* u : o.untrusted) sk_X509_push(chain.get(), cert(*u).release());
  X509Ptr leaf_cert = cert(leaf);
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf_cert.get(), chain.get()) != 1) return -1;
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at.unixSeconds()));
  if (o.flags != 0) X509_VERIFY_PARAM_set_flags(param, o.flags);
  if (o.purpose != 0) X509_VERIFY_PARAM_set_purpose(param, o.purpose);
  if (!o.host.empty()) X509_VERIFY_PARAM_set1_host(param, o.host.c_str(), 0);
  const int result =
      X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return result;
}

inline std::string verifyName(int code) {
  return code == -1 ? "init failed" : X509_verify_cert_error_string(code);
}

}  // namespace ctplab::certgen::testing
