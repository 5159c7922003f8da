#include "ctplab/live/worker_stats.h"

#include <gtest/gtest.h>

#include "ctplab/live/shared_counters.h"
#include "ir_fixture.h"

namespace ctplab::live {
namespace {

TEST(WorkerStats, NamesMatchTheSimulatorsEnvoyNames) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok());
  WorkerStats stats(plan.value());
  ++stats.prefixes[0].connection.downstream_rq_total;
  ++stats.prefixes[0].connection.downstream_rq_2xx;
  ++stats.proxy_protocol.v1_found;
  StatMap out;
  stats.addTo(plan.value(), out);
  EXPECT_EQ(out.at("http.http-10080.downstream_rq_total").value, 1u);
  EXPECT_EQ(out.at("http.http-10080.downstream_rq_2xx").value, 1u);
  EXPECT_TRUE(out.at("http.http-10080.downstream_cx_active").gauge);
  EXPECT_EQ(out.at("proxy_proto.versions.v1.found").value, 1u);
  EXPECT_EQ(out.count("proxy_proto.versions.v2.found"), 0u);  // only counters that moved
  EXPECT_EQ(out.count("listener.0.0.0.0_10080.downstream_cx_total"), 1u);
  EXPECT_EQ(out.count("http.https-10443.downstream_rq_total"), 1u);
  EXPECT_EQ(out.count("listener.0.0.0.0_10443.downstream_cx_total"), 1u);
  // The TLS transport socket's counters live under the listener's address.
  EXPECT_EQ(out.count("listener.0.0.0.0_10443.ssl.handshake"), 0u);
  for (size_t i = 0; i < plan.value().ports().size(); ++i) {
    if (plan.value().ports()[i].tls) ++stats.ports[i].ssl["ssl.handshake"];
  }
  StatMap again;
  stats.addTo(plan.value(), again);
  EXPECT_EQ(again.at("listener.0.0.0.0_10443.ssl.handshake").value, 1u);
}

TEST(SharedCounters, LimitCountsEveryOpenConnectionAndNamesTheScope) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok());
  SharedCounters counters(t->gateway(), plan.value());
  const auto& port = plan.value().ports().front();
  const size_t listener = static_cast<size_t>(plan.value().chainListener(port));
  ASSERT_TRUE(counters.hasScope(listener));
  const TimePoint now = TimePoint::fromUnixSeconds(100);
  EXPECT_TRUE(counters.onOpened(listener, now).admitted);
  EXPECT_TRUE(counters.onOpened(listener, now).admitted);
  const auto third = counters.onOpened(listener, now);
  EXPECT_FALSE(third.admitted);
  EXPECT_EQ(third.close_at, now);  // no closeDelay: closed at once
  StatMap out;
  counters.addTo(out);
  EXPECT_EQ(out.at("connection_limit.http-10080.limited_connections").value, 1u);
  EXPECT_EQ(out.at("connection_limit.http-10080.active_connections").value, 3u);
  EXPECT_TRUE(out.at("connection_limit.http-10080.active_connections").gauge);
  counters.onClosed(listener);
  EXPECT_TRUE(counters.onOpened(listener, now).admitted == false);  // 2 still held: full
  counters.onClosed(listener);
  counters.onClosed(listener);
  EXPECT_TRUE(counters.onOpened(listener, now).admitted);
}

TEST(SharedCounters, AReloadKeepsCountingAnUnchangedScope) {
  auto t = testing::translateYaml(testing::kGatewayYaml);
  auto plan = GatewayPlan::fromIr(t->gateway());
  ASSERT_TRUE(plan.ok());
  SharedCounters before(t->gateway(), plan.value());
  const size_t listener =
      static_cast<size_t>(plan.value().chainListener(plan.value().ports().front()));
  const TimePoint now = TimePoint::fromUnixSeconds(100);
  EXPECT_TRUE(before.onOpened(listener, now).admitted);
  EXPECT_TRUE(before.onOpened(listener, now).admitted);

  // The same configuration again: the two connections still count, so the third is refused;
  // closing one under the old configuration frees a slot under the new one.
  auto t2 = testing::translateYaml(testing::kGatewayYaml);
  auto plan2 = GatewayPlan::fromIr(t2->gateway());
  ASSERT_TRUE(plan2.ok());
  SharedCounters after(t2->gateway(), plan2.value(), &before);
  EXPECT_FALSE(after.onOpened(listener, now).admitted);
  after.onClosed(listener);
  before.onClosed(listener);
  EXPECT_TRUE(after.onOpened(listener, now).admitted);

  // Without a previous configuration (or with a changed limit) the count starts over.
  SharedCounters fresh(t2->gateway(), plan2.value());
  EXPECT_TRUE(fresh.onOpened(listener, now).admitted);
  EXPECT_TRUE(fresh.onOpened(listener, now).admitted);
}

}  // namespace
}  // namespace ctplab::live
