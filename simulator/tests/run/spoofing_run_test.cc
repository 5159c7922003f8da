// The shipped spoofing scenarios end to end: how many forged requests get through under each
// client-IP configuration, counted exactly, and what the gateway's stats say about it.
#include <gtest/gtest.h>

#include "run/run_harness.h"

namespace ctplab::sim::run {
namespace {

using testing::population;
using testing::runScenarioFile;
using testing::stat;

uint64_t status(const PopulationResult& p, int code) {
  auto it = p.requests.by_status.find(code);
  return it == p.requests.by_status.end() ? 0 : it->second;
}

uint64_t decided(const PopulationResult& p, DecisionKind kind) {
  return p.decisions[static_cast<size_t>(kind)];
}

TEST(SpoofingScenarios, CorrectTrustedHopsStopForgersThroughTheCdnButNotBypassers) {
  auto r = runScenarioFile("scenarios/spoofing/xff-correct-trusted-hops.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(status(population(*r, "customers"), 200), 200u);
  EXPECT_EQ(status(population(*r, "staff"), 200), 20u);
  EXPECT_EQ(status(population(*r, "forgers"), 403), 500u);
  EXPECT_EQ(decided(population(*r, "forgers"), DecisionKind::kDefaultDeny), 500u);
  // numTrustedHops never checks the peer: every bypasser is believed.
  EXPECT_EQ(status(population(*r, "bypassers"), 200), 100u);
  EXPECT_EQ(decided(population(*r, "bypassers"), DecisionKind::kAllowedByRule), 100u);
  EXPECT_EQ(stat(*r, "http.http-10080.rbac.denied"), 500u);
}

TEST(SpoofingScenarios, OneTrustedHopTooManyLetsEveryForgerIn) {
  auto r = runScenarioFile("scenarios/spoofing/xff-too-many-trusted-hops.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(status(population(*r, "forgers"), 200), 500u);
  EXPECT_EQ(decided(population(*r, "forgers"), DecisionKind::kAllowedByRule), 500u);
  // A single X-Forwarded-For entry is too few for two hops: the peer decides, and is denied.
  EXPECT_EQ(status(population(*r, "bypassers"), 403), 100u);
  EXPECT_EQ(status(population(*r, "staff"), 200), 20u);
}

TEST(SpoofingScenarios, TrustedCidrsCloseBothHoles) {
  auto r = runScenarioFile("scenarios/spoofing/xff-trusted-cidrs.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(status(population(*r, "forgers"), 403), 500u);
  EXPECT_EQ(status(population(*r, "bypassers"), 403), 100u);
  EXPECT_EQ(status(population(*r, "staff"), 200), 20u);
  EXPECT_EQ(status(population(*r, "customers"), 200), 200u);
}

TEST(SpoofingScenarios, CustomHeaderFailClosedRejectsMissingButBelievesForgedHeaders) {
  auto r = runScenarioFile("scenarios/spoofing/custom-header-fail-closed.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(status(population(*r, "customers"), 200), 200u);
  EXPECT_EQ(status(population(*r, "forgers"), 403), 300u);  // the CDN overwrote their header
  EXPECT_EQ(decided(population(*r, "direct-without-header"), DecisionKind::kFailClosed), 50u);
  EXPECT_EQ(status(population(*r, "direct-without-header"), 403), 50u);
  EXPECT_EQ(status(population(*r, "bypassers"), 200), 100u);
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_rq_rejected_via_ip_detection"), 50u);
}

TEST(SpoofingScenarios, ProxyProtocolThroughTheLoadBalancerAndAroundIt) {
  auto r = runScenarioFile("scenarios/spoofing/proxy-protocol-bypass.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(status(population(*r, "customers"), 200), 200u);
  EXPECT_EQ(status(population(*r, "staff"), 200), 20u);
  EXPECT_EQ(status(population(*r, "outsiders"), 403), 200u);
  const auto& direct = population(*r, "direct-without-header");
  EXPECT_EQ(direct.requests.reset, 50u);
  EXPECT_EQ(direct.connections.reset_by_server, 50u);
  EXPECT_EQ(status(population(*r, "forged-proxy-header"), 200), 50u);
  EXPECT_EQ(stat(*r, "proxy_proto.not_found_disallowed"), 50u);
  EXPECT_EQ(stat(*r, "proxy_proto.versions.v2.found"), 470u);
  // Closed in the listener filter: never counted by the connection manager.
  EXPECT_EQ(stat(*r, "http.http-10080.downstream_cx_total"), 470u);
}

TEST(SpoofingScenarios, AllowDenyListOverMixedPopulations) {
  auto r = runScenarioFile("scenarios/spoofing/allow-deny-mixed.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(decided(population(*r, "partner-v4"), DecisionKind::kAllowedByRule), 100u);
  EXPECT_EQ(decided(population(*r, "blocked-v4"), DecisionKind::kDeniedByRule), 60u);
  EXPECT_EQ(decided(population(*r, "partner-v6"), DecisionKind::kAllowedByRule), 40u);
  EXPECT_EQ(decided(population(*r, "strangers"), DecisionKind::kDefaultDeny), 80u);
  EXPECT_EQ(stat(*r, "http.http-10080.rbac.allowed"), 140u);
  EXPECT_EQ(stat(*r, "http.http-10080.rbac.denied"), 140u);
}

TEST(SpoofingScenarios, RecordsCarryTheDetectedAddressAndTheDecidingRule) {
  auto r = testing::runScenarioText(R"(
name: records
duration: 5s
outputs: {records: true}
resources:
  - file: ../resources/admin-and-public.yaml
hops:
  - {name: cdn, kind: L7LoadBalancer, egress: 172.16.0.0/24}
populations:
  - name: forger
    source: {cidr: 198.51.100.7}
    via: [cdn]
    behavior: {kind: requests, request: {path: /admin, headers: {X-Forwarded-For: 10.0.0.1}}}
)");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->records.size(), 1u);
  const auto& rec = r->records[0];
  // No detection mode: the CDN's address is the client, and it is not internal.
  ASSERT_TRUE(rec.client_ip);
  EXPECT_EQ(rec.client_ip->toString(), "172.16.0.0");
  EXPECT_EQ(rec.decision, DecisionKind::kDefaultDeny);
  EXPECT_EQ(rec.rule, -1);
  EXPECT_EQ(rec.status, 403);
}

}  // namespace
}  // namespace ctplab::sim::run
