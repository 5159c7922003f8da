// ir::Listener → ClientIpConfig: the CTP's clientIPDetection as Envoy Gateway hands it to Envoy.
#include "ctplab/proxy/client_ip/client_ip_config.h"

#include <string>

namespace ctplab::proxy::client_ip {
namespace {

namespace ir = policy::ir;

bool validHeaderName(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<ClientIpConfig> fromXff(const ir::ClientIPDetection::XForwardedFor& xff) {
  ClientIpConfig c;
  c.disable_xff_append = xff.disable_append.value_or(false);
  if (xff.trusted_cidrs) {
    if (xff.trusted_cidrs->empty()) return Error{"xForwardedFor.trustedCIDRs is empty"};
    c.mode = Mode::kTrustedCidrs;
    for (const std::string& text : *xff.trusted_cidrs) {
      // Envoy Gateway reads these with Go's net.ParseCIDR, which wants the prefix length.
      std::optional<IpCidr> cidr;
      if (text.find('/') != std::string::npos) cidr = IpCidr::parse(text);
      if (!cidr) return Error{"xForwardedFor.trustedCIDRs: \"" + text + "\" is not a CIDR"};
      c.trusted_cidrs.push_back(*cidr);
    }
    return c;
  }
  if (!xff.num_trusted_hops) {
    return Error{"xForwardedFor sets neither numTrustedHops nor trustedCIDRs"};
  }
  c.mode = Mode::kNumTrustedHops;
  c.num_trusted_hops = *xff.num_trusted_hops;
  c.hops_to_skip = c.num_trusted_hops > 0 ? c.num_trusted_hops - 1 : 0;
  return c;
}

}  // namespace

Result<ClientIpConfig> ClientIpConfig::fromListener(const ir::Listener& listener) {
  if (!listener.isHTTP()) {
    return Error{"listener " + listener.name + " has protocol " + listener.protocol +
                 "; only HTTP and HTTPS listeners detect client IPs"};
  }
  ClientIpConfig c;
  if (!listener.client_ip_detection) return c;
  const ir::ClientIPDetection& d = *listener.client_ip_detection;
  if (d.custom_header) {
    if (!validHeaderName(d.custom_header->name)) {
      return Error{"customHeader.name \"" + d.custom_header->name +
                   "\" is not 1..255 characters of [A-Za-z0-9-]"};
    }
    c.mode = Mode::kCustomHeader;
    c.custom_header = d.custom_header->name;
    c.fail_closed = d.custom_header->fail_closed.value_or(false);
    return c;
  }
  if (d.xff) return fromXff(*d.xff);
  if (d.direct_source_ip) c.mode = Mode::kDirectSourceIp;
  return c;
}

}  // namespace ctplab::proxy::client_ip
