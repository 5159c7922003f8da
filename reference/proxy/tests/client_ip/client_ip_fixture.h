// Shared helpers for the client-IP tests: configs built through fromListener, addresses from
// literals, and the trace line that decided.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::client_ip::test_support {

inline IpAddress ip(std::string_view literal) {
  std::optional<IpAddress> a = IpAddress::parse(literal);
  EXPECT_TRUE(a.has_value()) << literal;
  return a.value_or(IpAddress{});
}

// Built through fromListener so every test also runs the IR mapping.
inline ClientIpConfig configFor(policy::ir::ClientIPDetection detection) {
  policy::ir::Listener l;
  l.name = "envoy-gateway/gw/http";
  l.protocol = "HTTP";
  l.client_ip_detection = std::move(detection);
  auto config = ClientIpConfig::fromListener(l);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
  return config.ok() ? config.value() : ClientIpConfig{};
}

inline ClientIpConfig noDetection() { return ClientIpConfig{}; }

inline ClientIpConfig directSourceIp() {
  policy::ir::ClientIPDetection d;
  d.direct_source_ip = true;
  return configFor(d);
}

inline ClientIpConfig trustedHops(uint32_t n, bool disable_append = false) {
  policy::ir::ClientIPDetection d;
  d.xff.emplace();
  d.xff->num_trusted_hops = n;
  if (disable_append) d.xff->disable_append = true;
  return configFor(d);
}

inline ClientIpConfig trustedCidrs(std::vector<std::string> cidrs) {
  policy::ir::ClientIPDetection d;
  d.xff.emplace();
  d.xff->trusted_cidrs = std::move(cidrs);
  return configFor(d);
}

// The ranges of Envoy Gateway's trusted-CIDR e2e test (spec 4.6.3, AZ-6..AZ-8).
inline ClientIpConfig e2eTrustedCidrs() {
  return trustedCidrs({"172.0.0.0/8", "10.0.0.0/8", "::/0"});
}

inline ClientIpConfig customHeader(std::string name, bool fail_closed) {
  policy::ir::ClientIPDetection d;
  d.custom_header = policy::ir::ClientIPDetection::CustomHeader{std::move(name), fail_closed};
  return configFor(d);
}

inline http1::HeaderList withXff(std::optional<std::string> value) {
  http1::HeaderList headers{{"host", "www.example.com"}};
  if (value) headers.push_back({"X-Forwarded-For", *value});
  return headers;
}

inline std::string lastStep(const Detection& d) { return d.trace.empty() ? "" : d.trace.back(); }

inline bool traceHas(const std::vector<std::string>& trace, std::string_view text) {
  for (const std::string& line : trace) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ctplab::proxy::client_ip::test_support
