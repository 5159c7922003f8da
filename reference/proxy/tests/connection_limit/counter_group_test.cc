// Connection limit (spec 4.1) driven by explicit times: no simulator, no clock.
#include "ctplab/proxy/connection_limit/counter_group.h"

#include <gtest/gtest.h>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"
#include "ctplab/proxy/connection_limit/counter_groups.h"

namespace ctplab::proxy::connection_limit {
namespace {

TimePoint at(int64_t s) { return TimePoint::fromUnixSeconds(s); }

TEST(CounterGroup, UnlimitedAdmitsEverythingAndTracksTheGauge) {
  CounterGroup g({"http-10080", "http-10080", std::nullopt, Duration()});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(g.onConnectionOpened(at(0)).admitted);
  EXPECT_EQ(g.stats().active_connections, 5u);
  g.onConnectionClosed();
  EXPECT_EQ(g.stats().active_connections, 4u);
  EXPECT_EQ(g.stats().limited_connections, 0u);
}

TEST(CounterGroup, ThreeHeldSixOpenedGivesThreeLimited) {
  CounterGroup g({"http-10080", "http-10080", 3, Duration()});
  int admitted = 0;
  for (int i = 0; i < 6; ++i) {
    auto d = g.onConnectionOpened(at(0));
    if (d.admitted) {
      ++admitted;
    } else {
      ASSERT_TRUE(d.close_at.has_value());
      EXPECT_EQ(*d.close_at, at(0));  // no closeDelay: closed at once
    }
  }
  EXPECT_EQ(admitted, 3);
  EXPECT_EQ(g.stats().limited_connections, 3u);
}

// The worked example of spec 4.1: N=3, closeDelay=10s.
TEST(CounterGroup, RejectedConnectionsHoldSlotsDuringCloseDelay) {
  CounterGroup g({"http-10080", "http-10080", 3, Duration::seconds(10)});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(g.onConnectionOpened(at(0)).admitted);  // c1..c3
  auto c4 = g.onConnectionOpened(at(0));
  EXPECT_FALSE(c4.admitted);
  EXPECT_EQ(*c4.close_at, at(10));
  EXPECT_EQ(g.count(), 4u);
  g.onConnectionClosed();  // c1 at t=1
  EXPECT_EQ(g.count(), 3u);
  EXPECT_FALSE(g.onConnectionOpened(at(2)).admitted);  // c5: 3 >= 3 while c4 waits
  g.onConnectionClosed();                              // c4 at t=10
  g.onConnectionClosed();                              // c5 at t=12
  EXPECT_EQ(g.count(), 2u);
  EXPECT_TRUE(g.onConnectionOpened(at(13)).admitted);
  EXPECT_EQ(g.stats().limited_connections, 2u);
  EXPECT_EQ(g.stats().active_connections, 3u);
}

TEST(CounterGroups, HttpListenersOnAPortShareOneGroupHttpsHaveTheirOwn) {
  policy::LoadResult loaded;
  policy::loadText(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns}
spec:
  gatewayClassName: eg
  listeners:
  - {name: a, protocol: HTTP, port: 80, hostname: a.example.com}
  - {name: b, protocol: HTTP, port: 80, hostname: b.example.com}
  - {name: t, protocol: TCP, port: 9000}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: p, namespace: ns}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  connection: {connectionLimit: {value: 1}}
)",
                   "t.yaml", loaded);
  ASSERT_FALSE(loaded.diagnostics.hasErrors());
  auto result = policy::translate(loaded.resources, {});
  ASSERT_EQ(result.irs.size(), 1u);
  auto groups = CounterGroups::fromIr(result.irs[0]);
  CounterGroup* a = groups.find("ns/gw/a");
  CounterGroup* b = groups.find("ns/gw/b");
  CounterGroup* t = groups.find("ns/gw/t");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);
  ASSERT_NE(t, nullptr);
  EXPECT_NE(a, t);
  EXPECT_TRUE(a->onConnectionOpened(at(0)).admitted);
  EXPECT_FALSE(b->onConnectionOpened(at(0)).admitted);  // the second listener shares the slot
  EXPECT_TRUE(t->onConnectionOpened(at(0)).admitted);
  EXPECT_EQ(groups.find("ns/gw/unknown"), nullptr);
}

}  // namespace
}  // namespace ctplab::proxy::connection_limit
