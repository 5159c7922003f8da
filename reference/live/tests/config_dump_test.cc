#include "ctplab/live/config_dump.h"

#include <gtest/gtest.h>

#include "ir_fixture.h"

namespace ctplab::live {
namespace {

TEST(ConfigDump, ListsListenersAndWhereEachPortListens) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok());
  const std::string yaml = configDumpYaml(plan.value(), {{0, "127.0.0.1", 41234}});
  EXPECT_NE(yaml.find("gateway: default/gw"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("name: default/gw/http"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("bound: 127.0.0.1:41234"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("proxyProtocol: required"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("notServed"), std::string::npos) << yaml;  // HTTP and HTTPS are served
}

}  // namespace
}  // namespace ctplab::live
