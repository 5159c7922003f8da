// Go's net.ParseCIDR as Envoy Gateway's translator uses it: accepts "addr/len", masks host bits
// and prints the network the way Go does. Internal to the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ctplab::policy {

struct CIDRMatch {
  std::string cidr;  // masked network, Go's IPNet.String() (e.g. "192.168.1.0/24")
  uint32_t mask_len = 0;
  bool is_ipv6 = false;  // false for IPv4 and IPv4-mapped IPv6 addresses, as Go's To4() decides
};

// nullopt when Go would fail with "invalid CIDR address: <text>".
std::optional<CIDRMatch> parseCIDR(const std::string& text);

}  // namespace ctplab::policy
