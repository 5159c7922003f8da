#include "ctplab/live/gateway_plan.h"

#include <gtest/gtest.h>

#include "ir_fixture.h"

namespace ctplab::live {
namespace {

TEST(GatewayPlan, PlainHttpPortIsServedWithItsPortLevelSettings) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  ASSERT_EQ(t->result.irs.size(), 1u);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const GatewayPlan& p = plan.value();
  const PlannedPort* http = nullptr;
  for (const auto& port : p.ports()) {
    if (port.gateway_port == 80) http = &port;
  }
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(http->proxy_port, 10080u);
  EXPECT_FALSE(http->unsupported.has_value());
  EXPECT_TRUE(http->proxy_protocol.enabled);
  EXPECT_FALSE(http->proxy_protocol.optional);
  ASSERT_TRUE(http->keepalive.has_value());
  EXPECT_EQ(http->keepalive->idle_time_s, 60u);
  EXPECT_EQ(http->inspection_timeout, Duration::seconds(15));  // the default
  EXPECT_EQ(http->address_label, "0.0.0.0_10080");
  const int chain = p.chainListener(*http);
  ASSERT_GE(chain, 0);
  const PlannedListener& l = p.listeners()[static_cast<size_t>(chain)];
  EXPECT_EQ(l.ir->name, "default/gw/http");
  EXPECT_EQ(l.stat_prefix, "http-10080");
  EXPECT_TRUE(l.flow.has_value());
  EXPECT_NE(l.codec, nullptr);
  EXPECT_EQ(p.listenerForHost(*http, "anything.example:10080"), chain);
}

TEST(GatewayPlan, HttpsPortTerminatesTlsAndChoosesItsChainByServerName) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  int https_ports = 0;
  for (const auto& port : plan.value().ports()) {
    if (port.gateway_port != 443) continue;
    ++https_ports;
    EXPECT_FALSE(port.unsupported.has_value());
    EXPECT_TRUE(port.tls);
    const int chain = plan.value().chainListener(port, "www.example.com");
    ASSERT_GE(chain, 0);
    const auto& listener = plan.value().listeners()[static_cast<size_t>(chain)];
    ASSERT_NE(listener.tls_context, nullptr);
    // Envoy Gateway's HTTPS default: h2 preferred, HTTP/1.1 after it.
    EXPECT_EQ(listener.tls_context->alpn(), (std::vector<std::string>{"h2", "http/1.1"}));
  }
  EXPECT_EQ(https_ports, 1);
}

TEST(GatewayPlan, StatPrefixesFollowEnvoyGatewayNaming) {
  policy::ir::Listener l;
  l.protocol = "HTTP";
  l.port = 10080;
  EXPECT_EQ(hcmStatPrefix(l), "http-10080");
  l.protocol = "HTTPS";
  l.port = 10443;
  EXPECT_EQ(hcmStatPrefix(l), "https-10443");
  l.protocol = "TCP";
  l.port = 9000;
  EXPECT_EQ(hcmStatPrefix(l), "tcp-9000");
}

}  // namespace
}  // namespace ctplab::live
