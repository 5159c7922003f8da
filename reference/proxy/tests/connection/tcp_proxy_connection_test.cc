// The TCP/TLS-route connection on explicit times: admission with closeDelay, tcp.idleTimeout over
// bytes in either direction, byte counters, half-close, resets and flow control (spec 3.3, 4.1,
// 4.3, 4.17).
#include "ctplab/proxy/connection/tcp_proxy_connection.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace ctplab::proxy::connection {
namespace {

TimePoint at(int64_t ms) { return TimePoint::fromUnixNanos(ms * 1'000'000); }

TcpProxySettings idle(int64_t seconds) {
  TcpProxySettings s;
  s.idle_timeout = Duration::seconds(seconds);
  return s;
}

TEST(TcpProxyConnection, RejectedConnectionReadsNothingAndClosesAtCloseDelay) {
  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {false, at(10'000)}, stats, {});
  EXPECT_FALSE(c.admitted());
  EXPECT_EQ(stats.downstream_cx_total, 1u);  // counted although rejected
  EXPECT_EQ(c.readAllowance(), 0u);
  c.onBytesFromClient(at(1), 100);
  EXPECT_EQ(stats.downstream_cx_rx_bytes_total, 0u);
  EXPECT_EQ(c.nextDeadline(), at(10'000));  // no idle timer on a rejected connection
  c.onDeadline(at(10'000));
  EXPECT_EQ(c.closeReason(), TcpCloseReason::kConnectionLimit);

  TcpProxyConnection now(at(0), {false, at(0)}, stats, {});
  EXPECT_EQ(now.closeReason(), TcpCloseReason::kConnectionLimit);
  EXPECT_EQ(stats.downstream_cx_total, 2u);
}

TEST(TcpProxyConnection, IdleTimeoutDefaultsToAnHourFromTheOpen) {
  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {}, stats, {});
  EXPECT_EQ(c.nextDeadline(), at(3'600'000));
  c.onDeadline(at(3'600'000));
  EXPECT_EQ(c.closeReason(), TcpCloseReason::kIdleTimeout);
  EXPECT_EQ(stats.idle_timeout, 1u);
}

TEST(TcpProxyConnection, BytesInEitherDirectionRestartTheIdleTimer) {
  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {}, stats, idle(10));
  c.onBytesFromClient(at(4'000), 5);
  EXPECT_EQ(c.nextDeadline(), at(14'000));
  c.onBytesSentToUpstream(at(5'000), 5);
  EXPECT_EQ(c.nextDeadline(), at(15'000));
  c.onBytesFromUpstream(at(12'000), 7);
  EXPECT_EQ(c.nextDeadline(), at(22'000));
  c.onBytesSentToClient(at(13'000), 7);
  EXPECT_EQ(c.nextDeadline(), at(23'000));
  c.onDeadline(at(22'999));
  EXPECT_FALSE(c.shouldClose());
  c.onDeadline(at(23'000));
  EXPECT_EQ(c.closeReason(), TcpCloseReason::kIdleTimeout);
  EXPECT_EQ(stats.idle_timeout, 1u);
  EXPECT_EQ(stats.downstream_cx_rx_bytes_total, 5u);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_total, 7u);
}

TEST(TcpProxyConnection, IdleTimeoutDropsWhatWasNotWritten) {
  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {}, stats, idle(10));
  c.onBytesFromUpstream(at(0), 300);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 300u);
  c.onDeadline(at(10'000));
  EXPECT_EQ(c.pendingToClient(), 0u);  // Envoy closes without flushing
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 0u);
  EXPECT_EQ(c.nextDeadline(), std::nullopt);
}

TEST(TcpProxyConnection, ZeroIdleTimeoutFromTheIrDisablesIt) {
  policy::ir::Listener l;
  l.protocol = "TCP";
  EXPECT_EQ(TcpProxySettings::fromListener(l).idle_timeout, Duration::seconds(3600));
  l.timeout = policy::ir::ClientTimeout{};
  l.timeout->tcp = policy::ir::ClientTimeout::Tcp{};
  l.timeout->tcp->idle_timeout = Duration::seconds(0);
  l.timeout->tcp->tls_handshake_timeout = Duration::seconds(4);
  l.connection = policy::ir::ClientConnection{};
  l.connection->buffer_limit_bytes = 2048;
  const TcpProxySettings s = TcpProxySettings::fromListener(l);
  EXPECT_EQ(s.idle_timeout, std::nullopt);
  EXPECT_EQ(s.tls_handshake_timeout, Duration::seconds(4));
  EXPECT_EQ(s.buffer_limit_bytes, 2048u);
  EXPECT_EQ(s.upstream_buffer_limit_bytes, 1u << 20);  // the cluster's, not the policy's

  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {}, stats, s);
  EXPECT_EQ(c.nextDeadline(), std::nullopt);
}

TEST(TcpProxyConnection, ClosesWhenBothSidesHaveFinished) {
  TcpProxyStats stats;
  TcpProxyConnection c(at(0), {}, stats, {});
  c.onBytesFromClient(at(1), 10);
  c.onPeerClosed(at(2));  // half-close: the upstream may still answer
  EXPECT_TRUE(c.clientFinished());
  EXPECT_FALSE(c.shouldClose());
  EXPECT_EQ(c.readAllowance(), 0u);
  c.onBytesFromClient(at(3), 5);  // nothing after a FIN
  EXPECT_EQ(stats.downstream_cx_rx_bytes_total, 10u);
  c.onBytesSentToUpstream(at(3), 10);
  c.onBytesFromUpstream(at(4), 20);
  c.onUpstreamClosed(at(5));
  EXPECT_EQ(c.closeReason(), TcpCloseReason::kUpstream);
  EXPECT_EQ(c.pendingToClient(), 20u);  // still written before the socket closes
  c.onBytesSentToClient(at(6), 20);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_total, 20u);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 0u);
}

TEST(TcpProxyConnection, ResetsCloseAtOnce) {
  TcpProxyStats stats;
  TcpProxyConnection peer(at(0), {}, stats, {});
  peer.onBytesFromClient(at(1), 10);
  peer.onBytesFromUpstream(at(1), 30);
  peer.onPeerReset(at(2));
  EXPECT_EQ(peer.closeReason(), TcpCloseReason::kPeer);
  EXPECT_EQ(peer.pendingToClient(), 0u);     // the client is gone
  EXPECT_EQ(peer.pendingToUpstream(), 10u);  // still delivered upstream

  TcpProxyConnection upstream(at(0), {}, stats, {});
  upstream.onBytesFromClient(at(1), 10);
  upstream.onBytesFromUpstream(at(1), 30);
  upstream.onUpstreamReset(at(2));
  EXPECT_EQ(upstream.closeReason(), TcpCloseReason::kUpstream);
  EXPECT_EQ(upstream.pendingToClient(), 30u);
  EXPECT_EQ(upstream.pendingToUpstream(), 0u);
}

TEST(TcpProxyConnection, SlowUpstreamPausesReadingTheClient) {
  TcpProxyStats stats;
  TcpProxySettings s;
  s.upstream_buffer_limit_bytes = 1000;
  TcpProxyConnection c(at(0), {}, stats, s);
  EXPECT_EQ(c.readAllowance(), 1001u);
  c.onBytesFromClient(at(1), 1001);
  EXPECT_TRUE(c.readPaused());
  EXPECT_EQ(c.readAllowance(), 0u);
  EXPECT_EQ(stats.downstream_flow_control_paused_reading_total, 1u);
  c.onBytesSentToUpstream(at(2), 500);  // 501 left: above half
  EXPECT_TRUE(c.readPaused());
  c.onBytesSentToUpstream(at(3), 1);  // 500 left
  EXPECT_FALSE(c.readPaused());
  EXPECT_EQ(c.readAllowance(), 501u);
  EXPECT_EQ(stats.downstream_flow_control_resumed_reading_total, 1u);
}

TEST(TcpProxyConnection, SlowClientPausesReadingTheUpstream) {
  TcpProxyStats stats;
  TcpProxySettings s;
  s.buffer_limit_bytes = 100;
  TcpProxyConnection c(at(0), {}, stats, s);
  c.onBytesFromUpstream(at(1), 150);
  EXPECT_TRUE(c.upstreamReadPaused());
  EXPECT_EQ(c.upstreamReadAllowance(), 0u);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 150u);
  EXPECT_FALSE(c.readPaused());  // the client side still reads
  EXPECT_EQ(stats.downstream_flow_control_paused_reading_total, 0u);
  c.onBytesSentToClient(at(2), 100);
  EXPECT_FALSE(c.upstreamReadPaused());
  EXPECT_EQ(c.upstreamReadAllowance(), 51u);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 50u);
}

TEST(TcpProxyConnection, BufferedGaugeIsSharedAndWithdrawnWithTheConnection) {
  TcpProxyStats stats;
  auto a = std::make_unique<TcpProxyConnection>(at(0), connection_limit::CounterGroup::Decision{},
                                                stats, TcpProxySettings{});
  TcpProxyConnection b(at(0), {}, stats, {});
  a->onBytesFromUpstream(at(1), 10);
  b.onBytesFromUpstream(at(1), 5);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 15u);
  TcpProxyConnection moved = std::move(b);
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 15u);
  a.reset();
  EXPECT_EQ(stats.downstream_cx_tx_bytes_buffered, 5u);
  std::vector<std::pair<std::string_view, bool>> names;
  stats.forEach([&](std::string_view name, uint64_t, bool gauge) {
    names.push_back({name, gauge});
  });
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names.front().first, "downstream_cx_rx_bytes_total");
  EXPECT_EQ(names.back().first, "downstream_cx_tx_bytes_buffered");
  EXPECT_TRUE(names.back().second);
}

TEST(TcpProxyConnection, WithoutLimitsNothingPauses) {
  TcpProxyStats stats;
  TcpProxySettings s;
  s.buffer_limit_bytes = std::nullopt;
  s.upstream_buffer_limit_bytes = std::nullopt;
  TcpProxyConnection c(at(0), {}, stats, s);
  c.onBytesFromClient(at(1), 10'000'000);
  c.onBytesFromUpstream(at(1), 10'000'000);
  EXPECT_FALSE(c.readPaused());
  EXPECT_FALSE(c.upstreamReadPaused());
  EXPECT_EQ(c.readAllowance(), std::numeric_limits<uint64_t>::max());
}

}  // namespace
}  // namespace ctplab::proxy::connection
