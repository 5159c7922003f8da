// v2 per HAProxy's proxy-protocol.txt section 2.2. Every check looks at fixed offsets, so a
// verdict is reached as soon as the bytes it depends on are present and never changes later.
#include "v2_parser.h"

#include <optional>
#include <string>
#include <utility>

#include "address_bytes.h"
#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

constexpr size_t kVersionCommandOffset = 12;
constexpr size_t kFamilyOffset = 13;
constexpr size_t kLengthOffset = 14;
constexpr size_t kTlvHeaderLength = 3;  // type, 16-bit length

Malformed v2Malformed(std::string reason) { return Malformed{Version::kV2, std::move(reason)}; }

struct FamilyByte {
  Family family;
  size_t address_block;  // bytes of addresses and ports that precede the TLVs
  bool dgram;
};

// The seven combinations the spec defines; every other value "must be rejected as invalid".
std::optional<FamilyByte> decodeFamily(uint8_t byte) {
  switch (byte) {
    case 0x00:
      return FamilyByte{Family::kUnspec, 0, false};
    case 0x11:
      return FamilyByte{Family::kTcp4, 12, false};
    case 0x12:
      return FamilyByte{Family::kTcp4, 12, true};
    case 0x21:
      return FamilyByte{Family::kTcp6, 36, false};
    case 0x22:
      return FamilyByte{Family::kTcp6, 36, true};
    case 0x31:
      return FamilyByte{Family::kUnix, 216, false};
    case 0x32:
      return FamilyByte{Family::kUnix, 216, true};
    default:
      return std::nullopt;
  }
}

const uint8_t* at(std::string_view bytes, size_t offset) {
  return reinterpret_cast<const uint8_t*>(bytes.data()) + offset;
}

// Each TLV's header and value must fit in what is left of the declared length.
std::optional<std::string> walkTlvs(std::string_view tlvs, size_t& count) {
  size_t i = 0;
  while (i < tlvs.size()) {
    if (tlvs.size() - i < kTlvHeaderLength) return "TLV header overruns the header length";
    const size_t value_length = readBigEndian16(at(tlvs, i + 1));
    i += kTlvHeaderLength;
    if (tlvs.size() - i < value_length) return "TLV value overruns the header length";
    i += value_length;
    ++count;
  }
  return std::nullopt;
}

void readAddresses(std::string_view block, Family family, ParsedHeader& header) {
  const IpAddress::Family ip_family =
      family == Family::kTcp4 ? IpAddress::Family::kV4 : IpAddress::Family::kV6;
  const size_t width = family == Family::kTcp4 ? 4 : 16;
  const IpAddress source = ipFromBytes(at(block, 0), ip_family);
  const IpAddress destination = ipFromBytes(at(block, width), ip_family);
  header.source = Endpoint{source, readBigEndian16(at(block, 2 * width))};
  header.destination = Endpoint{destination, readBigEndian16(at(block, 2 * width + 2))};
}

}  // namespace

ParseResult parseV2(std::string_view bytes) {
  if (bytes.size() <= kVersionCommandOffset) return NeedMoreBytes{1};
  const uint8_t version_command = *at(bytes, kVersionCommandOffset);
  if ((version_command >> 4) != 2) return v2Malformed("unsupported version");
  const uint8_t command_bits = version_command & 0x0f;
  if (command_bits > 1) return v2Malformed("unsupported command");
  const Command command = command_bits == 0 ? Command::kLocal : Command::kProxy;

  if (bytes.size() <= kFamilyOffset) return NeedMoreBytes{1};
  const std::optional<FamilyByte> family = decodeFamily(*at(bytes, kFamilyOffset));
  // LOCAL: the receiver discards the whole block, family byte included (HAProxy's section 2.2),
  // as Envoy does; only PROXY needs a family it can read.
  if (command == Command::kProxy) {
    if (!family) return v2Malformed("invalid family/transport byte");
    if (family->dgram) return v2Malformed("unsupported transport DGRAM on a TCP listener");
  }

  if (bytes.size() < kV2FixedLength) return NeedMoreBytes{kV2FixedLength - bytes.size()};
  const size_t declared = readBigEndian16(at(bytes, kLengthOffset));
  if (command == Command::kProxy && declared < family->address_block) {
    return v2Malformed("length shorter than the address block");
  }
  const size_t total = kV2FixedLength + declared;
  if (bytes.size() < total) return NeedMoreBytes{total - bytes.size()};

  ParsedHeader header;
  header.version = Version::kV2;
  header.command = command;
  header.family = family ? family->family : Family::kUnspec;
  header.length = total;
  if (command == Command::kLocal) return header;

  const std::string_view block = bytes.substr(kV2FixedLength, family->address_block);
  if (auto error = walkTlvs(
          bytes.substr(kV2FixedLength + family->address_block, declared - family->address_block),
          header.tlv_count)) {
    return v2Malformed(*error);
  }
  if (family->family == Family::kTcp4 || family->family == Family::kTcp6) {
    readAddresses(block, family->family, header);
    if (!isUnicast(header.source->address)) return v2Malformed("source address is not unicast");
    if (!isUnicast(header.destination->address)) {
      return v2Malformed("destination address is not unicast");
    }
  }
  return header;
}

}  // namespace ctplab::proxy::proxy_protocol
