// Counter scopes and port-level settings (spec sections 3.2 and 3.3).
#include "ctplab/policy/port_plan.h"

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

TEST(PortPlan, HttpListenersShareOneCounterPerPortHttpsEachHaveOne) {
  auto r = testing::runYaml(
      testing::gatewayWithListeners(R"(
  - {name: a, protocol: HTTP, port: 80, hostname: a.example.com}
  - {name: b, protocol: HTTP, port: 80, hostname: b.example.com}
  - {name: c, protocol: HTTP, port: 81}
  - {name: t, protocol: TCP, port: 9000}
)") + testing::policy(
          "p", "2026-01-01T00:00:00Z",
          "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]\n"
          "  connection: {connectionLimit: {value: 3, closeDelay: 10s}}\n"
          "  proxyProtocol: {optional: true}"));
  ASSERT_EQ(r.result.irs.size(), 1u);
  auto ports = planPorts(r.result.irs[0]);
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_EQ(ports[0].port, 10080u);
  EXPECT_EQ(ports[0].settings_owner, "ns/gw/a");
  ASSERT_EQ(ports[0].counters.size(), 1u);
  EXPECT_EQ(ports[0].counters[0].id, "http-10080");
  EXPECT_EQ(ports[0].counters[0].listeners, (std::vector<std::string>{"ns/gw/a", "ns/gw/b"}));
  EXPECT_EQ(*ports[0].counters[0].limit, 3u);
  EXPECT_EQ(*ports[0].counters[0].close_delay, Duration::seconds(10));
  EXPECT_TRUE(ports[0].proxy_protocol);
  EXPECT_TRUE(ports[0].proxy_protocol_optional);
  EXPECT_EQ(ports[1].counters[0].id, "http-10081");
  ASSERT_EQ(ports[2].counters.size(), 1u);
  EXPECT_EQ(ports[2].counters[0].stat_prefix, "tcp-9000");
}

}  // namespace
}  // namespace ctplab::policy
