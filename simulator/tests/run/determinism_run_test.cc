// Determinism of whole runs: the same scenario and seed give byte-identical JSON; another seed
// gives a different run.
#include <gtest/gtest.h>

#include "ctplab/simulator/run/result_output.h"
#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

const char* kScenario = R"(name: determinism
duration: 20s
outputs: {records: true}
network: {latency: 5ms, jitter: 3ms, loss: 0.01}
backend: {serviceTime: {distribution: lognormal, mean: 20ms, stddev: 10ms}, concurrency: 8}
resources:
  - file: ../resources/shared-http-port.yaml
  - inline: |
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: ClientTrafficPolicy
      metadata:
        name: limit
        namespace: shop
      spec:
        targetRefs:
        - group: gateway.networking.k8s.io
          kind: Gateway
          name: edge
        connection:
          connectionLimit:
            value: 50
            closeDelay: 1s
populations:
  - name: bots
    clients: 2000
    arrival: {process: poisson, rate: 200/s}
    source: {cidr: 198.51.100.0/24, assign: random}
    behavior: {kind: hold, holdFor: 5s}
    retry: {maxAttempts: 3, backoff: 200ms}
  - name: users
    clients: 300
    arrival: {process: ramp, from: 5/s, to: 30/s, over: 10s}
    target: {host: api.example.com}
    behavior: {kind: requests, requestsPerConnection: 3,
               thinkTime: {distribution: exponential, mean: 50ms}}
)";

TEST(DeterminismRun, SameSeedGivesByteIdenticalJson) {
  auto a = runScenarioText(kScenario, 7);
  auto b = runScenarioText(kScenario, 7);
  ASSERT_TRUE(a && b);
  const std::string ja = resultToJson(*a);
  EXPECT_EQ(ja, resultToJson(*b));
  EXPECT_GT(a->records.size(), 300u);
  EXPECT_GT(a->events, 10'000u);
}

TEST(DeterminismRun, AnotherSeedGivesAnotherRun) {
  auto a = runScenarioText(kScenario, 7);
  auto b = runScenarioText(kScenario, 8);
  ASSERT_TRUE(a && b);
  EXPECT_NE(resultToJson(*a), resultToJson(*b));
}

TEST(DeterminismRun, SchedulerChoiceDoesNotChangeTheResult) {
  auto loaded =
      scenario::loadScenarioText(kScenario, "s.yaml", CTPLAB_SOURCE_DIR "/scenarios/flood");
  ASSERT_TRUE(loaded.ok());
  policy::Diagnostics diags;
  std::vector<std::string> notes;
  auto gateway = prepareGateway(loaded.scenario, diags, notes);
  ASSERT_TRUE(gateway);
  std::string first;
  for (auto kind :
       {SchedulerKind::kLadderQueue, SchedulerKind::kQuaternaryHeap, SchedulerKind::kBinaryHeap}) {
    SimulateOptions options;
    options.scheduler = kind;
    auto r = simulate(loaded.scenario, *gateway, options);
    ASSERT_TRUE(r);
    const std::string json = resultToJson(r.value());
    if (first.empty()) {
      first = json;
    } else {
      EXPECT_EQ(json, first);
    }
  }
}

}  // namespace
}  // namespace ctplab::sim::run::testing
