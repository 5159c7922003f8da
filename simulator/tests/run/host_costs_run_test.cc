// The gateway host's CPU costs in whole runs: requestCost and bytesPerCpuSecond delay what the
// gateway sends, queue on shared workers, change nothing while zero, and a cost-model file's
// provenance reaches the results.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ctplab/simulator/clients/request_bytes.h"
#include "ctplab/simulator/run/result_output.h"
#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

// Three clients arrive together, one GET each, on the shared plain-HTTP port: 500 us each way,
// a 1 ms backend. Without costs every request takes 3 ms: SYN and SYN-ACK (1 ms), the request
// (0.5 ms), the backend (1 ms), the response (0.5 ms).
std::string threeClients(const std::string& host, const std::string& backend = "") {
  return "name: host-costs\nduration: 5s\noutputs: {records: true}\n" + host + backend +
         "resources:\n  - file: ../resources/shared-http-port.yaml\n"
         "populations:\n  - name: p\n    clients: 3\n    behavior: {kind: requests}\n";
}

// Each request's latency in microseconds, in client order.
std::vector<int64_t> latenciesUs(const RunResult& r) {
  std::vector<std::pair<uint64_t, int64_t>> by_client;
  for (const auto& rec : r.records) {
    EXPECT_EQ(rec.outcome, RequestOutcome::kResponse);
    by_client.emplace_back(rec.client, (rec.end - rec.start).ns() / 1'000);
  }
  std::sort(by_client.begin(), by_client.end());
  std::vector<int64_t> out;
  for (const auto& [client, us] : by_client) out.push_back(us);
  return out;
}

TEST(HostCostsRun, WithoutCostsEveryRequestTakesThreeMilliseconds) {
  auto r = runScenarioText(threeClients(""));
  ASSERT_TRUE(r);
  EXPECT_EQ(latenciesUs(*r), (std::vector<int64_t>{3'000, 3'000, 3'000}));
}

TEST(HostCostsRun, RequestCostQueuesOnOneWorker) {
  // The three heads arrive at 1.5 ms and cost 10 ms each of the one worker, in arrival order:
  // done at 11.5, 21.5 and 31.5 ms, when each request goes to the backend (1 ms). The worker
  // takes work first come, first served, so the first two answers (back at 12.5 and 22.5 ms)
  // leave behind the third head, at 31.5 ms; the third leaves when it is back, at 32.5 ms.
  auto r = runScenarioText(threeClients("host: {requestCost: 10ms, workers: 1}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(latenciesUs(*r), (std::vector<int64_t>{32'000, 32'000, 33'000}));
  // Three requests in 31.5 ms of worker time: what one worker at 10 ms a request can do.
  EXPECT_EQ(population(*r, "p").requests.by_status.at(200), 3u);
}

TEST(HostCostsRun, RequestCostSpreadsOverWorkers) {
  // Round-robin: clients 0 and 2 share the first worker, whose second head keeps it busy until
  // 21.5 ms, so client 0's answer waits for it; client 1 has the second worker to itself.
  auto two = runScenarioText(threeClients("host: {requestCost: 10ms, workers: 2}\n"));
  ASSERT_TRUE(two);
  EXPECT_EQ(latenciesUs(*two), (std::vector<int64_t>{22'000, 13'000, 23'000}));
  auto three = runScenarioText(threeClients("host: {requestCost: 10ms, workers: 3}\n"));
  ASSERT_TRUE(three);
  EXPECT_EQ(latenciesUs(*three), (std::vector<int64_t>{13'000, 13'000, 13'000}));
}

TEST(HostCostsRun, WithoutWorkersACostDelaysOnlyItsOwnConnection) {
  auto r = runScenarioText(threeClients("host: {requestCost: 10ms}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(latenciesUs(*r), (std::vector<int64_t>{13'000, 13'000, 13'000}));
}

TEST(HostCostsRun, LocalRepliesWaitForTheCpuToo) {
  // A 404 (no listener for the Host) is answered by the gateway itself, after the head's cost.
  auto r = runScenarioText(
      "name: host-costs\nduration: 5s\noutputs: {records: true}\n"
      "host: {requestCost: 4ms, workers: 1}\n"
      "resources:\n  - file: ../resources/shared-http-port.yaml\n"
      "populations:\n  - name: p\n    clients: 2\n"
      "    target: {host: nowhere.example.com}\n    behavior: {kind: requests}\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(population(*r, "p").requests.by_status.at(404), 2u);
  // Head at 1.5 ms, answered at 5.5 and 9.5 ms, received half a millisecond later.
  EXPECT_EQ(latenciesUs(*r), (std::vector<int64_t>{6'000, 10'000}));
}

TEST(HostCostsRun, ByteCostChargesEveryByteReadAndWritten) {
  // One byte per microsecond: the extra latency in microseconds is the bytes relayed.
  const std::string rate = "host: {bytesPerCpuSecond: 1M}\n";
  auto base = runScenarioText(threeClients("", "backend: {responseBytes: 1000}\n"));
  auto small = runScenarioText(threeClients(rate, "backend: {responseBytes: 1000}\n"));
  auto large = runScenarioText(threeClients(rate, "backend: {responseBytes: 3000}\n"));
  ASSERT_TRUE(base && small && large);
  const int64_t extra_small = latenciesUs(*small)[0] - latenciesUs(*base)[0];
  const int64_t extra_large = latenciesUs(*large)[0] - latenciesUs(*base)[0];
  // 2000 more body bytes, and nothing else differs.
  EXPECT_EQ(extra_large - extra_small, 2'000);
  // The request and the 1000-byte body, plus a response head of some 100 bytes.
  scenario::RequestTemplate request;
  const int64_t request_bytes =
      static_cast<int64_t>(clients::buildRequestBytes(request, "www.example.com").size());
  const int64_t head = extra_small - request_bytes - 1'000;
  EXPECT_GT(head, 40);
  EXPECT_LT(head, 300);
}

TEST(HostCostsRun, ZeroCostsAndNoWorkersLeaveARunByteIdentical) {
  const std::string scenario = R"(
resources:
  - file: ../resources/shared-http-port.yaml
network: {latency: 5ms, jitter: 3ms, loss: 0.01}
backend: {serviceTime: {distribution: exponential, mean: 20ms}, concurrency: 4}
outputs: {records: true}
populations:
  - name: users
    clients: 300
    arrival: {process: poisson, rate: 40/s}
    behavior: {kind: requests, requestsPerConnection: 3, thinkTime: 30ms,
               request: {method: POST, bodyBytes: 3000}}
)";
  auto plain = runScenarioText("name: zero\nduration: 10s\n" + scenario);
  auto zero = runScenarioText(
      "name: zero\nduration: 10s\nhost: {requestCost: 0, bytesPerCpuSecond: 0, workers: 0}\n" +
      scenario);
  ASSERT_TRUE(plain && zero);
  EXPECT_GT(plain->records.size(), 500u);
  EXPECT_EQ(resultToJson(*plain), resultToJson(*zero));
}

TEST(HostCostsRun, TlsHandshakesQueueOnWorkersWithTheRest) {
  const auto run = [](const std::string& host) {
    return runScenarioText("name: tls-costs\nduration: 5s\noutputs: {records: true}\n" + host +
                           "resources:\n  - file: ../resources/two-https-listeners.yaml\n"
                           "populations:\n  - name: p\n    clients: 2\n    target: {port: 443}\n"
                           "    behavior: {kind: requests}\n");
  };
  // Without workers each handshake (from 1.5 ms) delays only its own connection: the flight is
  // back at 7 ms, the request in at 7.5 ms, the answer back at 9 ms.
  auto own = run("host: {tlsHandshakeCost: 5ms}\n");
  ASSERT_TRUE(own);
  EXPECT_EQ(latenciesUs(*own), (std::vector<int64_t>{9'000, 9'000}));
  // One worker: the second handshake runs 6.5..11.5 ms, and the first client's request, in at
  // 7.5 ms, waits for it; the second client's request comes in at 12.5 ms.
  auto shared = run("host: {tlsHandshakeCost: 5ms, workers: 1}\n");
  ASSERT_TRUE(shared);
  EXPECT_EQ(latenciesUs(*shared), (std::vector<int64_t>{13'000, 14'000}));
}

TEST(HostCostsRun, ResultsNameTheCostModelFile) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "ctplab-host-costs-run";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "machine.yaml").generic_string();
  std::ofstream(file) << "measuredOn: 2026-06-01T12:00:00Z\n"
                         "machine: {cpu: Example CPU, cores: 4}\n"
                         "requestCost: 10ms\nacceptCost: 1us\n";
  auto r =
      runScenarioText(threeClients("host: {costModel: " + file + ", workers: 1, acceptCost: 0}\n"));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r);
  EXPECT_EQ(latenciesUs(*r), (std::vector<int64_t>{32'000, 32'000, 33'000}));
  const std::string json = resultToJson(*r);
  EXPECT_NE(json.find(R"("cost_model": {
    "file": ")" + file +
                      R"(",
    "measured_on": "2026-06-01T12:00:00Z",
    "machine": {
      "cpu": "Example CPU",
      "cores": 4
    },
    "overridden": [
      "acceptCost"
    ],
    "costs": {
      "accept_cost_us": 0.000,
      "request_cost_us": 10000.000,)"),
            std::string::npos)
      << json.substr(0, 800);
  const std::string text = resultToText(*r);
  EXPECT_NE(text.find("cost model " + file +
                      ", measured 2026-06-01T12:00:00Z on Example CPU (4 cores); the scenario "
                      "sets acceptCost\n"),
            std::string::npos)
      << text.substr(0, 400);
}

TEST(HostCostsRun, WithoutACostModelTheResultsSayNothingAboutOne) {
  auto r = runScenarioText(threeClients("host: {requestCost: 1ms}\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(resultToJson(*r).find("cost_model"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::sim::run::testing
