// One downstream connection of a TCP/TLS route chain (spec 3.3, 4.1, 4.3): limit verdict, idle
// timeout, flow control and byte counts on explicit times; the driver moves the bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection/gauge_share.h"
#include "ctplab/proxy/connection/listener_stats.h"
#include "ctplab/proxy/connection/phase_timer.h"
#include "ctplab/proxy/connection/tcp_proxy_stats.h"
#include "ctplab/proxy/connection/watermark.h"
#include "ctplab/proxy/connection_limit/counter_group.h"

namespace ctplab::proxy::connection {

// The settings of one route filter chain. Defaults are the proxy's with no policy. The HTTP-only
// limits (maxConnectionDuration, maxRequestsPerConnection, maxStreamDuration) do not exist here.
struct TcpProxySettings {
  std::optional<Duration> idle_timeout = Duration::seconds(3600);  // tcp.idleTimeout
  std::optional<Duration> tls_handshake_timeout;                   // tcp.tlsHandshakeTimeout
  // CTP bufferLimit: the downstream connection's write buffer (bytes from the upstream not yet
  // written to the client); above it the proxy stops reading the upstream. nullopt: none.
  std::optional<uint64_t> buffer_limit_bytes = 32768;
  // The upstream connection's write buffer (client bytes not yet written upstream); above it the
  // proxy stops reading the client. The cluster sets it, not the policy: Envoy's default 1 MiB.
  std::optional<uint64_t> upstream_buffer_limit_bytes = uint64_t{1} << 20;

  static TcpProxySettings fromListener(const policy::ir::Listener& listener);
};

enum class TcpCloseReason {
  kNone,
  kConnectionLimit,      // rejected by the counter group, closed at closeDelay
  kIdleTimeout,          // no byte in either direction for tcp.idleTimeout
  kTlsHandshakeTimeout,  // the TLS handshake did not finish within tlsHandshakeTimeout
  kPeer,                 // the client reset, or closed its side after the upstream had
  kUpstream,             // the upstream reset or failed, or closed its side after the client had
};

class TcpProxyConnection {
 public:
  // `admission` is the counter group's decision at `opened`. `stats` and `listener_stats`
  // (optional) must outlive the connection.
  TcpProxyConnection(TimePoint opened, connection_limit::CounterGroup::Decision admission,
                     TcpProxyStats& stats, TcpProxySettings settings,
                     ListenerConnectionStats* listener_stats = nullptr);

  // TLS-terminating chains: the handshake (normally started at `opened`).
  void onTlsHandshakeStarted(TimePoint now);
  void onTlsHandshakeDone(TimePoint now);

  // Bytes read from each side; they wait in the proxy until the driver writes them to the other
  // side and reports it. Ignored on a rejected or closed connection and after that side's FIN.
  void onBytesFromClient(TimePoint now, uint64_t n);
  void onBytesFromUpstream(TimePoint now, uint64_t n);
  void onBytesSentToUpstream(TimePoint now, uint64_t n);
  void onBytesSentToClient(TimePoint now, uint64_t n);
  uint64_t pendingToUpstream() const { return to_upstream_; }
  uint64_t pendingToClient() const { return to_client_.value(); }

  // FIN from one side: forward it once that side's pending bytes are written. The connection
  // closes when both sides have finished.
  void onPeerClosed(TimePoint now);
  void onUpstreamClosed(TimePoint now);
  // A reset, or a dead peer found by keepalive: the connection closes at once, dropping pending
  // bytes for the side that went away.
  void onPeerReset(TimePoint now);
  // The upstream reset, or could not be connected: pending bytes for the client are still
  // written, then the connection closes.
  void onUpstreamReset(TimePoint now);

  // Timers: the driver arms one timer at nextDeadline() and calls onDeadline when it fires.
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);

  // Flow control. readPaused(): the upstream write buffer is over its limit; the proxy stops
  // reading the client (downstream_flow_control_paused/resumed_reading_total). The allowances
  // say how many bytes the driver may read from each side now: 0 while paused, on a rejected
  // (Envoy never reads it) or closed connection, and after that side's FIN.
  bool readPaused() const;
  uint64_t readAllowance() const;
  bool upstreamReadPaused() const;
  uint64_t upstreamReadAllowance() const;

  // The driver closes both sockets once this is true and pendingToClient() is flushed (it is
  // emptied on closes that do not flush).
  bool shouldClose() const { return close_reason_ != TcpCloseReason::kNone; }
  TcpCloseReason closeReason() const { return close_reason_; }
  bool admitted() const { return admitted_; }
  bool clientFinished() const { return client_fin_; }
  bool upstreamFinished() const { return upstream_fin_; }

 private:
  bool open() const { return admitted_ && !shouldClose(); }
  void touch(TimePoint now);
  // Pending bytes a close does not flush are dropped.
  void close(TcpCloseReason reason, bool keep_to_client, bool keep_to_upstream);
  void updateFlowControl();

  TcpProxyStats* stats_;
  TcpProxySettings settings_;
  bool admitted_;
  std::optional<TimePoint> reject_close_at_;
  PhaseTimer tls_handshake_;
  Watermark to_upstream_watermark_;
  Watermark to_client_watermark_;
  std::optional<TimePoint> idle_deadline_;
  uint64_t to_upstream_ = 0;
  GaugeShare to_client_;  // bytes for the client: the share of downstream_cx_tx_bytes_buffered
  bool client_fin_ = false;
  bool upstream_fin_ = false;
  TcpCloseReason close_reason_ = TcpCloseReason::kNone;
};

}  // namespace ctplab::proxy::connection
