#include "jwt/base64url.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ctplab::proxy::jwt {
namespace {

bool isUrlAlphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string encodeStandard(std::string_view bytes) {
  if (bytes.empty()) return {};
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

}  // namespace

std::optional<std::string> base64UrlDecode(std::string_view text) {
  size_t data_len = text.size();
  while (data_len > 0 && text[data_len - 1] == '=') --data_len;
  const size_t given_pad = text.size() - data_len;
  if (data_len % 4 == 1) return std::nullopt;
  const size_t needed_pad = (4 - data_len % 4) % 4;
  if (given_pad != 0 && given_pad != needed_pad) return std::nullopt;
  // OpenSSL's block decoder knows only the standard alphabet and skips surrounding whitespace, so
  // the text is validated here first and then mapped.
  std::string standard(text.substr(0, data_len));
  for (char& c : standard) {
    if (!isUrlAlphabet(c)) return std::nullopt;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  standard.append(needed_pad, '=');
  if (standard.empty()) return std::string();
  std::string out(standard.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(standard.data()),
                                static_cast<int>(standard.size()));
  if (n < 0 || static_cast<size_t>(n) != out.size()) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  out.resize(out.size() - needed_pad);
  return out;
}

std::string base64UrlEncode(std::string_view bytes) {
  std::string out = encodeStandard(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string base64Encode(std::string_view bytes) { return encodeStandard(bytes); }

}  // namespace ctplab::proxy::jwt
