// The scenario loader's `hops`, `via` and `proxyHeader`: what they decode into and the one-line
// diagnostics for each mistake.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/simulator/scenario/scenario_loader.h"
#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

using loader_test::joined;
using loader_test::load;

TEST(HopsLoader, DecodesEveryKindAndAPopulationsPath) {
  auto r = load(
      "name: t\n"
      "populations:\n"
      "  - name: a\n"
      "    via: [cdn, nlb]\n"
      "    proxyHeader: {version: V2, source: 2001:db8::1, sourcePort: 5000}\n"
      "hops:\n"
      "  - {name: cdn, kind: L7LoadBalancer, egress: 172.16.0.0/24, xff: Replace,\n"
      "     clientHeader: CF-Connecting-IP, acceptProxyProtocol: true}\n"
      "  - {name: nlb, kind: L4LoadBalancer, proxyProtocol: V1, preserveSource: true}\n"
      "  - {name: nat, kind: NAT, egress: 100.64.0.0/10}\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  const Scenario& s = r.scenario;
  ASSERT_EQ(s.hops.size(), 3u);
  EXPECT_EQ(s.hops[0].kind, Hop::Kind::kL7LoadBalancer);
  EXPECT_EQ(s.hops[0].xff, Hop::Xff::kReplace);
  EXPECT_EQ(s.hops[0].client_header, "CF-Connecting-IP");
  EXPECT_TRUE(s.hops[0].accept_proxy_protocol);
  EXPECT_EQ(s.hops[1].proxy_protocol, Hop::ProxyProtocol::kV1);
  EXPECT_TRUE(s.hops[1].preserve_source);
  EXPECT_EQ(s.hops[1].egress_cidr, "10.255.0.0/24");  // the default
  EXPECT_EQ(s.hops[2].kind, Hop::Kind::kNat);
  EXPECT_EQ(s.hops[2].egress_cidr, "100.64.0.0/10");
  ASSERT_EQ(s.populations.size(), 1u);
  EXPECT_EQ(s.populations[0].via, (std::vector<std::string>{"cdn", "nlb"}));
  ASSERT_TRUE(s.populations[0].proxy_header);
  EXPECT_EQ(s.populations[0].proxy_header->version, Hop::ProxyProtocol::kV2);
  EXPECT_EQ(s.populations[0].proxy_header->source, "2001:db8::1");
  EXPECT_EQ(s.populations[0].proxy_header->source_port, 5000);
}

TEST(HopsLoader, MistakesNameTheFieldAndLine) {
  struct Case {
    std::string text, expected;
  };
  const std::string pop = "name: t\npopulations:\n  - name: a\n";
  for (const auto& c : std::vector<Case>{
           {pop + "    via: [cdn]\n",
            "s.yaml:4:11: error: populations[0].via[0]: no hop named \"cdn\" in the scenario's "
            "hops"},
           {pop + "hops:\n  - {name: x, kind: L5}\n",
            "s.yaml:5:21: error: hops[0].kind: unknown hop kind \"L5\"; expected "
            "L4LoadBalancer, L7LoadBalancer or NAT"},
           {pop + "hops:\n  - {name: x, kind: NAT, xff: Append}\n",
            "s.yaml:5:31: error: hops[0].xff: only applies to kind L7LoadBalancer"},
           {pop + "hops:\n  - {name: x, kind: L4LoadBalancer, proxyProtocol: V3}\n",
            "s.yaml:5:52: error: hops[0].proxyProtocol: unknown PROXY protocol version \"V3\"; "
            "expected None, V1 or V2"},
           {pop + "hops:\n  - {name: x, kind: NAT}\n  - {name: x, kind: NAT}\n",
            "s.yaml:6:12: error: hops[1].name: duplicate hop name \"x\" (first declared at line "
            "5)"},
           {pop + "hops:\n  - {name: x, kind: L7LoadBalancer, clientHeader: \"a b\"}\n",
            "s.yaml:5:51: error: hops[0].clientHeader: \"a b\" is not a valid header name"},
           {pop + "    proxyHeader: {version: V2, source: nowhere}\n",
            "s.yaml:4:40: error: populations[0].proxyHeader.source: \"nowhere\" is not an IP "
            "address"},
           {pop + "    proxyHeader: {source: 10.0.0.1}\n",
            "s.yaml:4:18: error: populations[0].proxyHeader.version: missing required field"},
       }) {
    auto r = load(c.text);
    EXPECT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(joined(r), c.expected + "\n") << c.text;
  }
}

}  // namespace
}  // namespace ctplab::sim::scenario
