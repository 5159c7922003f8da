// Rate limits across gateway replicas: local buckets are per replica (Envoy keeps them per
// process), so a balancer that ignores the client's address multiplies a per-IP limit by the
// replica count; source-IP hashing or a global limit (one service all replicas ask) does not.
#include <gtest/gtest.h>

#include <string>

#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

constexpr const char* kLocal = "scenarios/ratelimit/per-ip-limit-three-replicas.yaml";
constexpr const char* kGlobal = "scenarios/ratelimit/per-ip-global-limit-three-replicas.yaml";

uint64_t ok(const RunResult& r) {
  const auto& by_status = population(r, "one-address").requests.by_status;
  auto it = by_status.find(200);
  return it == by_status.end() ? 0 : it->second;
}

std::string withBalancer(const std::string& balancer) {
  return R"(name: per-ip-limit-balanced
duration: 10s
gateway: {name: shop/edge, replicas: 3, loadBalancer: )" +
         balancer + R"(}
resources:
  - file: ../resources/shared-http-port.yaml
  - inline: |
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: BackendTrafficPolicy
      metadata: {name: per-ip, namespace: shop}
      spec:
        targetRefs:
        - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: api}
        rateLimit:
          type: Local
          local:
            rules:
            - clientSelectors:
              - sourceCIDR: {type: Distinct, value: 0.0.0.0/0}
              limit: {requests: 10, unit: Second}
populations:
  - name: one-address
    clients: 500
    arrival: {process: constant, rate: 50/s}
    source: {cidr: 203.0.113.7/32}
    target: {host: api.example.com}
    behavior: {kind: requests}
)";
}

// 50 requests/s from one address for 10 s against 10 requests/s per IP. A full bucket holds 10
// and refills 10 per second, so one replica lets through at most 10 + 10 × 10 = 110.
TEST(RateLimitReplicas, RoundRobinGivesEachReplicaItsOwnPerIpBucket) {
  auto r = runScenarioFile(kLocal);
  ASSERT_TRUE(r);
  // Each replica sees ~16.7 requests/s: about 30/s get through in all, at most 3 × 110.
  EXPECT_EQ(ok(*r), 327u);
  EXPECT_EQ(stat(*r, "http_local_rate_limiter.http_local_rate_limit.enforced"), 500u - 327u);
  ASSERT_EQ(r->replicas.size(), 3u);
  for (const auto& replica : r->replicas) {
    const auto it = replica.stats.find("http_local_rate_limiter.http_local_rate_limit.ok");
    ASSERT_NE(it, replica.stats.end());
    EXPECT_LE(it->second, 110u);
    EXPECT_GE(it->second, 100u);
  }
  // Least-connections ignores the address as well (every connection ends before the next).
  auto least = runScenarioText(withBalancer("leastConnections"));
  ASSERT_TRUE(least);
  EXPECT_EQ(ok(*least), 109u) << "one short connection at a time always finds replica 0 idle";
}

TEST(RateLimitReplicas, SourceIpHashKeepsTheAddressOnOneBucket) {
  auto r = runScenarioText(withBalancer("sourceIpHash"));
  ASSERT_TRUE(r);
  EXPECT_EQ(ok(*r), 109u);  // 10 per second and the initial burst: at most 110
}

TEST(RateLimitReplicas, GlobalLimitIsSharedByEveryReplica) {
  auto r = runScenarioFile(kGlobal);
  ASSERT_TRUE(r);
  // Fixed one-second windows: exactly 10 in each of the 10 windows, whichever replica asks.
  EXPECT_EQ(ok(*r), 100u);
  EXPECT_EQ(stat(*r, "ratelimit.over_limit"), 400u);
  ASSERT_TRUE(r->rate_limit_service);
  EXPECT_EQ(r->rate_limit_service->checks, 500u);
}

TEST(RateLimitReplicas, LimiterOutageFailsOpen) {
  std::string yaml = R"(name: limiter-outage
duration: 10s
gateway: {name: shop/edge, replicas: 3, loadBalancer: roundRobin}
rateLimitService: {roundTrip: 1ms, timeout: 20ms}
faults: [{kind: rateLimitServiceDown, from: 5s, to: 10s}]
resources:
  - file: ../resources/shared-http-port.yaml
  - file: ../ratelimit/per-ip-global-policy.yaml
populations:
  - name: one-address
    clients: 500
    arrival: {process: constant, rate: 50/s}
    source: {cidr: 203.0.113.7/32}
    target: {host: api.example.com}
    behavior: {kind: requests}
)";
  auto r = runScenarioText(yaml);
  ASSERT_TRUE(r);
  // 5 windows of 10 while the service answers, then every request passes: 50 + 250.
  EXPECT_EQ(ok(*r), 300u);
  EXPECT_EQ(stat(*r, "ratelimit.failure_mode_allowed"), 250u);
}

}  // namespace
}  // namespace ctplab::sim::run::testing
