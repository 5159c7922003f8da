// tcp.tlsHandshakeTimeout on both connection kinds and the PhaseTimer under it, plus the
// listener-filter inspection limit read from the IR (spec 1.3.7, 4.3).
#include <gtest/gtest.h>

#include "connection/http_connection_fixture.h"
#include "ctplab/proxy/connection/inspection_timeout.h"
#include "ctplab/proxy/connection/phase_timer.h"
#include "ctplab/proxy/connection/tcp_proxy_connection.h"

namespace ctplab::proxy::connection {
namespace {

using test_support::at;
using test_support::Fixture;
using test_support::kGet;

TEST(ConnectionPhaseTimer, TimesOutAtStartPlusLimitAndCountsOnce) {
  uint64_t counter = 0;
  PhaseTimer t(Duration::seconds(10), &counter);
  EXPECT_EQ(t.deadline(), std::nullopt);  // not started
  t.start(at(500));
  EXPECT_EQ(t.deadline(), at(10'500));
  EXPECT_FALSE(t.onDeadline(at(10'499)));
  EXPECT_TRUE(t.onDeadline(at(10'500)));
  EXPECT_FALSE(t.onDeadline(at(10'501)));
  EXPECT_TRUE(t.timedOut());
  EXPECT_FALSE(t.finish(at(11'000)));
  EXPECT_EQ(counter, 1u);
}

TEST(ConnectionPhaseTimer, FinishingBeforeTheDeadlineDisarmsIt) {
  uint64_t counter = 0;
  PhaseTimer t(Duration::seconds(10), &counter);
  t.start(at(0));
  EXPECT_TRUE(t.finish(at(9'999)));
  EXPECT_EQ(t.deadline(), std::nullopt);
  EXPECT_FALSE(t.onDeadline(at(20'000)));
  EXPECT_EQ(counter, 0u);
}

TEST(ConnectionPhaseTimer, AFinishReportedAtOrAfterTheDeadlineIsATimeout) {
  uint64_t counter = 0;
  PhaseTimer t(Duration::seconds(10), &counter);
  t.start(at(0));
  EXPECT_FALSE(t.finish(at(10'000)));  // the timer fires first at the same instant
  EXPECT_TRUE(t.timedOut());
  EXPECT_EQ(counter, 1u);
}

TEST(ConnectionPhaseTimer, ZeroOrNoLimitNeverTimesOut) {
  uint64_t counter = 0;
  PhaseTimer none;
  none.start(at(0));
  EXPECT_EQ(none.deadline(), std::nullopt);
  EXPECT_TRUE(none.finish(at(1'000'000)));
  PhaseTimer zero(Duration::seconds(0), &counter);
  zero.start(at(0));
  EXPECT_EQ(zero.deadline(), std::nullopt);
  EXPECT_FALSE(zero.onDeadline(at(1'000'000)));
  EXPECT_EQ(counter, 0u);
}

TEST(ConnectionInspectionTimeout, DefaultsTo15SecondsAndZeroDisables) {
  policy::ir::Listener l;
  EXPECT_EQ(connectionInspectionTimeout(l), Duration::seconds(15));
  l.timeout = policy::ir::ClientTimeout{};
  l.timeout->tcp = policy::ir::ClientTimeout::Tcp{};
  l.timeout->tcp->connection_inspection_timeout = Duration::milliseconds(2'500);
  EXPECT_EQ(connectionInspectionTimeout(l), Duration::milliseconds(2'500));
  l.timeout->tcp->connection_inspection_timeout = Duration::seconds(0);
  EXPECT_EQ(connectionInspectionTimeout(l), std::nullopt);
}

HttpConnectionSettings tlsTimeout(int64_t seconds) {
  HttpConnectionSettings s;
  s.tls_handshake_timeout = Duration::seconds(seconds);
  return s;
}

TEST(HttpConnectionTlsHandshake, UnfinishedHandshakeClosesAtTheTimeout) {
  Fixture f(tlsTimeout(10));
  f.conn().onTlsHandshakeStarted(at(0));
  EXPECT_EQ(f.conn().nextDeadline(), at(10'000));  // before the 1 h idle timer
  f.conn().onDeadline(at(10'000));
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kTlsHandshakeTimeout);
  EXPECT_EQ(f.listenerStats().downstream_cx_transport_socket_connect_timeout, 1u);
  EXPECT_EQ(f.drain(), "");  // no HTTP answer: there is no TLS session to send it on
}

TEST(HttpConnectionTlsHandshake, FinishedHandshakeLeavesTheOtherTimers) {
  Fixture f(tlsTimeout(10));
  f.conn().onTlsHandshakeStarted(at(0));
  f.conn().onTlsHandshakeDone(at(250));
  EXPECT_EQ(f.conn().nextDeadline(), at(3'600'000));
  f.conn().onBytes(at(300), kGet);
  EXPECT_EQ(f.requestsSeen(), 1);
  EXPECT_EQ(f.listenerStats().downstream_cx_transport_socket_connect_timeout, 0u);
}

TEST(HttpConnectionTlsHandshake, LateCompletionIsATimeout) {
  Fixture f(tlsTimeout(10));
  f.conn().onTlsHandshakeStarted(at(0));
  f.conn().onTlsHandshakeDone(at(12'000));
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kTlsHandshakeTimeout);
  EXPECT_EQ(f.listenerStats().downstream_cx_transport_socket_connect_timeout, 1u);
}

TEST(HttpConnectionTlsHandshake, RejectedConnectionStillTimesOutFirst) {
  Fixture f(tlsTimeout(10), {false, at(30'000)});
  f.conn().onTlsHandshakeStarted(at(0));
  EXPECT_EQ(f.conn().nextDeadline(), at(10'000));
  f.conn().onDeadline(at(10'000));
  EXPECT_EQ(f.conn().closeReason(), CloseReason::kTlsHandshakeTimeout);
}

TEST(TcpProxyConnectionTlsHandshake, UnfinishedHandshakeClosesAtTheTimeout) {
  TcpProxyStats stats;
  ListenerConnectionStats listener;
  TcpProxySettings s;
  s.tls_handshake_timeout = Duration::seconds(5);
  TcpProxyConnection c(at(0), {}, stats, s, &listener);
  c.onTlsHandshakeStarted(at(0));
  EXPECT_EQ(c.nextDeadline(), at(5'000));
  c.onDeadline(at(5'000));
  EXPECT_EQ(c.closeReason(), TcpCloseReason::kTlsHandshakeTimeout);
  EXPECT_EQ(listener.downstream_cx_transport_socket_connect_timeout, 1u);
  EXPECT_EQ(stats.idle_timeout, 0u);

  TcpProxyConnection done(at(0), {}, stats, s, &listener);
  done.onTlsHandshakeStarted(at(0));
  done.onTlsHandshakeDone(at(4'999));
  EXPECT_EQ(done.nextDeadline(), at(3'600'000));
  EXPECT_EQ(listener.downstream_cx_transport_socket_connect_timeout, 1u);
}

}  // namespace
}  // namespace ctplab::proxy::connection
