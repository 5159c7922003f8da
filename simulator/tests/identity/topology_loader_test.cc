// Topology files: a full file decodes; every mistake is a located diagnostic; garbage never
// throws.
#include <gtest/gtest.h>

#include "ctplab/simulator/identity/topology.h"

namespace ctplab::sim::identity {
namespace {

std::string firstError(const LoadedTopology& t) {
  for (const auto& d : t.diagnostics.all()) {
    if (d.severity == policy::Severity::kError) return policy::formatDiagnostic(d);
  }
  return "";
}

TEST(TopologyLoaderTest, DecodesHopsPathsAndDirectAccess) {
  auto t = loadTopologyText(R"(
hops:
  - {name: cdn, kind: L7LoadBalancer, egress: 10.1.0.0/24, clientHeader: CF-Connecting-IP}
  - {name: nlb, kind: L4LoadBalancer, egress: 10.3.0.0/24, proxyProtocol: V2}
paths:
  - name: public
    port: 443
    via: [cdn, nlb]
    clients: 203.0.113.0/24
    host: www.example.com
    path: /admin
    method: POST
directAccess: true
directFrom: 192.0.2.0/24
)",
                            "t.yaml");
  ASSERT_TRUE(t.ok()) << firstError(t);
  ASSERT_EQ(t.topology.hops.size(), 2u);
  EXPECT_EQ(t.topology.hops[0].client_header, "CF-Connecting-IP");
  EXPECT_EQ(t.topology.hops[1].proxy_protocol, scenario::Hop::ProxyProtocol::kV2);
  ASSERT_EQ(t.topology.paths.size(), 1u);
  const EntryPath& p = t.topology.paths[0];
  EXPECT_EQ(p.port, 443u);
  EXPECT_EQ(p.via, (std::vector<std::string>{"cdn", "nlb"}));
  EXPECT_EQ(p.method, "POST");
  EXPECT_EQ(p.location.line, 6);
  EXPECT_TRUE(t.topology.direct_access);
  EXPECT_EQ(t.topology.direct_from, "192.0.2.0/24");
  EXPECT_NE(t.topology.hop("nlb"), nullptr);
  EXPECT_EQ(t.topology.hop("nope"), nullptr);
}

TEST(TopologyLoaderTest, MistakesAreLocated) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"paths:\n  - {name: p, port: 80, clients: 203.0.113.0/24, via: [cdn]}\n",
       "t.yaml:2:56: error: paths[0].via[0]: no hop named \"cdn\" in the scenario's hops"},
      {"paths:\n  - {name: p, port: 80, clients: 10.0.0.0/33}\n",
       "t.yaml:2:34: error: paths[0].clients: expected an address range such as 10.0.0.0/8 or "
       "2001:db8::/32, found \"10.0.0.0/33\""},
      {"paths:\n  - {name: p, clients: 10.0.0.0/8}\n",
       "t.yaml:2:5: error: paths[0].port: missing required field"},
      {"hops: []\n", "t.yaml:1:1: error: paths: missing required field"},
      {"paths:\n  - {name: p, port: 80, clients: 10.0.0.0/8, path: nope}\n",
       "t.yaml:2:52: error: paths[0].path: expected a path starting with /, found \"nope\""},
  };
  for (const auto& c : cases) {
    auto t = loadTopologyText(c.text, "t.yaml");
    EXPECT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(firstError(t), c.error) << c.text;
  }
}

TEST(TopologyLoaderTest, HopsOnlyFileIsFineWhenPathsAreNotRequired) {
  auto t = loadTopologyText("hops:\n  - {name: nat, kind: NAT, egress: 10.5.0.0/24}\n", "h.yaml",
                            {.require_paths = false});
  EXPECT_TRUE(t.ok()) << firstError(t);
}

TEST(TopologyLoaderTest, GarbageNeverThrows) {
  const char* inputs[] = {
      "",      "[",          "- a\n- b\n",       "paths: 3\n",     "a: !!binary x\n",
      "---\n", "x: &a [*a]", "paths:\n  - *x\n", "hops: {a: 1}\n", "\t\x01\xff"};
  for (const char* in : inputs) {
    auto t = loadTopologyText(in, "g.yaml");
    EXPECT_FALSE(t.ok()) << in;
  }
}

TEST(TopologyLoaderTest, MissingFileIsAnError) {
  auto t = loadTopologyFile("/nonexistent/topology.yaml");
  EXPECT_EQ(firstError(t), "/nonexistent/topology.yaml: error: cannot open file");
}

}  // namespace
}  // namespace ctplab::sim::identity
