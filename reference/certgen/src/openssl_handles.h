// Owning handles for the OpenSSL objects certgen uses: std::unique_ptr aliases whose deleters call
// the matching free function, so no code here frees an OpenSSL object by hand.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace ctplab::certgen {

// A stateless deleter type per free function: the handles cost no more than a raw pointer and
// cannot be paired with the wrong free function.
template <typename T, void (*kFree)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const {
    if (p != nullptr) kFree(p);
  }
};

template <typename T, void (*kFree)(T*)>
using OpensslPtr = std::unique_ptr<T, OpensslDeleter<T, kFree>>;

// Shims for free functions that return int, are macros, or take an extra argument.
inline void bioFreeVoid(BIO* bio) { BIO_free(bio); }
inline void opensslFreeBytes(unsigned char* p) { OPENSSL_free(p); }
inline void x509StackFree(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
inline void x509CrlStackFree(STACK_OF(X509_CRL) * s) { sk_X509_CRL_pop_free(s, X509_CRL_free); }

using BioPtr = OpensslPtr<BIO, bioFreeVoid>;
using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using BnCtxPtr = OpensslPtr<BN_CTX, BN_CTX_free>;
using EcGroupPtr = OpensslPtr<EC_GROUP, EC_GROUP_free>;
using EcPointPtr = OpensslPtr<EC_POINT, EC_POINT_free>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using ParamBldPtr = OpensslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamsPtr = OpensslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using BytesPtr = OpensslPtr<unsigned char, opensslFreeBytes>;
using X509Ptr = OpensslPtr<X509, X509_free>;
using X509CrlPtr = OpensslPtr<X509_CRL, X509_CRL_free>;
using X509RevokedPtr = OpensslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509StackPtr = OpensslPtr<STACK_OF(X509), x509StackFree>;
using X509CrlStackPtr = OpensslPtr<STACK_OF(X509_CRL), x509CrlStackFree>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1Ia5StringPtr = OpensslPtr<ASN1_IA5STRING, ASN1_IA5STRING_free>;
using GeneralNamePtr = OpensslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpensslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using AuthorityKeyIdPtr = OpensslPtr<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using ExtKeyUsagePtr = OpensslPtr<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;

}  // namespace ctplab::certgen
