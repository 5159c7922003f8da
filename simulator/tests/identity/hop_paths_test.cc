// Requests that cross hops before the gateway: L7 proxies appending to X-Forwarded-For, an L4
// load balancer with PROXY v2, NAT, a client bypassing the hops, and PROXY headers nobody reads.
#include <gtest/gtest.h>

#include "ctplab/simulator/identity/request_decision.h"
#include "identity/identity_fixture.h"

namespace ctplab::sim::identity {
namespace {

using testing::buildGateway;
using testing::ip;
using testing::l4;
using testing::l7;
using testing::nat;
using testing::policyOn;
using testing::request;
using testing::shippedFile;
using Kind = Step::Kind;

std::optional<DecisionGateway> gatewayWith(const std::string& spec_body) {
  return buildGateway(
      {shippedFile("scenarios/identity/gateway-base.yaml"), policyOn("default", "gw", spec_body)});
}

size_t countSteps(const RequestDecision& d, Kind kind) {
  size_t n = 0;
  for (const auto& s : d.steps) n += s.kind == kind ? 1 : 0;
  return n;
}

TEST(HopPathsTest, TwoL7HopsAppendAndNumTrustedHopsTwoFindsTheClient) {
  auto g = gatewayWith("  clientIPDetection: {xForwardedFor: {numTrustedHops: 2}}\n");
  ASSERT_TRUE(g);
  const auto cdn = l7("cdn", "10.1.0.0/24");
  const auto lb = l7("lb", "10.2.0.0/24");
  auto r = request("203.0.113.7", "/admin", {{"X-Forwarded-For", "192.168.1.1"}});
  r.host = "www.example.com";
  r.hops = {&cdn, &lb};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(countSteps(d, Kind::kHop), 2u);
  EXPECT_EQ(d.peer, ip("10.2.0.4"));
  EXPECT_EQ(d.client_ip, ip("203.0.113.7"));
  // 203.0.113.7 is not in the office range: the allow list denies it.
  EXPECT_EQ(d.outcome.status, 403);
  EXPECT_EQ(d.route, "httproute/default/admin/rule/0/match/0/www_example_com");
}

TEST(HopPathsTest, NumTrustedHopsOneBehindTwoHopsSeesTheFirstHop) {
  auto g = gatewayWith("  clientIPDetection: {xForwardedFor: {numTrustedHops: 1}}\n");
  ASSERT_TRUE(g);
  const auto cdn = l7("cdn", "10.1.0.0/24");
  const auto lb = l7("lb", "10.2.0.0/24");
  auto r = request("203.0.113.7", "/");
  r.hops = {&cdn, &lb};
  EXPECT_EQ(decideRequest(*g, r).client_ip, ip("10.1.0.4"));
}

TEST(HopPathsTest, L4WithProxyV2GivesTheClientAddressAsPeer) {
  auto g = gatewayWith("  proxyProtocol: {}\n");
  ASSERT_TRUE(g);
  const auto nlb = l4("nlb", "10.3.0.0/24", scenario::Hop::ProxyProtocol::kV2);
  auto r = request("203.0.113.7", "/");
  r.hops = {&nlb};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.peer, ip("203.0.113.7"));
  EXPECT_EQ(d.client_ip, ip("203.0.113.7"));
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kForwarded);
  bool mentions_v2 = false;
  for (const auto& s : d.steps) {
    mentions_v2 = mentions_v2 ||
                  (s.kind == Kind::kGateway && s.text.find("PROXY v2 header") != std::string::npos);
  }
  EXPECT_TRUE(mentions_v2);
}

TEST(HopPathsTest, ProxyV2ToAPortWithoutProxyProtocolIsABadRequest) {
  auto g = gatewayWith("  clientIPDetection: {directSourceIP: {}}\n");
  ASSERT_TRUE(g);
  const auto nlb = l4("nlb", "10.3.0.0/24", scenario::Hop::ProxyProtocol::kV2);
  auto r = request("203.0.113.7", "/");
  r.hops = {&nlb};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.outcome.status, 400);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kCodec);
  ASSERT_FALSE(d.steps.empty());
  EXPECT_FALSE(d.steps.back().details.empty());
}

TEST(HopPathsTest, RequiredProxyProtocolClosesAConnectionWithoutHeader) {
  auto g = gatewayWith("  proxyProtocol: {}\n");
  ASSERT_TRUE(g);
  const auto d = decideRequest(*g, request("198.51.100.1", "/"));
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kClosed);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kProxyProtocol);
  EXPECT_NE(d.steps.back().text.find("proxy_proto.not_found_disallowed"), std::string::npos)
      << d.steps.back().text;
}

TEST(HopPathsTest, OptionalProxyProtocolPassesAConnectionWithoutHeader) {
  auto g = gatewayWith("  proxyProtocol: {optional: true}\n");
  ASSERT_TRUE(g);
  const auto d = decideRequest(*g, request("198.51.100.1", "/"));
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kForwarded);
  EXPECT_EQ(d.client_ip, ip("198.51.100.1"));
}

TEST(HopPathsTest, NatHidesTheClient) {
  auto g = gatewayWith("  clientIPDetection: {directSourceIP: {}}\n");
  ASSERT_TRUE(g);
  const auto n = nat("nat", "10.5.0.0/24");
  auto r = request("203.0.113.7", "/");
  r.hops = {&n};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.client_ip, ip("10.5.0.4"));
  EXPECT_EQ(countSteps(d, Kind::kHop), 1u);
}

TEST(HopPathsTest, BypassingTheHopsSpoofsNumTrustedHops) {
  auto g = gatewayWith("  clientIPDetection: {xForwardedFor: {numTrustedHops: 2}}\n");
  ASSERT_TRUE(g);
  // Straight to the gateway: nothing appended, so the forged entries are all it reads.
  const auto d = decideRequest(
      *g, request("198.51.100.1", "/admin", {{"X-Forwarded-For", "192.168.0.1, 192.168.0.1"}}));
  EXPECT_EQ(d.client_ip, ip("192.168.0.1"));
  EXPECT_EQ(d.outcome.status, 200);  // the office allow rule
}

TEST(HopPathsTest, BypassingTheHopsDoesNotFoolTrustedCidrs) {
  auto g = gatewayWith(
      "  clientIPDetection: {xForwardedFor: {trustedCIDRs: [10.1.0.0/24, 10.2.0.0/24]}}\n");
  ASSERT_TRUE(g);
  const auto d =
      decideRequest(*g, request("198.51.100.1", "/admin", {{"X-Forwarded-For", "192.168.0.1"}}));
  EXPECT_EQ(d.client_ip, ip("198.51.100.1"));
  EXPECT_EQ(d.outcome.status, 403);
}

TEST(HopPathsTest, AnL7HopRefusesAClientProxyHeader) {
  auto g = gatewayWith("  proxyProtocol: {}\n");
  ASSERT_TRUE(g);
  const auto cdn = l7("cdn", "10.1.0.0/24");
  auto r = request("203.0.113.7", "/");
  r.hops = {&cdn};
  r.proxy_header = scenario::ClientProxyHeader{scenario::Hop::ProxyProtocol::kV1, "192.0.2.1"};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.outcome.status, 400);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kHop);
  EXPECT_FALSE(d.peer);
}

TEST(HopPathsTest, AClientProxyHeaderBehindAProxyV2HopIsPayload) {
  auto g = gatewayWith("  proxyProtocol: {}\n");
  ASSERT_TRUE(g);
  const auto nlb = l4("nlb", "10.3.0.0/24", scenario::Hop::ProxyProtocol::kV2);
  auto r = request("203.0.113.7", "/");
  r.hops = {&nlb};
  r.proxy_header = scenario::ClientProxyHeader{scenario::Hop::ProxyProtocol::kV2, "192.0.2.1"};
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.peer, ip("203.0.113.7"));  // the hop's header wins
  EXPECT_EQ(d.outcome.status, 400);      // the client's reaches the HTTP parser
}

TEST(HopPathsTest, UnservedPortIsRefused) {
  auto g = gatewayWith("  clientIPDetection: {directSourceIP: {}}\n");
  ASSERT_TRUE(g);
  auto r = request("203.0.113.7", "/");
  r.port = 8443;
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(d.outcome.kind, Outcome::Kind::kClosed);
  EXPECT_EQ(d.outcome.decided_by, Outcome::DecidedBy::kListener);
}

TEST(HopPathsTest, AuthorizationAtJudgesAnyAddressOnTheSameRoute) {
  auto g = gatewayWith("  clientIPDetection: {xForwardedFor: {numTrustedHops: 1}}\n");
  ASSERT_TRUE(g);
  auto r = request("203.0.113.7", "/admin");
  r.host = "www.example.com";
  const auto d = decideRequest(*g, r);
  EXPECT_EQ(authorizationAt(*g, d, ip("192.168.0.9")), RequestDecision::Authorization::kAllowed);
  EXPECT_EQ(authorizationAt(*g, d, ip("192.168.1.9")), RequestDecision::Authorization::kDenied);
}

}  // namespace
}  // namespace ctplab::sim::identity
