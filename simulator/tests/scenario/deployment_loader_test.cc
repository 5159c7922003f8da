// The scenario loader's `gateway` (name, replicas, load balancer), `rateLimitService` and
// `faults`: what they decode into and the diagnostics for mistakes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/simulator/scenario/scenario_loader.h"
#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

using loader_test::joined;
using loader_test::load;

const std::string kPop = "name: t\npopulations:\n  - name: a\n";

TEST(DeploymentLoader, DefaultsAreOneReplicaAndNoService) {
  auto r = load(kPop);
  ASSERT_TRUE(r.ok()) << joined(r);
  EXPECT_EQ(r.scenario.replicas.replicas, 1u);
  EXPECT_EQ(r.scenario.replicas.balancing, GatewayReplicas::Balancing::kRoundRobin);
  EXPECT_FALSE(r.scenario.rate_limit_service);
  EXPECT_TRUE(r.scenario.faults.empty());
}

TEST(DeploymentLoader, GatewayTakesANameOrAMapping) {
  auto plain = load(kPop + "gateway: shop/edge\n");
  ASSERT_TRUE(plain.ok()) << joined(plain);
  EXPECT_EQ(plain.scenario.gateway, "shop/edge");
  auto mapping =
      load(kPop + "gateway: {name: shop/edge, replicas: 3, loadBalancer: sourceIpHash}\n");
  ASSERT_TRUE(mapping.ok()) << joined(mapping);
  EXPECT_EQ(mapping.scenario.gateway, "shop/edge");
  EXPECT_EQ(mapping.scenario.replicas.replicas, 3u);
  EXPECT_EQ(mapping.scenario.replicas.balancing, GatewayReplicas::Balancing::kSourceIpHash);
  auto unnamed = load(kPop + "gateway: {replicas: 2, loadBalancer: leastConnections}\n");
  ASSERT_TRUE(unnamed.ok()) << joined(unnamed);
  EXPECT_EQ(unnamed.scenario.gateway, "");
  EXPECT_EQ(unnamed.scenario.replicas.balancing, GatewayReplicas::Balancing::kLeastConnections);
}

TEST(DeploymentLoader, ServiceAndFaults) {
  auto r = load(kPop +
                "duration: 30s\n"
                "rateLimitService: {roundTrip: {distribution: uniform, min: 1ms, max: 3ms},\n"
                "                   timeout: 50ms}\n"
                "faults:\n"
                "  - {kind: rateLimitServiceDown, from: 10s, to: 20s}\n"
                "  - {kind: rateLimitServiceDown, from: 25s}\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_TRUE(r.scenario.rate_limit_service);
  EXPECT_EQ(r.scenario.rate_limit_service->round_trip.kind, DurationDistribution::Kind::kUniform);
  EXPECT_EQ(r.scenario.rate_limit_service->timeout, Duration::milliseconds(50));
  ASSERT_EQ(r.scenario.faults.size(), 2u);
  EXPECT_EQ(r.scenario.faults[0].from, Duration::seconds(10));
  EXPECT_EQ(r.scenario.faults[0].to, Duration::seconds(20));
  EXPECT_EQ(r.scenario.faults[1].to, Duration::seconds(30));  // until the end of the run
}

TEST(DeploymentLoader, MistakesNameTheField) {
  struct Case {
    std::string text, expected;
  };
  for (const auto& c : std::vector<Case>{
           {kPop + "gateway: {replicas: 0}\n", "error: gateway.replicas:"},
           {kPop + "gateway: {replicas: 2, loadBalancer: random}\n",
            "error: gateway.loadBalancer: unknown load balancer \"random\"; expected roundRobin, "
            "leastConnections or sourceIpHash"},
           {kPop + "gateway: {name: edge}\n",
            "error: gateway.name: expected <namespace>/<name>, found \"edge\""},
           {kPop + "gateway: {replica: 2}\n", "error: gateway.replica: unknown field"},
           {kPop + "rateLimitService: {timeout: 0}\n", "error: rateLimitService.timeout:"},
           {kPop + "faults:\n  - {kind: backendDown, from: 1s, to: 2s}\n",
            "error: faults[0].kind: unknown fault kind \"backendDown\"; expected "
            "rateLimitServiceDown"},
           {kPop + "faults:\n  - {kind: rateLimitServiceDown, from: 5s, to: 2s}\n",
            "error: faults[0].to: must come after from (5s)"},
           {kPop + "faults:\n  - {from: 5s}\n", "error: faults[0].kind: missing required field"},
       }) {
    auto r = load(c.text);
    EXPECT_FALSE(r.ok()) << c.text;
    EXPECT_NE(joined(r).find(c.expected), std::string::npos) << joined(r);
  }
}

}  // namespace
}  // namespace ctplab::sim::scenario
