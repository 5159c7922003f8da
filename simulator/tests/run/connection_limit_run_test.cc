// Scenario-level checks of the connection limit with exact expected counts (spec 3.3 and 4.1).
#include <gtest/gtest.h>

#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

TEST(ConnectionLimitRun, SixHeldConnectionsAgainstLimitThree) {
  auto r = runScenarioFile("scenarios/flood/limit-exact-counts.yaml");
  ASSERT_TRUE(r);
  const auto& www = population(*r, "www-holders");
  const auto& api = population(*r, "api-holders");
  EXPECT_EQ(www.connections.admitted, 3u);
  EXPECT_EQ(www.requests.by_status.at(200), 3u);
  EXPECT_EQ(www.hold_completed, 3u);
  // The other hostname shares the port's counter: all three are limited.
  EXPECT_EQ(api.connections.limited, 3u);
  EXPECT_EQ(api.connections.closed_by_server, 3u);
  EXPECT_EQ(api.requests.responses(), 0u);
  EXPECT_EQ(api.requests.closed, 3u);
  EXPECT_EQ(stat(*r, "connection_limit.http-10080.limited_connections"), 3u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_2xx"), 3u);
}

// Spec 4.1's example: rejected connections waiting out closeDelay hold slots.
TEST(ConnectionLimitRun, CloseDelayKeepsRejectedConnectionsCounted) {
  auto r = runScenarioText(R"(name: close-delay-example
duration: 30s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 3
            closeDelay: 10s
)") + R"(populations:
  - name: c1
    arrival: {process: trace, times: [0s]}
    behavior: {kind: hold, holdFor: 1s}
  - name: c2-c3
    arrival: {process: trace, times: [1ms, 2ms]}
    behavior: {kind: hold, holdFor: 100s}
  - name: c4
    arrival: {process: trace, times: [100ms]}
    behavior: {kind: hold, holdFor: 100s}
  - name: c5
    arrival: {process: trace, times: [2s]}
    behavior: {kind: hold, holdFor: 100s}
  - name: c6
    arrival: {process: trace, times: [10500ms]}
    behavior: {kind: hold, holdFor: 100s}
  - name: c7
    arrival: {process: trace, times: [21s]}
    behavior: {kind: hold, holdFor: 100s}
)");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "c1").connections.admitted, 1u);
  EXPECT_EQ(population(*r, "c2-c3").connections.admitted, 2u);
  EXPECT_EQ(population(*r, "c4").connections.limited, 1u);
  // c1 left at t=1s, but c4 still holds a slot until t≈10.1s: c5 is rejected.
  EXPECT_EQ(population(*r, "c5").connections.limited, 1u);
  // c4 is gone at t≈10.1s, yet c5 (rejected at 2s) holds its slot until t≈12s.
  EXPECT_EQ(population(*r, "c6").connections.limited, 1u);
  // c6's slot is free at t≈20.5s: c7 gets in.
  EXPECT_EQ(population(*r, "c7").connections.admitted, 1u);
  EXPECT_EQ(stat(*r, "connection_limit.http-10080.limited_connections"), 3u);
  // The gateway closes each rejected connection after closeDelay.
  EXPECT_EQ(population(*r, "c4").connections.closed_by_server, 1u);
  EXPECT_EQ(population(*r, "c6").connections.closed_by_server, 1u);
  // Still open at the end: c2, c3, c7.
  EXPECT_EQ(stat(*r, "connection_limit.http-10080.active_connections"), 3u);
}

TEST(ConnectionLimitRun, HttpsListenersOnOnePortCountSeparately) {
  auto r = runScenarioText(R"(name: https-separate-counters
duration: 10s
resources:
  - file: ../resources/two-https-listeners.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 2
)") + R"(populations:
  - name: www
    clients: 3
    target: {port: 443, host: www.example.com}
    behavior: {kind: hold, holdFor: 5s, sendRequest: true}
  - name: api
    clients: 2
    arrival: {process: burst, at: 1s}
    target: {port: 443, host: api.example.com}
    behavior: {kind: hold, holdFor: 5s, sendRequest: true}
)");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "www").connections.admitted, 2u);
  EXPECT_EQ(population(*r, "www").connections.limited, 1u);
  // A rejected TLS client has sent its ClientHello, which is never read: the close is a reset.
  EXPECT_EQ(population(*r, "www").connections.reset_by_server, 1u);
  EXPECT_EQ(population(*r, "api").connections.admitted, 2u);
  EXPECT_EQ(population(*r, "api").requests.by_status.at(200), 2u);
  EXPECT_EQ(stat(*r, "connection_limit.https-10443.limited_connections"), 1u);
}

TEST(ConnectionLimitRun, PlainHttpListenersOnOnePortShareOneCounter) {
  auto r = runScenarioText(R"(name: http-shared-counter
duration: 10s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 2
)") + R"(populations:
  - name: www
    clients: 3
    target: {port: 80, host: www.example.com}
    behavior: {kind: hold, holdFor: 5s, sendRequest: true}
  - name: api
    clients: 2
    arrival: {process: burst, at: 1s}
    target: {port: 80, host: api.example.com}
    behavior: {kind: hold, holdFor: 5s, sendRequest: true}
)");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "www").connections.admitted, 2u);
  EXPECT_EQ(population(*r, "api").connections.admitted, 0u);
  EXPECT_EQ(population(*r, "api").connections.limited, 2u);
  EXPECT_EQ(stat(*r, "connection_limit.http-10080.limited_connections"), 3u);
}

TEST(ConnectionLimitRun, RejectedClientsRetryWithBackoffUntilASlotFrees) {
  auto r = runScenarioText(R"(name: retry
duration: 30s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            value: 1
)") + R"(populations:
  - name: holder
    behavior: {kind: hold, holdFor: 3s}
  - name: retrier
    arrival: {process: burst, at: 100ms}
    behavior: {kind: requests}
    retry: {maxAttempts: 10, backoff: 1s, maxBackoff: 1s, jitter: false}
)");
  ASSERT_TRUE(r);
  const auto& retrier = population(*r, "retrier");
  // Rejected at 0.1, 1.1, 2.1 s; the holder leaves at 3 s; admitted at 3.1 s.
  EXPECT_EQ(retrier.connections.limited, 3u);
  EXPECT_EQ(retrier.connections.retries, 3u);
  EXPECT_EQ(retrier.connections.admitted, 1u);
  EXPECT_EQ(retrier.requests.sent, 1u);
  EXPECT_EQ(retrier.requests.by_status.at(200), 1u);
  // Latency counts from the first attempt: three backoffs of one second.
  EXPECT_GT(retrier.latency.max(), Duration::seconds(3));
  EXPECT_LT(retrier.latency.max(), Duration::milliseconds(3100));
}

TEST(ConnectionLimitRun, AFullAcceptQueueHoldsHandshakesUntilARetransmission) {
  auto r = runScenarioText(R"(name: backlog
duration: 20s
host: {listenBacklog: 2, acceptCost: 10ms}
resources:
  - file: ../resources/shared-http-port.yaml
populations:
  - name: burst
    clients: 10
    behavior: {kind: requests}
)");
  ASSERT_TRUE(r);
  const auto& burst = population(*r, "burst");
  // Two handshakes wait for accept at a time; the others' final ACKs are dropped and the
  // handshake completes on a SYN-ACK retransmission 1 s (then 2 s ...) later, so everyone is
  // served, some a second or more late.
  EXPECT_EQ(burst.requests.by_status.at(200), 10u);
  EXPECT_EQ(burst.connections.connect_failed, 0u);
  EXPECT_GT(stat(*r, "host.0.0.0.0_10080.listen_overflows"), 0u);
  EXPECT_GE(burst.latency.max(), Duration::seconds(1));
  EXPECT_LT(burst.latency.valueAtPercentile(10), Duration::milliseconds(100));
}

TEST(ConnectionLimitRun, UnknownTargetPortIsAnError) {
  auto loaded = scenario::loadScenarioText(R"(name: bad-port
resources:
  - file: ../resources/shared-http-port.yaml
populations:
  - name: p
    target: {port: 8443}
)",
                                           "bad-port.yaml", CTPLAB_SOURCE_DIR "/scenarios/flood");
  ASSERT_TRUE(loaded.ok());
  policy::Diagnostics diags;
  std::vector<std::string> notes;
  auto gateway = prepareGateway(loaded.scenario, diags, notes);
  ASSERT_TRUE(gateway);
  auto result = simulate(loaded.scenario, *gateway);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("bad-port.yaml:5: population p: the gateway has no "
                                        "listener on port 8443 (ports: 80)"),
            std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace ctplab::sim::run::testing
