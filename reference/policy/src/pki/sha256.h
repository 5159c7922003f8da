// SHA-256 digests: the certificate fingerprint Certificate::sha256_hex exposes and the key by
// which upstream de-duplicates CA certificates across bundles.
#pragma once

#include <string>
#include <string_view>

namespace ctplab::policy::pki {

// Raw 32-byte digest (empty if OpenSSL fails).
std::string sha256Bytes(std::string_view bytes);

// Lower-case hex SHA-256 of the given bytes (use it on DER).
std::string sha256Hex(std::string_view bytes);

}  // namespace ctplab::policy::pki
