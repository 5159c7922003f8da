// `HOST:PORT` as options spell it (`127.0.0.1:9901`, `[::1]:9901`, `localhost:8080`): parsing
// and printing, no resolver.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctplab::live {

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
};

// The port must be 0..65535 in decimal; IPv6 literals need brackets. Empty hosts are refused.
std::optional<HostPort> parseHostPort(std::string_view text);

// `host:port`, with brackets around an IPv6 literal.
std::string formatHostPort(std::string_view host, uint16_t port);

}  // namespace ctplab::live
