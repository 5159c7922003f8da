// TCP keepalive: effective settings from the IR with OS defaults (spec 1.3.1, 4.4) and the probe
// schedule on explicit times, down to the dead-peer verdict at idle + probes × interval.
#include "ctplab/proxy/connection/tcp_keepalive.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::connection {
namespace {

TimePoint sec(int64_t s) { return TimePoint::fromUnixSeconds(s); }

TcpKeepaliveConfig config(int64_t idle_s, int64_t interval_s, uint32_t probes) {
  return {true, Duration::seconds(idle_s), Duration::seconds(interval_s), probes};
}

TEST(TcpKeepaliveConfig, AbsentPolicyLeavesKeepaliveOff) {
  const auto c = TcpKeepaliveConfig::fromListener(policy::ir::Listener{}, kLinuxKeepaliveDefaults);
  EXPECT_FALSE(c.enabled);
}

TEST(TcpKeepaliveConfig, EmptyObjectTurnsItOnWithOsDefaults) {
  policy::ir::Listener l;
  l.tcp_keepalive = policy::ir::TCPKeepalive{};
  const auto c = TcpKeepaliveConfig::fromListener(l, kLinuxKeepaliveDefaults);
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.idle_time, Duration::seconds(7200));
  EXPECT_EQ(c.interval, Duration::seconds(75));
  EXPECT_EQ(c.probes, 9u);
  EXPECT_EQ(c.deadPeerDetectionTime(), Duration::seconds(7200 + 9 * 75));
}

TEST(TcpKeepaliveConfig, SetFieldsOverrideTheOsDefaults) {
  policy::ir::Listener l;
  l.tcp_keepalive = policy::ir::TCPKeepalive{};
  l.tcp_keepalive->idle_time_s = 60;
  l.tcp_keepalive->probes = 3;
  const auto c = TcpKeepaliveConfig::fromListener(l, KeepaliveOsDefaults{100, 20, 5});
  EXPECT_EQ(c.idle_time, Duration::seconds(60));
  EXPECT_EQ(c.interval, Duration::seconds(20));  // from the caller's OS defaults
  EXPECT_EQ(c.probes, 3u);
  EXPECT_EQ(c.deadPeerDetectionTime(), Duration::seconds(120));
}

TEST(KeepaliveProber, SilentPeerIsDeadAfterIdlePlusProbesTimesInterval) {
  KeepaliveProber p(config(60, 10, 3), sec(0));
  EXPECT_EQ(p.nextDeadline(), sec(60));
  EXPECT_EQ(p.onDeadline(sec(60)), KeepaliveProber::Action::kSendProbe);
  EXPECT_EQ(p.nextDeadline(), sec(70));
  EXPECT_EQ(p.onDeadline(sec(70)), KeepaliveProber::Action::kSendProbe);
  EXPECT_EQ(p.onDeadline(sec(80)), KeepaliveProber::Action::kSendProbe);
  EXPECT_EQ(p.unansweredProbes(), 3u);
  EXPECT_EQ(p.nextDeadline(), sec(90));
  EXPECT_EQ(p.onDeadline(sec(89)), KeepaliveProber::Action::kNone);
  EXPECT_EQ(p.onDeadline(sec(90)), KeepaliveProber::Action::kPeerDead);
  EXPECT_TRUE(p.peerDead());
  EXPECT_EQ(p.nextDeadline(), std::nullopt);
}

TEST(KeepaliveProber, AnsweredProbeRestartsTheIdlePeriod) {
  KeepaliveProber p(config(60, 10, 3), sec(0));
  p.onPeerActivity(sec(30));  // data from the peer
  EXPECT_EQ(p.nextDeadline(), sec(90));
  EXPECT_EQ(p.onDeadline(sec(90)), KeepaliveProber::Action::kSendProbe);
  EXPECT_EQ(p.onDeadline(sec(100)), KeepaliveProber::Action::kSendProbe);
  p.onPeerActivity(sec(101));  // the second probe's ACK
  EXPECT_EQ(p.unansweredProbes(), 0u);
  EXPECT_EQ(p.nextDeadline(), sec(161));
}

TEST(KeepaliveProber, LateCallCatchesUpWithTheSchedule) {
  KeepaliveProber p(config(60, 10, 3), sec(0));
  EXPECT_EQ(p.onDeadline(sec(75)), KeepaliveProber::Action::kSendProbe);  // probes at 60 and 70
  EXPECT_EQ(p.unansweredProbes(), 2u);
  EXPECT_EQ(p.nextDeadline(), sec(80));
  EXPECT_EQ(p.onDeadline(sec(500)), KeepaliveProber::Action::kPeerDead);
}

TEST(KeepaliveProber, DisabledNeverProbes) {
  TcpKeepaliveConfig off = config(60, 10, 3);
  off.enabled = false;
  KeepaliveProber p(off, sec(0));
  EXPECT_EQ(p.nextDeadline(), std::nullopt);
  EXPECT_EQ(p.onDeadline(sec(1'000'000)), KeepaliveProber::Action::kNone);
}

TEST(KeepaliveProber, ZeroProbesDeclaresDeathAtTheFirstProbeTime) {
  KeepaliveProber p(config(60, 10, 0), sec(0));
  EXPECT_EQ(p.onDeadline(sec(60)), KeepaliveProber::Action::kPeerDead);
}

}  // namespace
}  // namespace ctplab::proxy::connection
