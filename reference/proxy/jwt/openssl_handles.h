// Owning handles for the OpenSSL objects the JWT module creates, so every exit path frees them.
// One alias per type; the deleter is the type's own *_free function.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace ctplab::proxy::jwt::ossl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using PkeyPtr = Handle<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Handle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = Handle<EVP_MD_CTX, EVP_MD_CTX_free>;
using BignumPtr = Handle<BIGNUM, BN_free>;
using EcdsaSigPtr = Handle<ECDSA_SIG, ECDSA_SIG_free>;
using ParamBldPtr = Handle<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamsPtr = Handle<OSSL_PARAM, OSSL_PARAM_free>;
using BioPtr = Handle<BIO, BIO_free_all>;

// Keys are shared by every worker's authenticator; OpenSSL 3 keys are safe to read concurrently.
inline std::shared_ptr<EVP_PKEY> sharePkey(PkeyPtr key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

}  // namespace ctplab::proxy::jwt::ossl
