// Version detection by signature, then the version's own parser.
#include "ctplab/proxy/proxy_protocol/parser.h"

#include <algorithm>

#include "v1_parser.h"
#include "v2_parser.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

// `bytes` is a prefix of `signature`, or starts with all of it.
bool fits(std::string_view bytes, std::string_view signature) {
  const size_t n = std::min(bytes.size(), signature.size());
  return bytes.substr(0, n) == signature.substr(0, n);
}

}  // namespace

std::optional<Version> matchSignature(std::string_view bytes) {
  // The signatures differ in their first byte ('P' vs '\r'), so at most one fits a non-empty
  // prefix; the empty prefix fits both and is reported as neither yet.
  if (bytes.empty()) return std::nullopt;
  if (fits(bytes, kV1Signature)) return Version::kV1;
  if (fits(bytes, kV2Signature)) return Version::kV2;
  return std::nullopt;
}

ParseResult parseHeader(std::string_view bytes) {
  bytes = bytes.substr(0, std::min(bytes.size(), kV2MaxLength));
  if (bytes.empty()) return NeedMoreBytes{1};
  const std::optional<Version> version = matchSignature(bytes);
  if (!version) return NotProxy{};
  if (*version == Version::kV1) {
    if (bytes.size() < kV1Signature.size()) return NeedMoreBytes{1};
    return parseV1(bytes);
  }
  if (bytes.size() < kV2Signature.size()) return NeedMoreBytes{1};
  return parseV2(bytes);
}

}  // namespace ctplab::proxy::proxy_protocol
