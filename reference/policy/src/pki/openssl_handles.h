// Owning handles for OpenSSL objects: std::unique_ptr aliases whose deleters call the matching
// OpenSSL free function, so no code outside this header ever frees an OpenSSL object by hand.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace ctplab::policy::pki {

// Binds an OpenSSL free function to a stateless deleter type, so the aliases below cost no more
// than a raw pointer and cannot be paired with the wrong free function.
template <typename T, void (*kFree)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const {
    if (p != nullptr) kFree(p);
  }
};

template <typename T, void (*kFree)(T*)>
using OpensslPtr = std::unique_ptr<T, OpensslDeleter<T, kFree>>;

// BIO_free returns int, so it needs a void-returning shim to fit the deleter signature.
inline void bioFreeVoid(BIO* bio) { BIO_free(bio); }

using BioPtr = OpensslPtr<BIO, bioFreeVoid>;
using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using BnCtxPtr = OpensslPtr<BN_CTX, BN_CTX_free>;
using EcGroupPtr = OpensslPtr<EC_GROUP, EC_GROUP_free>;
using EcPointPtr = OpensslPtr<EC_POINT, EC_POINT_free>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = OpensslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using X509Ptr = OpensslPtr<X509, X509_free>;
using X509CrlPtr = OpensslPtr<X509_CRL, X509_CRL_free>;
using X509NamePtr = OpensslPtr<X509_NAME, X509_NAME_free>;
using X509RevokedPtr = OpensslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;

}  // namespace ctplab::policy::pki
