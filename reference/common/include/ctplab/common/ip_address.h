// A strong IPv4/IPv6 address type with literal parsing (no sockets, no resolver), shared by the
// policy engine and, later, client-IP detection and allow/deny matching.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctplab {

class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  // Parses a bare literal as Go's net.ParseIP does: dotted IPv4 without leading zeros, or IPv6
  // (with `::` and an optional trailing dotted IPv4). No port, brackets or zone.
  static std::optional<IpAddress> parse(std::string_view text);
  // From network-order bytes, as a socket API hands them over.
  static IpAddress v4(const std::array<uint8_t, 4>& bytes);
  static IpAddress v6(const std::array<uint8_t, 16>& bytes);

  Family family() const { return family_; }
  // Network-order bytes; IPv4 uses the first 4.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string toString() const;
  auto operator<=>(const IpAddress&) const = default;

 private:
  Family family_ = Family::kV4;
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace ctplab
