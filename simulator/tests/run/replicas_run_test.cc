// Several gateway replicas behind a load balancer: per-replica connection limits (spec 4.1:
// counting is per replica), the balancer's choices, per-replica and summed results.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

#include "ctplab/common/ip_address.h"
#include "ctplab/simulator/gateway/load_balancer.h"
#include "ctplab/simulator/run/result_output.h"
#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

const std::string kActive = "connection_limit.http-10080.active_connections";
const std::string kLimited = "connection_limit.http-10080.limited_connections";
const std::string kAccepted = "listener.0.0.0.0_10080.downstream_cx_total";

std::string flood(const std::string& gateway) {
  return R"(name: replicas-flood
duration: 10s
)" + gateway +
         R"(resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 100
)") + R"(populations:
  - name: bots
    clients: 1000
    arrival: {process: constant, rate: 1000/s}
    source: {cidr: 198.51.100.0/22}
    behavior: {kind: hold, holdFor: 60s}
)";
}

uint64_t replicaStat(const RunResult& r, size_t replica, const std::string& name) {
  const auto& stats = r.replicas.at(replica).stats;
  auto it = stats.find(name);
  return it == stats.end() ? 0 : it->second;
}

TEST(ReplicasRun, ConnectionLimitIsPerReplica) {
  auto one = runScenarioText(flood(""));
  auto three = runScenarioText(flood("gateway: {replicas: 3, loadBalancer: roundRobin}\n"));
  ASSERT_TRUE(one && three);
  EXPECT_EQ(population(*one, "bots").connections.admitted, 100u);
  EXPECT_TRUE(one->replicas.empty());
  // Each replica counts its own 100: the flood holds 300 at once.
  const auto& bots = population(*three, "bots");
  EXPECT_EQ(bots.connections.admitted, 300u);
  EXPECT_EQ(bots.connections.limited, 700u);
  ASSERT_EQ(three->replicas.size(), 3u);
  EXPECT_EQ(three->load_balancer, "roundRobin");
  const uint64_t sent[3] = {334, 333, 333};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(three->replicas[i].connections, sent[i]);
    EXPECT_EQ(replicaStat(*three, i, kActive), 100u);
    EXPECT_EQ(replicaStat(*three, i, kLimited), sent[i] - 100);
    EXPECT_EQ(replicaStat(*three, i, kAccepted), sent[i]);
    EXPECT_GE(three->replicas[i].peak_active_connections, 100u);
  }
  // The top-level stats are the replicas' sums.
  EXPECT_EQ(stat(*three, kActive), 300u);
  EXPECT_EQ(stat(*three, kLimited), 700u);
  EXPECT_EQ(stat(*three, kAccepted), 1000u);
  EXPECT_GE(three->peak_active_connections, 300u);
  const std::string text = resultToText(*three);
  EXPECT_NE(text.find("replicas 3 (roundRobin): connections 334/333/333"), std::string::npos)
      << text;
}

TEST(ReplicasRun, SourceIpHashKeepsEachClientOnOneReplica) {
  std::string yaml = R"(name: replicas-source-hash
duration: 20s
gateway: {replicas: 3, loadBalancer: sourceIpHash}
resources:
  - file: ../resources/shared-http-port.yaml
populations:
)";
  const char* addresses[] = {"203.0.113.7", "203.0.113.8", "203.0.113.9", "198.51.100.20",
                             "2001:db8::1"};
  for (size_t i = 0; i < std::size(addresses); ++i) {
    yaml += "  - name: client-" + std::to_string(i) + "\n    source: {cidr: \"" + addresses[i] +
            "\"}\n    behavior: {kind: requests, connections: 12}\n";
  }
  auto r = runScenarioText(yaml);
  ASSERT_TRUE(r);
  uint64_t expected[3] = {0, 0, 0};
  for (size_t i = 0; i < std::size(addresses); ++i) {
    EXPECT_EQ(population(*r, "client-" + std::to_string(i)).requests.by_status.at(200), 12u);
    expected[gateway::sourceHash(*IpAddress::parse(addresses[i])) % 3] += 12;
  }
  ASSERT_EQ(r->replicas.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r->replicas[i].connections, expected[i]) << "replica " << i;
    EXPECT_EQ(replicaStat(*r, i, kAccepted), expected[i]) << "replica " << i;
  }
}

TEST(ReplicasRun, LeastConnectionsBalancesHeldConnections) {
  const std::string yaml = R"(name: replicas-least-connections
duration: 20s
gateway: {replicas: 3, loadBalancer: leastConnections}
resources:
  - file: ../resources/shared-http-port.yaml
populations:
  - name: holders
    clients: 60
    arrival: {process: constant, rate: 10/s}
    behavior: {kind: hold, holdFor: 60s}
  - name: passers-by
    clients: 400
    arrival: {process: poisson, rate: 50/s}
    source: {cidr: 198.51.100.0/24, assign: random}
    behavior: {kind: requests, requestsPerConnection: 2}
)";
  auto r = runScenarioText(yaml);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->replicas.size(), 3u);
  uint64_t lo = UINT64_MAX, hi = 0, total = 0;
  for (size_t i = 0; i < 3; ++i) {
    const uint64_t active = replicaStat(*r, i, "listener.0.0.0.0_10080.downstream_cx_active");
    lo = std::min(lo, active);
    hi = std::max(hi, active);
    total += active;
  }
  EXPECT_EQ(total, 60u);  // only the holders are left
  EXPECT_LE(hi - lo, 2u);
}

TEST(ReplicasRun, SameSeedGivesByteIdenticalJson) {
  const std::string yaml = R"(name: replicas-determinism
duration: 10s
gateway: {replicas: 4, loadBalancer: sourceIpHash}
network: {latency: 5ms, jitter: 3ms, loss: 0.01}
host: {workers: 2, requestCost: 50us}
outputs: {records: true}
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 20
            closeDelay: 500ms
)") + R"(populations:
  - name: bots
    clients: 500
    arrival: {process: poisson, rate: 100/s}
    source: {cidr: 198.51.100.0/24, assign: random}
    behavior: {kind: hold, holdFor: 2s}
    retry: {maxAttempts: 3, backoff: 200ms}
  - name: users
    clients: 200
    arrival: {process: poisson, rate: 40/s}
    source: {cidr: 10.1.0.0/16, assign: random}
    target: {host: api.example.com}
    behavior: {kind: requests, requestsPerConnection: 3}
)";
  auto a = runScenarioText(yaml, 11);
  auto b = runScenarioText(yaml, 11);
  ASSERT_TRUE(a && b);
  const std::string ja = resultToJson(*a);
  EXPECT_EQ(ja, resultToJson(*b));
  EXPECT_NE(ja.find("\"replicas\": ["), std::string::npos);
  EXPECT_NE(ja.find("\"load_balancer\": \"sourceIpHash\""), std::string::npos);
}

}  // namespace
}  // namespace ctplab::sim::run::testing
