// The client-IP audit on the shipped bundles and topologies: no findings for the right setting,
// a lockout and a spoof with the computed fix, trustedCIDRs missing a hop, a custom header a CDN
// does not overwrite, PROXY v2 with the gateway reachable directly; determinism and bad ports.
#include "ctplab/simulator/identity/xff_audit.h"

#include <gtest/gtest.h>

#include "ctplab/simulator/identity/topology.h"
#include "identity/identity_fixture.h"

namespace ctplab::sim::identity {
namespace {

using testing::shippedFile;
using testing::translateGateway;

struct Audit {
  std::optional<AuditReport> report;
  policy::Diagnostics diagnostics;
};

Audit audit(const std::string& bundle, const std::string& topology_file) {
  Audit out;
  auto ir = translateGateway({shippedFile("scenarios/identity/gateway-base.yaml"),
                              shippedFile("scenarios/identity/" + bundle)});
  auto topology =
      loadTopologyText(shippedFile("scenarios/identity/" + topology_file), topology_file);
  EXPECT_TRUE(topology.ok());
  if (!ir || !topology.ok()) return out;
  out.report = auditClientIp(*ir, topology.topology, out.diagnostics);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(XffAuditTest, RightNumTrustedHopsHasNoFindings) {
  auto a = audit("ctp-hops-2.yaml", "topology-cdn-lb.yaml");
  ASSERT_TRUE(a.report);
  EXPECT_TRUE(a.report->findings.empty()) << auditToText(*a.report);
  ASSERT_EQ(a.report->paths.size(), 1u);
  EXPECT_EQ(a.report->paths[0].detected, a.report->paths[0].client);
}

TEST(XffAuditTest, NumTrustedHopsTooLowSeesEveryoneAsTheCdn) {
  auto a = audit("ctp-hops-1.yaml", "topology-cdn-lb.yaml");
  ASSERT_TRUE(a.report);
  ASSERT_EQ(a.report->findings.size(), 1u) << auditToText(*a.report);
  const auto& f = a.report->findings[0];
  EXPECT_EQ(f.attempt, "baseline");
  EXPECT_EQ(f.detected, "10.1.0.4");
  EXPECT_TRUE(contains(f.effect, "hop cdn's egress")) << f.effect;
  EXPECT_TRUE(contains(f.fix, "numTrustedHops should be 2 (is 1)")) << f.fix;
}

TEST(XffAuditTest, NumTrustedHopsTooHighBelievesAForgedEntry) {
  auto a = audit("ctp-hops-3.yaml", "topology-cdn-lb.yaml");
  ASSERT_TRUE(a.report);
  const AuditFinding* spoof = nullptr;
  for (const auto& f : a.report->findings) {
    if (f.attempt == "forged X-Forwarded-For") spoof = &f;
  }
  ASSERT_NE(spoof, nullptr) << auditToText(*a.report);
  // The forged address is one the /admin allow list treats differently: the office.
  EXPECT_EQ(spoof->detected, "192.168.0.1");
  EXPECT_TRUE(contains(spoof->effect, "authorization allowed where the honest request is denied"))
      << spoof->effect;
  EXPECT_TRUE(contains(spoof->fix, "numTrustedHops should be 2 (is 3)")) << spoof->fix;
}

TEST(XffAuditTest, TrustedCidrsMissingAHopRange) {
  auto a = audit("ctp-trusted-lb-only.yaml", "topology-cdn-lb.yaml");
  ASSERT_TRUE(a.report);
  ASSERT_FALSE(a.report->findings.empty());
  const auto& f = a.report->findings[0];
  EXPECT_EQ(f.attempt, "baseline");
  EXPECT_EQ(f.detected, "10.1.0.4");
  EXPECT_TRUE(contains(f.fix, "trustedCIDRs should also hold 10.1.0.0/24 (hop cdn's egress)"))
      << f.fix;
}

TEST(XffAuditTest, CustomHeaderForgedThroughACdnThatDoesNotSetIt) {
  auto a = audit("ctp-custom-header.yaml", "topology-two-cdns.yaml");
  ASSERT_TRUE(a.report);
  const AuditFinding* forged = nullptr;
  for (const auto& f : a.report->findings) {
    EXPECT_EQ(f.path, "partner") << "the main CDN overwrites the header";
    if (f.attempt == "forged CF-Connecting-IP") forged = &f;
  }
  ASSERT_NE(forged, nullptr) << auditToText(*a.report);
  EXPECT_EQ(forged->detected, "192.168.0.1");
  // Both CDNs append to X-Forwarded-For, so one trusted hop is right for both paths.
  EXPECT_TRUE(contains(forged->fix, "xForwardedFor.numTrustedHops: 1")) << forged->fix;
}

TEST(XffAuditTest, ProxyV2WithDirectAccessNeedsDirectAccessClosed) {
  auto a = audit("ctp-proxy-protocol.yaml", "topology-nlb-direct.yaml");
  ASSERT_TRUE(a.report);
  ASSERT_EQ(a.report->findings.size(), 1u) << auditToText(*a.report);
  const auto& f = a.report->findings[0];
  EXPECT_EQ(f.path, "direct :80");
  EXPECT_EQ(f.attempt, "forged PROXY header");
  EXPECT_EQ(f.detected, "192.168.0.1");
  EXPECT_TRUE(contains(f.fix, "restrict direct access: let only [10.3.0.0/24]")) << f.fix;
  // Through the load balancer the client's own header is payload: no finding on the path.
  EXPECT_EQ(a.report->paths[0].detected, a.report->paths[0].client);
}

TEST(XffAuditTest, APathFixThatOpensDirectForgeryAlsoAsksToRestrictDirectAccess) {
  // Trusting only the load balancer behind an NLB that hides the client: the path needs PROXY
  // protocol, and with it a client reaching the port directly can send its own PROXY header.
  auto a = audit("ctp-trusted-lb-only.yaml", "topology-nlb-direct.yaml");
  ASSERT_TRUE(a.report);
  const AuditFinding* path_finding = nullptr;
  for (const auto& f : a.report->findings) {
    if (f.path.rfind("direct", 0) != 0) path_finding = &f;
  }
  ASSERT_NE(path_finding, nullptr) << auditToText(*a.report);
  EXPECT_TRUE(contains(path_finding->fix, "proxyProtocol")) << path_finding->fix;
  EXPECT_TRUE(contains(path_finding->fix, "restrict direct access")) << path_finding->fix;
}

TEST(XffAuditTest, DirectAccessDefeatsNumTrustedHopsButNotTrustedCidrs) {
  auto ir = translateGateway({shippedFile("scenarios/identity/gateway-base.yaml"),
                              shippedFile("scenarios/identity/ctp-hops-2.yaml")});
  auto topology =
      loadTopologyText(shippedFile("scenarios/identity/topology-cdn-lb.yaml"), "t.yaml");
  ASSERT_TRUE(ir && topology.ok());
  topology.topology.direct_access = true;
  policy::Diagnostics diags;
  auto report = auditClientIp(*ir, topology.topology, diags);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->findings.size(), 1u) << auditToText(*report);
  EXPECT_EQ(report->findings[0].path, "direct :80");
  EXPECT_TRUE(
      contains(report->findings[0].fix, "xForwardedFor.trustedCIDRs: [10.1.0.0/24, 10.2.0.0/24]"))
      << report->findings[0].fix;
}

Audit auditInline(const std::string& bundle, const std::string& topology_text) {
  Audit out;
  auto ir = translateGateway({shippedFile("scenarios/identity/gateway-base.yaml"),
                              shippedFile("scenarios/identity/" + bundle)});
  auto topology = loadTopologyText(topology_text, "t.yaml");
  EXPECT_TRUE(topology.ok());
  if (!ir || !topology.ok()) return out;
  out.report = auditClientIp(*ir, topology.topology, out.diagnostics);
  return out;
}

constexpr const char* kOfficeViaCdnAndLb = R"(
hops:
  - {name: cdn, kind: L7LoadBalancer, egress: 10.1.0.0/24}
  - {name: lb, kind: L7LoadBalancer, egress: 10.2.0.0/24}
paths:
  - {name: office, port: 80, via: [cdn, lb], clients: 192.168.5.0/24, host: www.example.com,
     path: /admin}
)";

TEST(XffAuditTest, NumTrustedHopsTooLowLocksOfficeUsersOut) {
  auto a = auditInline("ctp-hops-1.yaml", kOfficeViaCdnAndLb);
  ASSERT_TRUE(a.report);
  ASSERT_EQ(a.report->findings.size(), 1u) << auditToText(*a.report);
  const auto& f = a.report->findings[0];
  EXPECT_EQ(f.expected, "192.168.5.4");
  EXPECT_EQ(f.detected, "10.1.0.4");
  EXPECT_EQ(f.outcome, "403 RBAC: access denied");
  EXPECT_TRUE(contains(f.effect, "locks everyone out")) << f.effect;
  EXPECT_TRUE(contains(f.fix, "numTrustedHops should be 2 (is 1)")) << f.fix;
}

TEST(XffAuditTest, ForgeriesPickAnAddressTheAllowListTreatsDifferently) {
  auto a = auditInline("ctp-hops-3.yaml", kOfficeViaCdnAndLb);
  ASSERT_TRUE(a.report);
  const AuditFinding* spoof = nullptr;
  for (const auto& f : a.report->findings) {
    if (f.attempt == "forged X-Forwarded-For") spoof = &f;
  }
  ASSERT_NE(spoof, nullptr) << auditToText(*a.report);
  // Office users are allowed, so the forgery that matters is the guest LAN, which is denied.
  EXPECT_EQ(spoof->detected, "192.168.1.1");
}

TEST(XffAuditTest, IpV6ClientsBehindIpV4Hops) {
  auto a = auditInline("ctp-hops-2.yaml", R"(
hops:
  - {name: cdn, kind: L7LoadBalancer, egress: 10.1.0.0/24}
  - {name: lb, kind: L7LoadBalancer, egress: 10.2.0.0/24}
paths:
  - {name: v6, port: 80, via: [cdn, lb], clients: '2001:db8::/64', host: www.example.com}
directAccess: false
)");
  ASSERT_TRUE(a.report);
  EXPECT_TRUE(a.report->findings.empty()) << auditToText(*a.report);
  EXPECT_EQ(a.report->paths[0].detected, "2001:db8::4");
}

TEST(XffAuditTest, AnUnroutedPathIsANote) {
  auto a = auditInline("ctp-hops-2.yaml", R"(
paths:
  - {name: elsewhere, port: 80, clients: 203.0.113.0/24, host: other.example.com}
)");
  ASSERT_TRUE(a.report);
  ASSERT_EQ(a.report->notes.size(), 1u);
  EXPECT_TRUE(contains(a.report->notes[0], "path elsewhere: the honest request gets 404"))
      << a.report->notes[0];
}

TEST(XffAuditTest, APlainL4HopLetsAForgedProxyHeaderThrough) {
  auto a = auditInline("ctp-proxy-protocol.yaml", R"(
hops:
  - {name: tcp-lb, kind: L4LoadBalancer, egress: 10.7.0.0/24}
paths:
  - {name: public, port: 80, via: [tcp-lb], clients: 203.0.113.0/24, host: www.example.com}
)");
  ASSERT_TRUE(a.report);
  ASSERT_EQ(a.report->findings.size(), 2u) << auditToText(*a.report);
  EXPECT_EQ(a.report->findings[0].attempt, "baseline");
  EXPECT_EQ(a.report->findings[0].outcome, "connection closed");
  const auto& forged = a.report->findings[1];
  EXPECT_EQ(forged.attempt, "forged PROXY header");
  EXPECT_EQ(forged.detected, "192.0.2.77");
  EXPECT_EQ(forged.fix, "hop tcp-lb should send PROXY protocol v2 (the port already requires it)");
}

TEST(XffAuditTest, OutputIsDeterministic) {
  auto a = audit("ctp-hops-3.yaml", "topology-cdn-lb.yaml");
  auto b = audit("ctp-hops-3.yaml", "topology-cdn-lb.yaml");
  ASSERT_TRUE(a.report && b.report);
  EXPECT_EQ(auditToText(*a.report), auditToText(*b.report));
  EXPECT_EQ(auditToJson(*a.report), auditToJson(*b.report));
}

TEST(XffAuditTest, APortTheGatewayDoesNotServeIsAnInputError) {
  auto ir = translateGateway({shippedFile("scenarios/identity/gateway-base.yaml")});
  auto topology =
      loadTopologyText("paths:\n  - {name: p, port: 8080, clients: 203.0.113.0/24}\n", "t.yaml");
  ASSERT_TRUE(ir && topology.ok());
  policy::Diagnostics diags;
  EXPECT_FALSE(auditClientIp(*ir, topology.topology, diags));
  ASSERT_TRUE(diags.hasErrors());
  EXPECT_EQ(policy::formatDiagnostic(diags.all()[0]),
            "t.yaml:2:5: error: paths[0].port: gateway default/gw has no listener on port 8080");
}

}  // namespace
}  // namespace ctplab::sim::identity
