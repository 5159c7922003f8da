#include "pki/sha256.h"

#include <openssl/evp.h>

#include "pki/go_strings.h"

namespace ctplab::policy::pki {

std::string sha256Bytes(std::string_view bytes) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &len,
                 EVP_sha256(), nullptr) != 1) {
    return {};
  }
  digest.resize(len);
  return digest;
}

std::string sha256Hex(std::string_view bytes) { return hexLower(sha256Bytes(bytes)); }

}  // namespace ctplab::policy::pki
