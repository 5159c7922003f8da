// Filter settings from the policy engine's port plan: installed per port by OR over its
// listeners, `optional` from the first listener that enabled it (spec 3.2).
#include <gtest/gtest.h>

#include <string>

#include "ctplab/proxy/proxy_protocol/proxy_protocol_config.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

policy::ir::Listener listener(const std::string& name, uint32_t port,
                              std::optional<bool> proxy_protocol_optional) {
  policy::ir::Listener l;
  l.name = "ns/gw/" + name;
  l.protocol = "HTTP";
  l.port = port;
  if (proxy_protocol_optional)
    l.proxy_protocol = policy::ir::ProxyProtocol{*proxy_protocol_optional};
  return l;
}

TEST(ProxyProtocolConfig, DefaultsToNotInstalled) {
  const ProxyProtocolConfig config;
  EXPECT_FALSE(config.enabled);
  EXPECT_FALSE(config.optional);
  EXPECT_TRUE(config.allow_v1);
  EXPECT_TRUE(config.allow_v2);
  EXPECT_EQ(config.unsupported_family, UnsupportedFamily::kClose);
}

TEST(ProxyProtocolConfig, FromPortCopiesThePlansFlags) {
  policy::ProxyPort port;
  port.proxy_protocol = true;
  port.proxy_protocol_optional = true;
  EXPECT_TRUE(ProxyProtocolConfig::fromPort(port).enabled);
  EXPECT_TRUE(ProxyProtocolConfig::fromPort(port).optional);
  port.proxy_protocol = false;  // optional means nothing without the filter
  EXPECT_FALSE(ProxyProtocolConfig::fromPort(port).enabled);
  EXPECT_FALSE(ProxyProtocolConfig::fromPort(port).optional);
}

TEST(ProxyProtocolConfig, FromIrIsAnOrOverThePortsListeners) {
  policy::ir::Gateway gateway;
  gateway.listeners = {listener("plain", 10080, std::nullopt),  // first on 10080: no PROXY
                       listener("pp", 10080, true),             // enables it, optional
                       listener("pp-strict", 10080, false),     // later: its optional is ignored
                       listener("other", 8080, std::nullopt)};
  const auto shared = ProxyProtocolConfig::fromIr(gateway, 10080);
  ASSERT_TRUE(shared.has_value());
  EXPECT_TRUE(shared->enabled);
  EXPECT_TRUE(shared->optional);

  const auto other = ProxyProtocolConfig::fromIr(gateway, 8080);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->enabled);
  EXPECT_FALSE(ProxyProtocolConfig::fromIr(gateway, 9999).has_value());
}

TEST(ProxyProtocolConfig, EnableProxyProtocolShapeIsRequired) {
  policy::ir::Gateway gateway;
  gateway.listeners = {listener("a", 10443, false), listener("b", 10443, true)};
  const auto config = ProxyProtocolConfig::fromIr(gateway, 10443);
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(config->enabled);
  EXPECT_FALSE(config->optional);  // the first enabling listener decides
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
