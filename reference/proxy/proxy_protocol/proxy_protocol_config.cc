// Port plan → filter settings: the policy engine already applied the port-level OR (spec 3.2).
#include "ctplab/proxy/proxy_protocol/proxy_protocol_config.h"

namespace ctplab::proxy::proxy_protocol {

ProxyProtocolConfig ProxyProtocolConfig::fromPort(const policy::ProxyPort& port) {
  ProxyProtocolConfig config;
  config.enabled = port.proxy_protocol;
  config.optional = port.proxy_protocol && port.proxy_protocol_optional;
  return config;
}

std::optional<ProxyProtocolConfig> ProxyProtocolConfig::fromIr(const policy::ir::Gateway& gateway,
                                                               uint32_t proxy_port) {
  for (const auto& port : policy::planPorts(gateway)) {
    if (port.port == proxy_port) return fromPort(port);
  }
  return std::nullopt;
}

}  // namespace ctplab::proxy::proxy_protocol
