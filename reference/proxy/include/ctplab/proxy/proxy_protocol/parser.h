// The pure PROXY protocol parser: classifies the bytes received so far on a connection. No state
// and bounded work (at most the longest header is read), so a fuzzer can drive it with any input.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "ctplab/proxy/proxy_protocol/header.h"

namespace ctplab::proxy::proxy_protocol {

inline constexpr std::string_view kV1Signature = "PROXY ";
inline constexpr std::string_view kV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};
inline constexpr size_t kV1MaxLength = 107;         // including CRLF (HAProxy's 108-byte buffer)
inline constexpr size_t kV2FixedLength = 16;        // signature, ver/cmd, family, length
inline constexpr size_t kV2MaxLength = 16 + 65535;  // the length field is 16 bits

// `bytes`: everything received on the connection so far (extra bytes after a header are fine and
// ignored; only the first kV2MaxLength bytes are ever read). Prefix-stable: once the answer is
// not NeedMoreBytes, appending bytes never changes it.
ParseResult parseHeader(std::string_view bytes);

// Which signature `bytes` is a prefix of, or starts with; nullopt when it fits neither.
std::optional<Version> matchSignature(std::string_view bytes);

}  // namespace ctplab::proxy::proxy_protocol
