// Scenario-level checks of per-request handling: stream timers, header checks and the request
// stage (path normalization, health check), each with exact expected counts.
#include <gtest/gtest.h>

#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

std::string scenarioWith(const std::string& spec, const std::string& population,
                         const std::string& extra = "") {
  return "name: request-handling\nduration: 30s\n" + extra +
         "resources:\n  - file: ../resources/shared-http-port.yaml\n" +
         (spec.empty() ? "" : policyResource(spec)) + "populations:\n" + population;
}

TEST(RequestHandlingRun, MaxStreamDurationAnswers504WhenTheBackendIsSlow) {
  auto r =
      runScenarioText(scenarioWith(R"(        connection:
          connectionLimit:
            maxStreamDuration: 2s
)",
                                   "  - name: p\n    clients: 4\n    behavior: {kind: requests}\n",
                                   "backend: {serviceTime: 5s}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "p").requests.by_status.at(504), 4u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_max_duration_reached"), 4u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_5xx"), 4u);
  // The backend's late answers are dropped, never sent to the next request.
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_2xx"), 0u);
}

TEST(RequestHandlingRun, StreamIdleTimeoutAnswers408) {
  auto r = runScenarioText(scenarioWith(R"(        timeout:
          http:
            streamIdleTimeout: 1s
)",
                                        "  - name: p\n    behavior: {kind: requests}\n",
                                        "backend: {serviceTime: 3s}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "p").requests.by_status.at(408), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_idle_timeout"), 1u);
}

TEST(RequestHandlingRun, RequestHeadersTimeoutCatchesSlowHeaders) {
  auto r = runScenarioText(scenarioWith(R"(        timeout:
          http:
            requestHeadersReceivedTimeout: 3s
)",
                                        "  - name: slow\n    clients: 2\n"
                                        "    behavior: {kind: slowloris, dripInterval: 500ms}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "slow").requests.by_status.at(408), 2u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_header_timeout"), 2u);
}

TEST(RequestHandlingRun, UnsafeMaxConnectionDurationClosesAnIdleConnectionPromptly) {
  auto r = runScenarioText(
      scenarioWith(R"(        connection:
          connectionLimit:
            maxConnectionDuration: 2s
        http1:
          disableSafeMaxConnectionDuration: true
)",
                   "  - name: idle\n    clients: 3\n"
                   "    behavior: {kind: hold, holdFor: 20s, sendRequest: true}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "idle").connections.closed_by_server, 3u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_max_duration_reached"), 3u);
  const auto active = *r->series.find("connections.active");
  EXPECT_EQ(r->series.gaugeLast(active, 1), 3);
  EXPECT_EQ(r->series.gaugeLast(active, 2), 0);
}

TEST(RequestHandlingRun, OversizedHeadersGet431AndUnderscoresGet400) {
  const std::string big(70 * 1024, 'a');
  auto r = runScenarioText(scenarioWith("",
                                        "  - name: big\n    behavior:\n      kind: requests\n"
                                        "      request: {headers: {x-big: " +
                                            big +
                                            "}}\n"
                                            "  - name: underscore\n    behavior:\n"
                                            "      kind: requests\n"
                                            "      request: {headers: {x_custom: v}}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "big").requests.by_status.at(431), 1u);
  EXPECT_EQ(population(*r, "underscore").requests.by_status.at(400), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.http1.requests_rejected_with_underscores_in_headers"), 1u);
}

TEST(RequestHandlingRun, EscapedSlashesRedirectAndHealthChecksAnswerLocally) {
  auto r = runScenarioText(scenarioWith(R"(        healthCheck:
          path: /healthz
)",
                                        "  - name: escaped\n    behavior:\n      kind: requests\n"
                                        "      request: {path: /a%2Fb}\n"
                                        "  - name: health\n    behavior:\n      kind: requests\n"
                                        "      request: {path: /healthz}\n"
                                        "  - name: unknown-host\n    target: {host: other.org}\n"
                                        "    behavior: {kind: requests}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "escaped").requests.by_status.at(307), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_redirected_with_normalized_path"), 1u);
  EXPECT_EQ(population(*r, "health").requests.by_status.at(200), 1u);
  // No listener on port 80 serves other.org: the router answers 404.
  EXPECT_EQ(population(*r, "unknown-host").requests.by_status.at(404), 1u);
  // The health check is not in the status classes; the 307 and the 404 are.
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_2xx"), 0u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_3xx"), 1u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_4xx"), 1u);
}

TEST(RequestHandlingRun, HalfClosingClientsLoseTheirRequest) {
  auto r = runScenarioText(scenarioWith("",
                                        "  - name: half\n    clients: 2\n"
                                        "    behavior: {kind: requests, halfClose: true}\n",
                                        "outputs: {records: true}\n"));
  ASSERT_TRUE(r);
  // The proxy closes a half-closed HTTP/1 connection before answering.
  EXPECT_EQ(population(*r, "half").requests.closed, 2u);
  EXPECT_EQ(population(*r, "half").connections.closed_by_server, 2u);
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].source.toString(), "10.0.0.0");
  EXPECT_EQ(r->records[1].source.toString(), "10.0.0.1");
}

}  // namespace
}  // namespace ctplab::sim::run::testing
