// Go encoding/pem: block decoding and encoding with Go's exact tolerance for malformed input,
// because which blocks Envoy Gateway keeps or skips decides the certificates it accepts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ctplab::policy::pki {

// Go's encoding/base64 StdEncoding.Decode (also how Kubernetes decodes Secret data): CR/LF are
// skipped, padding is required, trailing bits are not checked. False on malformed input.
bool goBase64Decode(std::string_view src, std::string* out);

struct PemBlock {
  std::string type;
  std::map<std::string, std::string> headers;  // Go keeps headers in a map; encoding sorts them.
  std::string bytes;                           // Decoded base64 payload (DER for certificates).
};

struct PemDecodeResult {
  std::optional<PemBlock> block;  // nullopt when no further block could be decoded.
  std::string_view rest;          // Points into the input; the whole input when block is nullopt.
};

// Mirrors Go pem.Decode (Go 1.26, including the 2025 quadratic-time and bounds fixes): skips any
// text before a block, silently skips malformed blocks (bad base64, mismatched END type, ...).
PemDecodeResult decodePem(std::string_view data);

// Mirrors Go pem.EncodeToMemory: "-----BEGIN T-----\n", headers ("Proc-Type" first, the rest in
// byte order, then a blank line), base64 in 64-column lines, "-----END T-----\n". Returns nullopt
// where Go returns nil (a header key containing ':').
std::optional<std::string> encodePemBlock(const PemBlock& block);

}  // namespace ctplab::policy::pki
