#include "ctplab/proxy/proxy_protocol/writer.h"

#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

void appendBe16(std::string& out, uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xff);
}

void appendAddress(std::string& out, const IpAddress& address) {
  const size_t n = address.family() == IpAddress::Family::kV4 ? 4 : 16;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>(address.bytes()[i]);
}

}  // namespace

std::string writeHeader(Version version, const Endpoint& source, const Endpoint& destination) {
  const bool same_family = source.address.family() == destination.address.family();
  const bool v4 = source.address.family() == IpAddress::Family::kV4;
  if (version == Version::kV1) {
    if (!same_family) return "PROXY UNKNOWN\r\n";
    return std::string(kV1Signature) + (v4 ? "TCP4 " : "TCP6 ") + source.address.toString() + " " +
           destination.address.toString() + " " + std::to_string(source.port) + " " +
           std::to_string(destination.port) + "\r\n";
  }
  std::string out(kV2Signature);
  if (!same_family) {
    out += static_cast<char>(0x20);  // version 2, LOCAL
    out += static_cast<char>(0x00);  // AF_UNSPEC
    appendBe16(out, 0);
    return out;
  }
  out += static_cast<char>(0x21);              // version 2, PROXY
  out += static_cast<char>(v4 ? 0x11 : 0x21);  // AF_INET / AF_INET6, STREAM
  appendBe16(out, v4 ? 12 : 36);
  appendAddress(out, source.address);
  appendAddress(out, destination.address);
  appendBe16(out, source.port);
  appendBe16(out, destination.port);
  return out;
}

}  // namespace ctplab::proxy::proxy_protocol
