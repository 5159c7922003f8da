// Scenario-level checks of timeouts, keepalive and connection churn with exact expected counts.
#include <gtest/gtest.h>

#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

TEST(TimeoutsRun, SlowlorisGets408AtRequestReceivedTimeout) {
  auto r = runScenarioText(R"(name: slowloris
duration: 20s
outputs: {records: true}
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        timeout:
          http:
            requestReceivedTimeout: 5s
)") + R"(populations:
  - name: slow
    behavior: {kind: slowloris, dripBytes: 1, dripInterval: 1s}
)");
  ASSERT_TRUE(r);
  const auto& slow = population(*r, "slow");
  EXPECT_EQ(slow.requests.by_status.at(408), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_timeout"), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_4xx"), 1u);
  ASSERT_EQ(r->records.size(), 1u);
  // Connected (and first byte written) at 1 ms, first byte at the gateway at 1.5 ms, 408 sent at
  // 5.0015 s and read by the client at 5.002 s (0.5 ms one way); a slow request is timed from
  // its first byte.
  EXPECT_EQ(r->records[0].start.unixNanos(), 1'000'000);
  EXPECT_EQ(r->records[0].end.unixNanos(), 5'002'000'000);
}

TEST(TimeoutsRun, IdleTimeoutClosesAHeldConnection) {
  auto r = runScenarioText(R"(name: idle
duration: 60s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        timeout:
          http:
            idleTimeout: 15s
)") + R"(populations:
  - name: idle
    clients: 10
    behavior: {kind: hold, holdFor: 50s, sendRequest: true}
)");
  ASSERT_TRUE(r);
  const auto& idle = population(*r, "idle");
  EXPECT_EQ(idle.requests.by_status.at(200), 10u);
  EXPECT_EQ(idle.connections.closed_by_server, 10u);
  EXPECT_EQ(idle.hold_completed, 0u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_idle_timeout"), 10u);
  // Response at 3 ms, idle deadline 15 s later: open through bucket 14, closed in bucket 15.
  const auto active = *r->series.find("connections.active");
  EXPECT_EQ(r->series.gaugeLast(active, 14), 10);
  EXPECT_EQ(r->series.gaugeLast(active, 15), 0);
}

TEST(TimeoutsRun, MaxRequestsPerConnectionMakesClientsReconnect) {
  auto r = runScenarioText(R"(name: max-requests
duration: 60s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            maxRequestsPerConnection: 3
)") + R"(populations:
  - name: busy
    behavior: {kind: requests, connections: 1, requestsPerConnection: 9, thinkTime: 10ms}
)");
  ASSERT_TRUE(r);
  const auto& busy = population(*r, "busy");
  EXPECT_EQ(busy.requests.by_status.at(200), 9u);
  EXPECT_EQ(busy.connections.attempted, 3u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_max_requests_reached"), 3u);
}

TEST(TimeoutsRun, SafeMaxConnectionDurationClosesAfterTheNextResponse) {
  auto r = runScenarioText(R"(name: max-duration
duration: 60s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        connection:
          connectionLimit:
            maxConnectionDuration: 1s
)") + R"(populations:
  - name: steady
    behavior: {kind: requests, connections: 1, requestsPerConnection: 10, thinkTime: 400ms}
)");
  ASSERT_TRUE(r);
  const auto& steady = population(*r, "steady");
  // A request every ~403 ms: the one after the connection turns 1 s old (the 4th) closes it.
  // 10 requests: 4 + 4 + 2 over three connections; the third never gets old enough.
  EXPECT_EQ(steady.requests.by_status.at(200), 10u);
  EXPECT_EQ(steady.connections.attempted, 3u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_max_duration_reached"), 2u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_destroy_local"), 2u);
}

TEST(TimeoutsRun, TcpKeepaliveFindsVanishedClients) {
  auto run = [](bool keepalive) {
    std::string spec = keepalive
                           ? "        tcpKeepalive:\n          idleTime: 60s\n"
                             "          interval: 10s\n          probes: 3\n"
                           : "        timeout:\n          http:\n            idleTimeout: 1h\n";
    return runScenarioText(R"(name: vanish
duration: 200s
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(spec) + R"(populations:
  - name: gone
    clients: 5
    behavior: {kind: vanish}
)");
  };
  auto with = run(true);
  auto without = run(false);
  ASSERT_TRUE(with && without);
  EXPECT_EQ(population(*with, "gone").connections.vanished, 5u);
  // Last activity at 3 ms; dead after 60 s + 3 × 10 s = 90 s.
  const auto active = *with->series.find("connections.active");
  EXPECT_EQ(with->series.gaugeLast(active, 89), 5);
  EXPECT_EQ(with->series.gaugeLast(active, 90), 0);
  EXPECT_EQ(stat(*with, "http.http-10080.downstream_cx_destroy_remote"), 5u);
  // Without keepalive the dead connections stay open.
  EXPECT_EQ(stat(*without, "http.http-10080.downstream_cx_active"), 5u);
}

TEST(TimeoutsRun, ClientRequestTimeoutCountsAsTimeout) {
  auto r = runScenarioText(R"(name: client-timeout
duration: 10s
backend: {serviceTime: 2s}
resources:
  - file: ../resources/shared-http-port.yaml
populations:
  - name: impatient
    behavior: {kind: requests, requestTimeout: 1s}
)");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "impatient").requests.timeout, 1u);
  EXPECT_EQ(population(*r, "impatient").requests.responses(), 0u);
  // The client closed; the gateway saw the peer go away mid-request.
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_destroy_remote"), 1u);
}

TEST(TimeoutsRun, RequestsQueuedForTheCpuPastRequestReceivedTimeoutGet504) {
  // Spec 4.3: the request timer runs until the request leaves for the backend, so a complete
  // request waiting behind others for the gateway's one worker times out with 504. Ten requests
  // at once, 30 ms of CPU each: the first three leave at 31.5, 61.5 and 91.5 ms, before the
  // 100 ms timer (started at 1.5 ms); the other seven are answered 504 at 101.5 ms.
  auto r = runScenarioText(R"(name: cpu-queue
duration: 10s
host: {workers: 1, requestCost: 30ms}
resources:
  - file: ../resources/shared-http-port.yaml
)" + policyResource(R"(        timeout:
          http:
            requestReceivedTimeout: 100ms
)") + R"(populations:
  - name: burst
    clients: 10
)");
  ASSERT_TRUE(r);
  const auto& burst = population(*r, "burst");
  EXPECT_EQ(burst.requests.by_status.at(200), 3u);
  EXPECT_EQ(burst.requests.by_status.at(504), 7u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_timeout"), 7u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_5xx"), 7u);
}

TEST(TimeoutsRun, SlowTlsHandshakesHitTlsHandshakeTimeout) {
  auto r = runScenarioText(R"(name: tls-timeout
duration: 10s
host: {tlsHandshakeCost: 2s}
resources:
  - file: ../resources/two-https-listeners.yaml
)" + policyResource(R"(        timeout:
          tcp:
            tlsHandshakeTimeout: 1s
)") + R"(populations:
  - name: p
    clients: 3
    target: {port: 443, host: www.example.com}
    behavior: {kind: requests}
)");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "p").connections.closed_by_server, 3u);
  EXPECT_EQ(population(*r, "p").requests.closed, 3u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.downstream_cx_transport_socket_connect_timeout"), 3u);
}

}  // namespace
}  // namespace ctplab::sim::run::testing
