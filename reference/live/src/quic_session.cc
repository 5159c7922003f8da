#include "quic_session.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "quic_listener.h"
#include "worker.h"

namespace ctplab::live {

QuicSession::QuicSession(TimePoint now, QuicListener& listener,
                         const proxy::http3::ConnectionOpened& opened,
                         std::shared_ptr<const Generation> generation, size_t port_index)
    : listener_(listener), id_(opened.connection), generation_(std::move(generation)) {
  Worker& worker = listener.worker();
  context_ = std::make_shared<ConnectionContext>();
  context_->worker = &worker;
  context_->generation = generation_;
  context_->stats = &worker.stats(generation_);
  context_->port_index = port_index;
  context_->chain_listener = opened.chain_tag;
  context_->peer = opened.peer.address;
  context_->sni = opened.sni;
  PrefixStats& p = prefix();
  ++p.hcm.downstream_cx_total;
  ++p.hcm.downstream_cx_active;
  ++p.hcm.downstream_cx_ssl_total;  // QUIC is always TLS
  ++p.http3.downstream_cx_http3_total;
  ++p.http3.downstream_cx_http3_active;
  listener.server().setListenerStats(id_, &p.http3.codec, &p.connection,
                                     &p.http3.downstream_rq_http3_total);
  const size_t chain = static_cast<size_t>(context_->chain_listener);
  if (generation_->quic_counters.hasScope(chain)) {
    counted_ = true;
    refused_ = !generation_->quic_counters.onOpened(chain, now).admitted;
  }
}

void QuicSession::start() {
  const auto& limit = settings().max_connection_duration;
  if (refused_ || !limit || *limit <= Duration()) return;
  duration_timer_.emplace(listener_.executor());
  duration_timer_->expires_after(std::chrono::nanoseconds(limit->ns()));
  duration_timer_->async_wait([weak = weak_from_this()](const error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->closed_) return;
    ++self->prefix().connection.downstream_cx_max_duration_reached;
    const TimePoint now = self->listener_.worker().shared().clock->now();
    self->drainConnection(now);
    self->listener_.afterActivity(now);
  });
}

const proxy::connection::HttpConnectionSettings& QuicSession::settings() const {
  return generation_->plan.listeners()[static_cast<size_t>(context_->chain_listener)].settings;
}

void QuicSession::drainConnection(TimePoint now) {
  if (draining_ || closed_) return;
  draining_ = true;
  listener_.server().goaway(now, id_);
}

QuicSession::~QuicSession() {
  if (duration_timer_) duration_timer_->cancel();
  cancelExchanges();
  if (!closed_) onClosed(proxy::http3::CloseCause::kLocal);
}

PrefixStats& QuicSession::prefix() {
  const PlannedListener& pl =
      generation_->plan.listeners()[static_cast<size_t>(context_->chain_listener)];
  return context_->stats->prefixes[pl.prefix_index];
}

bool QuicSession::listenerSurvives(const Generation& current) const {
  const std::string& name =
      generation_->plan.listeners()[static_cast<size_t>(context_->chain_listener)].ir->name;
  for (const auto& l : current.plan.listeners()) {
    if (l.ir->name == name) return true;
  }
  return false;
}

void QuicSession::onEvent(TimePoint now, proxy::http1::Event& event) {
  if (closed_ || refused_) return;
  const uint64_t id = proxy::http1::requestIdOf(event);
  if (auto* head = std::get_if<proxy::http1::RequestHead>(&event)) {
    PrefixStats& p = prefix();
    ++p.connection.downstream_rq_total;
    ++p.http3.downstream_rq_http3_total;
    ExchangeHost& host = *this;
    auto exchange = std::make_shared<Exchange>(context_, host, listener_.executor(), id);
    exchanges_.emplace_back(id, exchange);
    exchange->onHead(now, *head);
    const auto& max_requests = settings().max_requests_per_connection;
    if (max_requests && ++requests_ >= *max_requests && !draining_) {
      ++p.connection.downstream_cx_max_requests_reached;
      drainConnection(now);
    }
    forgetAnswered();
    return;
  }
  auto it = std::find_if(exchanges_.begin(), exchanges_.end(),
                         [id](const auto& e) { return e.first == id; });
  if (it == exchanges_.end()) return;  // answered already (early reply)
  const std::shared_ptr<Exchange> exchange = it->second;
  if (auto* body = std::get_if<proxy::http1::BodyData>(&event)) {
    exchange->onBody(body->data);
  } else if (std::holds_alternative<proxy::http1::RequestComplete>(event)) {
    exchange->onComplete(now);
  } else {
    if (std::holds_alternative<proxy::http1::PeerReset>(event)) {
      ++prefix().connection.downstream_rq_rx_reset;
    }
    exchange->cancel();
    std::erase_if(exchanges_, [id](const auto& e) { return e.first == id; });
  }
  forgetAnswered();
}

void QuicSession::onClosed(proxy::http3::CloseCause cause) {
  if (closed_) return;
  closed_ = true;
  if (duration_timer_) duration_timer_->cancel();
  cancelExchanges();
  if (counted_) {
    counted_ = false;
    generation_->quic_counters.onClosed(static_cast<size_t>(context_->chain_listener));
  }
  PrefixStats& p = prefix();
  if (p.hcm.downstream_cx_active > 0) --p.hcm.downstream_cx_active;
  if (p.http3.downstream_cx_http3_active > 0) --p.http3.downstream_cx_http3_active;
  ++p.hcm.downstream_cx_destroy;
  const bool remote = cause == proxy::http3::CloseCause::kPeer;
  ++(remote ? p.hcm.downstream_cx_destroy_remote : p.hcm.downstream_cx_destroy_local);
  if (cause == proxy::http3::CloseCause::kIdleTimeout) ++p.connection.downstream_cx_idle_timeout;
}

proxy::http1::EncodeResult QuicSession::respond(TimePoint now, uint64_t id,
                                                const proxy::http1::ResponseHead& head,
                                                std::string_view body, bool count_status) {
  if (closed_) return proxy::http1::EncodeResult::kClosed;
  const auto result = listener_.server().respond(now, id_, id, head, body);
  if (result == proxy::http1::EncodeResult::kOk && count_status) {
    prefix().connection.countResponse(head.status);
  }
  return result;
}

void QuicSession::requestForwarded(TimePoint now, uint64_t id) {
  if (!closed_) listener_.server().requestForwarded(now, id_, id);
}

bool QuicSession::isOpen(uint64_t id) const {
  return !closed_ && listener_.server().isOpen(id_, id);
}

void QuicSession::afterAsyncAnswer(TimePoint now) {
  forgetAnswered();
  listener_.afterActivity(now);
}

void QuicSession::forgetAnswered() {
  std::erase_if(exchanges_, [this](const auto& e) {
    if (!closed_ && listener_.server().isOpen(id_, e.first)) return false;
    e.second->cancel();
    return true;
  });
}

void QuicSession::cancelExchanges() {
  for (auto& [id, exchange] : exchanges_) exchange->cancel();
  exchanges_.clear();
}

}  // namespace ctplab::live
