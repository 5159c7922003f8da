// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`): parsing, membership, and
// the n-th address of the range, shared by address pools, allow/deny lists and trusted CIDRs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/common/ip_address.h"

namespace ctplab {

class IpCidr {
 public:
  // "addr/len" with len ≤ 32 (IPv4) or ≤ 128 (IPv6). A bare address is a /32 or /128. Host bits
  // may be set (as Go's net.ParseCIDR accepts); they are cleared.
  static std::optional<IpCidr> parse(std::string_view text);

  const IpAddress& network() const { return network_; }
  int prefixLength() const { return prefix_; }
  IpAddress::Family family() const { return network_.family(); }
  bool contains(const IpAddress& address) const;
  // Addresses in the range, saturated at 2^64 (a /0 IPv6 range has more).
  uint64_t size() const;
  // The address at `index` from the start of the range, wrapping modulo size().
  IpAddress addressAt(uint64_t index) const;
  std::string toString() const;

 private:
  IpAddress network_;
  int prefix_ = 0;
};

}  // namespace ctplab
