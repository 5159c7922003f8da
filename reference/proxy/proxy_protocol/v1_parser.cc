// Strict v1 grammar (HAProxy's proxy-protocol.txt, section 2.1): single spaces, no trailing
// whitespace, addresses of the announced family, ports in canonical decimal.
#include "v1_parser.h"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "address_bytes.h"
#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

Malformed v1Malformed(std::string reason) { return Malformed{Version::kV1, std::move(reason)}; }

// 0..65535 without sign, spaces or leading zeros: the canonical form the spec prescribes.
std::optional<uint16_t> parsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

std::optional<std::string> checkAddress(const std::optional<IpAddress>& address,
                                        IpAddress::Family family, const char* which) {
  const std::string name(which);
  if (!address) return "bad " + name + " address";
  if (address->family() != family) return name + " address does not match the protocol";
  if (!isUnicast(*address)) return name + " address is not unicast";
  return std::nullopt;
}

ParseResult parseTcpLine(std::string_view fields_text, Family family, size_t length) {
  // Exactly four space-separated fields; an empty one means a doubled or trailing space.
  std::array<std::string_view, 4> fields;
  size_t count = 0;
  size_t start = 0;
  while (true) {
    const size_t space = fields_text.find(' ', start);
    const std::string_view field = fields_text.substr(start, space - start);
    if (field.empty()) return v1Malformed("empty field (double or trailing space)");
    if (count == fields.size()) return v1Malformed("too many fields");
    fields[count++] = field;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (count != fields.size()) return v1Malformed("too few fields");

  const IpAddress::Family ip_family =
      family == Family::kTcp4 ? IpAddress::Family::kV4 : IpAddress::Family::kV6;
  const std::optional<IpAddress> source = IpAddress::parse(fields[0]);
  const std::optional<IpAddress> destination = IpAddress::parse(fields[1]);
  if (auto error = checkAddress(source, ip_family, "source")) return v1Malformed(*error);
  if (auto error = checkAddress(destination, ip_family, "destination")) return v1Malformed(*error);
  const std::optional<uint16_t> source_port = parsePort(fields[2]);
  const std::optional<uint16_t> destination_port = parsePort(fields[3]);
  if (!source_port) return v1Malformed("bad source port");
  if (!destination_port) return v1Malformed("bad destination port");

  ParsedHeader header;
  header.version = Version::kV1;
  header.command = Command::kProxy;
  header.family = family;
  header.source = Endpoint{*source, *source_port};
  header.destination = Endpoint{*destination, *destination_port};
  header.length = length;
  return header;
}

}  // namespace

ParseResult parseV1(std::string_view bytes) {
  // The first CRLF ends the line; it must end within kV1MaxLength bytes.
  const size_t cr = bytes.substr(0, kV1MaxLength).find("\r\n");
  if (cr == std::string_view::npos) {
    if (bytes.size() >= kV1MaxLength) return v1Malformed("no CRLF within 107 bytes");
    // Nothing changes until a CRLF completes or the length limit is reached.
    const bool one_away = bytes.back() == '\r' || bytes.size() + 1 == kV1MaxLength;
    return NeedMoreBytes{one_away ? size_t{1} : size_t{2}};
  }
  const size_t length = cr + 2;
  const std::string_view rest = bytes.substr(kV1Signature.size(), cr - kV1Signature.size());
  const size_t space = rest.find(' ');
  const std::string_view protocol = rest.substr(0, space);
  if (protocol == "UNKNOWN") {
    // Whatever follows up to CRLF is ignored: the receiver keeps the socket's addresses.
    ParsedHeader header;
    header.version = Version::kV1;
    header.command = Command::kProxy;
    header.family = Family::kUnspec;
    header.length = length;
    return header;
  }
  Family family;
  if (protocol == "TCP4") {
    family = Family::kTcp4;
  } else if (protocol == "TCP6") {
    family = Family::kTcp6;
  } else if (protocol.empty()) {
    return v1Malformed("empty field (double or trailing space)");
  } else {
    return v1Malformed("unknown protocol");
  }
  if (space == std::string_view::npos) return v1Malformed("too few fields");
  return parseTcpLine(rest.substr(space + 1), family, length);
}

}  // namespace ctplab::proxy::proxy_protocol
