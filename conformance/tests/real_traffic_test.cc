// The pieces of the live and target modes that need no gateway: reading an admin endpoint's
// stats and an echo reply, what a real run refuses, and what it leaves unchecked.
#include <gtest/gtest.h>

#include "checker.h"
#include "ctplab/conformance/case_loader.h"
#include "live/admin_stats.h"
#include "live/echo_reply.h"
#include "live/real_traffic_support.h"

namespace ctplab::conformance {
namespace {

const std::string kBase = CTPLAB_SOURCE_DIR "/conformance/cases";

TEST(AdminStats, ReadsCountersAndSkipsHistograms) {
  const auto stats = live::parseEnvoyStats(
      "cluster.a.upstream_cx_total: 12\n"
      "http.http-10080.downstream_rq_time: P0(nan,1.0) P25(nan,2.1)\n"
      "listener.0.0.0.0_10080.downstream_cx_active: 3\r\n"
      "no separator here\n"
      ": 5\n"
      "negative: -1\n"
      "last.without.newline: 7");
  EXPECT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats.at("cluster.a.upstream_cx_total"), 12u);
  EXPECT_EQ(stats.at("listener.0.0.0.0_10080.downstream_cx_active"), 3u);
  EXPECT_EQ(stats.at("last.without.newline"), 7u);
}

TEST(AdminStats, UnreachableEndpointIsAnError) {
  // Port 1 on loopback: nothing listens there in any sane setup.
  const auto stats = live::fetchAdminStats("127.0.0.1", 1);
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().message.find("admin endpoint 127.0.0.1:1"), std::string::npos);
}

TEST(EchoReply, ReadsTheConformanceServersShape) {
  const auto echoed = live::parseEchoReply(R"({
 "path": "/a%2Fb?x=1",
 "host": "www.example.com",
 "method": "GET",
 "headers": {"X-Forwarded-For": ["10.0.0.1", "10.0.0.2"], "X-Request-Id": ["abc"]},
 "namespace": "ns",
 "ctplab": {"clientAddress": "203.0.113.7", "listener": "ns/gw/http"}
})");
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->path, "/a%2Fb?x=1");
  EXPECT_EQ(echoed->method, "GET");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"host", "www.example.com"},
      {"X-Forwarded-For", "10.0.0.1"},
      {"X-Forwarded-For", "10.0.0.2"},
      {"X-Request-Id", "abc"}};
  EXPECT_EQ(echoed->headers, expected);
  EXPECT_EQ(echoed->client_address, "203.0.113.7");
}

TEST(EchoReply, ForeignEchoServerHasNoDetectedAddress) {
  const auto echoed =
      live::parseEchoReply(R"({"path": "/", "host": "h", "method": "GET", "headers": {}})");
  ASSERT_TRUE(echoed);
  EXPECT_FALSE(echoed->client_address);
}

TEST(EchoReply, LocalRepliesAndJunkAreNotEchoes) {
  EXPECT_FALSE(live::parseEchoReply("RBAC: access denied"));
  EXPECT_FALSE(live::parseEchoReply(R"({"message": "no healthy upstream"})"));
  EXPECT_FALSE(live::parseEchoReply(R"({"path": 3, "method": "GET", "headers": {}})"));
  EXPECT_FALSE(live::parseEchoReply(R"([1, 2])"));
  EXPECT_FALSE(live::parseEchoReply(R"({"path": "/", "method": "GET", "headers": {)"));
}

TEST(RealTraffic, SimulationOnlyFeaturesAreRefusedAtLoad) {
  const char* text = R"(name: HopsLive
features: [ClientIPDetectionXFF]
modes: [sim, live]
duration: 60s
resources:
  - file: resources/same-namespace-gateway.yaml
hops:
  - {name: lb, kind: L7LoadBalancer}
populations:
  - name: p
    via: [lb]
    source: {cidr: 198.51.100.0/24}
  - name: q
    behavior: {kind: vanish}
expect:
  populations:
    p:
      requests.by_status.200: 1
)";
  const auto loaded = loadCaseText(text, "hops.yaml", kBase);
  EXPECT_FALSE(loaded.value);
  std::string all;
  for (const auto& d : loaded.diagnostics.all()) all += policy::formatDiagnostic(d) + "\n";
  EXPECT_NE(all.find("hops.yaml:3:"), std::string::npos) << all;
  EXPECT_NE(all.find("duration is over 30 s"), std::string::npos) << all;
  EXPECT_NE(all.find("hops (load balancers, NAT) exist only in simulation"), std::string::npos);
  EXPECT_NE(all.find("population p: via (hops)"), std::string::npos) << all;
  EXPECT_NE(all.find("population p: source addresses"), std::string::npos) << all;
  EXPECT_NE(all.find("population q: vanish"), std::string::npos) << all;
}

TEST(RealTraffic, ShippedLiveCasesAreAcceptedForRealRuns) {
  size_t live = 0;
  for (const auto& file : caseFilesIn(kBase)) {
    const auto loaded = loadCaseFile(file);
    ASSERT_TRUE(loaded.value) << file;
    const auto& modes = loaded.value->modes;
    if (std::find(modes.begin(), modes.end(), Mode::kLive) == modes.end()) continue;
    ++live;
    EXPECT_TRUE(live::realTrafficProblems(loaded.value->scenario).empty()) << file;
  }
  EXPECT_GE(live, 20u);
}

TEST(Checker, WhatAModeCannotSeeIsListedNotJudged) {
  const char* text = R"(name: Unseen
features: [ConnectionLimit]
resources:
  - file: resources/same-namespace-gateway.yaml
populations:
  - name: p
expect:
  populations:
    p:
      connections.limited: 1
      connections.established: 1
  stats:
    connection_limit.http-10080.limited_connections: 1
  backend:
    - population: p
      clientIp: 203.0.113.7
)";
  const auto loaded = loadCaseText(text, "unseen.yaml", kBase);
  ASSERT_TRUE(loaded.value);
  sim::run::RunResult run{
      sim::results::TimeSeries(TimePoint{}, Duration::seconds(1), Duration::seconds(1))};
  sim::run::PopulationResult p;
  p.name = "p";
  p.connections.established = 1;
  run.populations.push_back(p);
  sim::run::BackendRequest request;
  request.client_ip_known = false;
  run.backend_requests.push_back(request);

  Observability blind;
  blind.ground_truth = false;
  blind.stats = false;
  blind.client_ip = false;
  std::vector<std::string> unchecked;
  const auto failures = checkTraffic(*loaded.value, &run, blind, unchecked);
  EXPECT_TRUE(failures.empty());
  const std::vector<std::string> expected = {
      "population p: connections.limited",
      "backend, from population p, request #0: detected client IP",
      "stat connection_limit.http-10080.limited_connections"};
  EXPECT_EQ(unchecked, expected);

  // The simulator sees it all: the same observations now fail where they differ.
  unchecked.clear();
  EXPECT_EQ(checkTraffic(*loaded.value, &run, Observability{}, unchecked).size(), 3u);
  EXPECT_TRUE(unchecked.empty());
}

}  // namespace
}  // namespace ctplab::conformance
