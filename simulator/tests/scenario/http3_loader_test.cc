// The scenario loader's population `http3:` block: shares, timers, and the behaviours and paths
// the HTTP/3 client model does not cover.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/simulator/scenario/scenario_loader.h"
#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

using loader_test::joined;

// A scenario of one population `a` with `population_extra` (its fields, indented) added.
LoadedScenario loadPopulation(const std::string& population_extra) {
  return loader_test::load("name: t\npopulations:\n  - name: a\n" + population_extra);
}

TEST(Http3Loader, AbsentMeansTcpOnly) {
  auto r = loadPopulation("");
  ASSERT_TRUE(r.ok()) << joined(r);
  EXPECT_FALSE(r.scenario.populations[0].http3);
}

TEST(Http3Loader, DefaultsAndValues) {
  auto defaults = loadPopulation("    http3: {}\n");
  ASSERT_TRUE(defaults.ok()) << joined(defaults);
  const auto& d = *defaults.scenario.populations[0].http3;
  EXPECT_EQ(d.capable, 1.0);
  EXPECT_EQ(d.udp_blocked, 0.0);
  EXPECT_TRUE(d.zero_rtt);
  EXPECT_EQ(d.fallback_after, Duration::milliseconds(250));
  auto r = loadPopulation(
      "    http3: {capable: 0.25, udpBlocked: true, knownAlternative: true, zeroRtt: false,\n"
      "            fallbackAfter: 100ms, handshakeTimeout: 3s, brokenFor: 1m, idleTimeout: 10s}\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  const auto& h = *r.scenario.populations[0].http3;
  EXPECT_EQ(h.capable, 0.25);
  EXPECT_EQ(h.udp_blocked, 1.0);
  EXPECT_TRUE(h.known_alternative);
  EXPECT_FALSE(h.zero_rtt);
  EXPECT_EQ(h.fallback_after, Duration::milliseconds(100));
  EXPECT_EQ(h.handshake_timeout, Duration::seconds(3));
  EXPECT_EQ(h.broken_for, Duration::seconds(60));
  EXPECT_EQ(h.idle_timeout, Duration::seconds(10));
}

TEST(Http3Loader, MistakesNameTheLineAndField) {
  auto share = loadPopulation("    http3: {capable: 1.5}\n");
  EXPECT_FALSE(share.ok());
  EXPECT_NE(joined(share).find("s.yaml:4"), std::string::npos) << joined(share);
  EXPECT_NE(joined(share).find("share between 0 and 1"), std::string::npos) << joined(share);
  auto unknown = loadPopulation("    http3: {udpBlock: 0.5}\n");
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(joined(unknown).find("udpBlock"), std::string::npos) << joined(unknown);
  auto zero = loadPopulation("    http3: {handshakeTimeout: 0s}\n");
  EXPECT_FALSE(zero.ok());
}

TEST(Http3Loader, OnlyRequestAndHoldBehavioursOnADirectPath) {
  auto slow = loadPopulation("    behavior: {kind: slowloris}\n    http3: {}\n");
  EXPECT_FALSE(slow.ok());
  EXPECT_NE(joined(slow).find("requests and hold behaviours only"), std::string::npos)
      << joined(slow);
  auto proxied = loadPopulation(
      "    proxyHeader: {version: v1, source: 1.2.3.4}\n"
      "    http3: {}\n");
  EXPECT_FALSE(proxied.ok());
  EXPECT_NE(joined(proxied).find("direct path only"), std::string::npos) << joined(proxied);
}

}  // namespace
}  // namespace ctplab::sim::scenario
