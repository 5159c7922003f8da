// The load balancer in front of the replicas: round robin, least connections with ties to the
// lowest index, and a fixed source-address hash.
#include "ctplab/simulator/gateway/load_balancer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctplab::sim::gateway {
namespace {

using Balancing = scenario::GatewayReplicas::Balancing;

IpAddress ip(const std::string& text) { return *IpAddress::parse(text); }

TEST(LoadBalancer, RoundRobinTakesTurns) {
  LoadBalancer lb(Balancing::kRoundRobin, 3);
  std::vector<uint32_t> picks;
  for (int i = 0; i < 7; ++i) picks.push_back(lb.pick(ip("10.0.0.1")));
  EXPECT_EQ(picks, (std::vector<uint32_t>{0, 1, 2, 0, 1, 2, 0}));
  EXPECT_EQ(lb.picked(0), 3u);
  EXPECT_EQ(lb.open(1), 2u);
}

TEST(LoadBalancer, LeastConnectionsPicksTheEmptiestAndTiesGoLow) {
  LoadBalancer lb(Balancing::kLeastConnections, 3);
  const IpAddress a = ip("10.0.0.1");
  EXPECT_EQ(lb.pick(a), 0u);
  EXPECT_EQ(lb.pick(a), 1u);
  EXPECT_EQ(lb.pick(a), 2u);
  EXPECT_EQ(lb.pick(a), 0u);  // all at 1: the lowest index
  lb.release(1);
  EXPECT_EQ(lb.pick(a), 1u);  // the only one at 0
  lb.release(0);
  lb.release(0);
  lb.release(2);
  EXPECT_EQ(lb.pick(a), 0u);  // 0 and 2 both empty: the lower
  EXPECT_EQ(lb.pick(a), 2u);
  EXPECT_EQ(lb.open(0), 1u);
  EXPECT_EQ(lb.open(1), 1u);
  EXPECT_EQ(lb.open(2), 1u);
}

TEST(LoadBalancer, SourceHashIsFixedAndSticky) {
  // FNV-1a of {4, 10, 0, 0, 1}: the same on every platform and in every run.
  EXPECT_EQ(sourceHash(ip("10.0.0.1")), 8205781039922063734ull);
  EXPECT_EQ(sourceHash(ip("2001:db8::1")), 2711411742719318128ull);
  LoadBalancer lb(Balancing::kSourceIpHash, 3);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(lb.pick(ip("10.0.0.1")), 1u);
  // Many sources spread over every replica.
  LoadBalancer spread(Balancing::kSourceIpHash, 3);
  for (int i = 0; i < 3000; ++i) {
    spread.pick(ip("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)));
  }
  for (uint32_t r = 0; r < 3; ++r) {
    EXPECT_GT(spread.picked(r), 800u) << "replica " << r;
    EXPECT_LT(spread.picked(r), 1200u) << "replica " << r;
  }
}

TEST(LoadBalancer, OneReplicaTakesEverything) {
  for (auto b : {Balancing::kRoundRobin, Balancing::kLeastConnections, Balancing::kSourceIpHash}) {
    LoadBalancer lb(b, 1);
    EXPECT_EQ(lb.pick(ip("192.0.2.1")), 0u);
    EXPECT_EQ(lb.pick(ip("2001:db8::2")), 0u);
  }
}

}  // namespace
}  // namespace ctplab::sim::gateway
