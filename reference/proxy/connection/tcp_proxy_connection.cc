// The TCP proxy connection: admission, TLS handshake and idle timers, half-close bookkeeping and
// watermark flow control in both directions, as Envoy's tcp_proxy filter runs them.
#include "ctplab/proxy/connection/tcp_proxy_connection.h"

#include <algorithm>
#include <limits>

namespace ctplab::proxy::connection {
namespace {

std::optional<Duration> positive(const std::optional<Duration>& d) {
  return d && d->ns() > 0 ? d : std::nullopt;
}

void earliest(std::optional<TimePoint>& best, const std::optional<TimePoint>& t) {
  if (t && (!best || *t < *best)) best = t;
}

uint64_t allowance(const Watermark& w, uint64_t buffered) {
  return w.room(buffered).value_or(std::numeric_limits<uint64_t>::max());
}

}  // namespace

TcpProxySettings TcpProxySettings::fromListener(const policy::ir::Listener& l) {
  TcpProxySettings s;
  if (l.timeout && l.timeout->tcp) {
    const auto& t = *l.timeout->tcp;
    // Zero disables a timer, as in Envoy.
    if (t.idle_timeout) s.idle_timeout = positive(t.idle_timeout);
    s.tls_handshake_timeout = positive(t.tls_handshake_timeout);
  }
  if (l.connection && l.connection->buffer_limit_bytes) {
    const uint32_t limit = *l.connection->buffer_limit_bytes;
    s.buffer_limit_bytes = limit > 0 ? std::optional<uint64_t>(limit) : std::nullopt;
  }
  return s;
}

TcpProxyConnection::TcpProxyConnection(TimePoint opened,
                                       connection_limit::CounterGroup::Decision admission,
                                       TcpProxyStats& stats, TcpProxySettings settings,
                                       ListenerConnectionStats* listener_stats)
    : stats_(&stats),
      settings_(std::move(settings)),
      admitted_(admission.admitted),
      tls_handshake_(settings_.tls_handshake_timeout,
                     listener_stats != nullptr
                         ? &listener_stats->downstream_cx_transport_socket_connect_timeout
                         : nullptr),
      to_upstream_watermark_(settings_.upstream_buffer_limit_bytes),
      to_client_watermark_(settings_.buffer_limit_bytes),
      to_client_(&stats.downstream_cx_tx_bytes_buffered) {
  // Envoy builds the whole filter chain before the limit filter runs, so the TCP proxy counts
  // rejected connections too.
  ++stats_->downstream_cx_total;
  if (!admitted_) {
    // The TCP proxy never starts on a rejected connection: no idle timer, no reading.
    reject_close_at_ = admission.close_at.value_or(opened);
    if (*reject_close_at_ <= opened) close(TcpCloseReason::kConnectionLimit, false, false);
    return;
  }
  // The idle timer starts with the connection, before the upstream is connected (Envoy >= 1.36).
  if (settings_.idle_timeout) idle_deadline_ = opened + *settings_.idle_timeout;
}

void TcpProxyConnection::onTlsHandshakeStarted(TimePoint now) {
  if (!shouldClose()) tls_handshake_.start(now);
}

void TcpProxyConnection::onTlsHandshakeDone(TimePoint now) {
  if (shouldClose()) return;
  if (!tls_handshake_.finish(now)) close(TcpCloseReason::kTlsHandshakeTimeout, false, false);
}

void TcpProxyConnection::touch(TimePoint now) {
  // Envoy restarts the timer on bytes read from and written to either side.
  if (open() && settings_.idle_timeout) idle_deadline_ = now + *settings_.idle_timeout;
}

void TcpProxyConnection::onBytesFromClient(TimePoint now, uint64_t n) {
  if (!open() || client_fin_ || n == 0) return;
  stats_->downstream_cx_rx_bytes_total += n;
  to_upstream_ += n;
  touch(now);
  updateFlowControl();
}

void TcpProxyConnection::onBytesFromUpstream(TimePoint now, uint64_t n) {
  if (!open() || upstream_fin_ || n == 0) return;
  to_client_.set(to_client_.value() + n);
  touch(now);
  updateFlowControl();
}

void TcpProxyConnection::onBytesSentToUpstream(TimePoint now, uint64_t n) {
  n = std::min(n, to_upstream_);
  if (n == 0) return;
  to_upstream_ -= n;
  touch(now);
  updateFlowControl();
}

void TcpProxyConnection::onBytesSentToClient(TimePoint now, uint64_t n) {
  // Also after close: the bytes a flushing close still writes are counted.
  n = std::min(n, to_client_.value());
  if (n == 0) return;
  to_client_.set(to_client_.value() - n);
  stats_->downstream_cx_tx_bytes_total += n;
  touch(now);
  updateFlowControl();
}

void TcpProxyConnection::onPeerClosed(TimePoint) {
  if (shouldClose()) return;
  if (!admitted_) {
    close(TcpCloseReason::kPeer, false, false);
    return;
  }
  client_fin_ = true;
  if (upstream_fin_) close(TcpCloseReason::kPeer, true, true);
}

void TcpProxyConnection::onUpstreamClosed(TimePoint) {
  if (!open()) return;
  upstream_fin_ = true;
  if (client_fin_) close(TcpCloseReason::kUpstream, true, true);
}

void TcpProxyConnection::onPeerReset(TimePoint) {
  if (shouldClose()) return;
  // What the client sent still reaches the upstream (Envoy drains the upstream side).
  close(TcpCloseReason::kPeer, false, admitted_);
}

void TcpProxyConnection::onUpstreamReset(TimePoint) {
  if (!open()) return;
  close(TcpCloseReason::kUpstream, true, false);
}

std::optional<TimePoint> TcpProxyConnection::nextDeadline() const {
  if (shouldClose()) return std::nullopt;
  std::optional<TimePoint> best;
  earliest(best, tls_handshake_.deadline());
  earliest(best, reject_close_at_);
  earliest(best, idle_deadline_);
  return best;
}

void TcpProxyConnection::onDeadline(TimePoint now) {
  if (shouldClose()) return;
  if (tls_handshake_.onDeadline(now)) {
    close(TcpCloseReason::kTlsHandshakeTimeout, false, false);
    return;
  }
  if (reject_close_at_) {
    if (now >= *reject_close_at_) close(TcpCloseReason::kConnectionLimit, false, false);
    return;
  }
  if (idle_deadline_ && now >= *idle_deadline_) {
    ++stats_->idle_timeout;
    // Envoy closes both sides without flushing.
    close(TcpCloseReason::kIdleTimeout, false, false);
  }
}

bool TcpProxyConnection::readPaused() const { return open() && to_upstream_watermark_.above(); }

uint64_t TcpProxyConnection::readAllowance() const {
  if (!open() || client_fin_) return 0;
  return allowance(to_upstream_watermark_, to_upstream_);
}

bool TcpProxyConnection::upstreamReadPaused() const {
  return open() && to_client_watermark_.above();
}

uint64_t TcpProxyConnection::upstreamReadAllowance() const {
  if (!open() || upstream_fin_) return 0;
  return allowance(to_client_watermark_, to_client_.value());
}

void TcpProxyConnection::close(TcpCloseReason reason, bool keep_to_client, bool keep_to_upstream) {
  close_reason_ = reason;
  idle_deadline_.reset();
  if (!keep_to_client) to_client_.set(0);
  if (!keep_to_upstream) to_upstream_ = 0;
}

void TcpProxyConnection::updateFlowControl() {
  if (!open()) return;
  switch (to_upstream_watermark_.update(to_upstream_)) {
    case Watermark::Change::kAbove:
      ++stats_->downstream_flow_control_paused_reading_total;
      break;
    case Watermark::Change::kBelow:
      ++stats_->downstream_flow_control_resumed_reading_total;
      break;
    case Watermark::Change::kNone:
      break;
  }
  // Pausing the upstream is counted on the cluster (upstream_flow_control_*), not here.
  to_client_watermark_.update(to_client_.value());
}

}  // namespace ctplab::proxy::connection
