// What a PROXY protocol header (v1 text or v2 binary) says once parsed, and the four answers the
// parser gives for a byte prefix: wait, not a header, a broken header, or a complete header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "ctplab/common/ip_address.h"

namespace ctplab::proxy::proxy_protocol {

enum class Version { kV1, kV2 };

// v1 has no command: TCP4/TCP6 and UNKNOWN lines are kProxy (UNKNOWN carries no addresses).
enum class Command { kProxy, kLocal };

// v1 UNKNOWN is kUnspec. DGRAM variants never reach a ParsedHeader (a TCP listener rejects them).
enum class Family { kTcp4, kTcp6, kUnix, kUnspec };

struct Endpoint {
  IpAddress address;
  uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

struct ParsedHeader {
  Version version = Version::kV1;
  Command command = Command::kProxy;
  Family family = Family::kUnspec;
  // Set exactly for v1 TCP4/TCP6 and v2 PROXY over INET/INET6: the addresses a receiver adopts.
  std::optional<Endpoint> source;
  std::optional<Endpoint> destination;
  size_t length = 0;     // bytes the header occupies (v1: through CRLF; v2: 16 + its length field)
  size_t tlv_count = 0;  // v2 PROXY TLVs checked and skipped; LOCAL's block is not read
  bool operator==(const ParsedHeader&) const = default;

  // No address in the header replaces the socket's (LOCAL, UNKNOWN, UNSPEC, UNIX).
  bool keepsSocketAddresses() const { return !source.has_value(); }
};

// The answer cannot change before `at_least` more bytes arrive (exact once a v2 header's length
// field is known; 1 while any next byte may decide).
struct NeedMoreBytes {
  size_t at_least = 1;
  bool operator==(const NeedMoreBytes&) const = default;
};

// The first bytes differ from both signatures ("PROXY " and the 12-byte v2 one).
struct NotProxy {
  bool operator==(const NotProxy&) const = default;
};

// The bytes start like a header of `version` but can never complete to a valid one.
struct Malformed {
  Version version = Version::kV1;
  std::string reason;
  bool operator==(const Malformed&) const = default;
};

using ParseResult = std::variant<NeedMoreBytes, NotProxy, Malformed, ParsedHeader>;

}  // namespace ctplab::proxy::proxy_protocol
