#include "worker.h"

#include <algorithm>

#include "ctplab/live/host_port.h"
#include "downstream_connection.h"
#include "quic_listener.h"
#include "redis_rate_limit_store.h"
#include "upstream_pool.h"

namespace ctplab::live {

Worker::Worker(size_t id, const GatewayShared& shared, std::shared_ptr<const Generation> generation)
    : id_(id),
      shared_(shared),
      // One thread runs the loop: completions it queues itself skip the loop's lock (handlers
      // posted from other threads still take it).
      context_(1),
      rng_(std::random_device{}() + id) {
  stats(generation);  // every name shows in /stats from the start, as Envoy's do
  current_ = std::move(generation);
}

Worker::~Worker() { stop(); }

void Worker::startThread() {
  work_.emplace(context_.get_executor());
  running_ = true;
  exited_ = std::promise<void>();
  exited_future_ = exited_.get_future();
  thread_ = std::thread([this] {
    // A handler that throws (allocation failure) loses its own connection, not the worker:
    // Asio allows run() to be entered again after an exception.
    for (;;) {
      try {
        context_.run();
        break;
      } catch (const std::exception& e) {
        shared_.options->log("worker " + std::to_string(id_) + ": " + e.what());
      }
    }
    exited_.set_value();
  });
}

void Worker::accept(const std::shared_ptr<Acceptor>& a) {
  a->socket.async_accept(a->peer, [this, a](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || a->closed || draining_) return;
    if (ec) {
      shared_.options->log("accept on " +
                           formatHostPort(shared_.options->bind_address, a->bound_port) +
                           " failed: " + ec.message());
      // Out of descriptors or memory: back off instead of spinning on the same error.
      a->retry.expires_after(std::chrono::milliseconds(100));
      a->retry.async_wait([this, a](const error_code& e) {
        if (!e && !a->closed && !draining_) accept(a);
      });
      return;
    }
    adopt(std::move(socket), a->peer, a->port_index);
    accept(a);
  });
}

void Worker::adopt(tcp::socket socket, const tcp::endpoint& peer, size_t port_index) {
  const uint64_t id = next_id_++;
  // The configuration current when the connection arrived, even if a reload follows.
  auto connection =
      std::make_shared<DownstreamConnection>(*this, id, std::move(socket), port_index, current_);
  connections_.emplace(id, connection);
  live_.store(connections_.size(), std::memory_order_relaxed);
  connection->start(peer);
}

void Worker::closeAcceptors() {
  error_code ignored;
  for (auto& a : acceptors_) {
    a->closed = true;
    a->socket.close(ignored);
    a->retry.cancel();
  }
  acceptors_.clear();
}

WorkerStats& Worker::stats(const std::shared_ptr<const Generation>& generation) {
  for (auto& [g, s] : stats_) {
    if (g == generation) return *s;
  }
  stats_.emplace_back(generation, std::make_unique<WorkerStats>(generation->plan));
  return *stats_.back().second;
}

void Worker::serve(std::shared_ptr<const Generation> current, std::vector<Listen> ports) {
  asio::post(context_, [this, current = std::move(current), ports = std::move(ports)]() mutable {
    stats(current);
    // The plan's port indices and the generation change together: a connection accepted from
    // here on is described by both of the new ones.
    current_ = current;
    std::vector<std::shared_ptr<Acceptor>> next;
    std::vector<std::shared_ptr<Acceptor>> started;
    for (Listen& port : ports) {
      if (port.fresh) {
        next.push_back(
            std::make_shared<Acceptor>(std::move(*port.fresh), port.bound_port, port.port_index));
        started.push_back(next.back());
        continue;
      }
      auto kept = std::find_if(acceptors_.begin(), acceptors_.end(),
                               [&](const auto& a) { return a->bound_port == port.bound_port; });
      if (kept == acceptors_.end()) continue;
      (*kept)->port_index = port.port_index;
      next.push_back(std::move(*kept));
      acceptors_.erase(kept);
    }
    closeAcceptors();  // what is left: ports the configuration no longer has
    acceptors_ = std::move(next);
    if (draining_) {
      closeAcceptors();
    } else {
      for (const auto& a : started) accept(a);
    }
    std::vector<std::shared_ptr<DownstreamConnection>> all;
    for (auto& [id, c] : connections_) all.push_back(c);
    for (auto& c : all) {
      if (!c->listenerSurvives(*current)) c->drain();
    }
  });
}

void Worker::addQuic(std::shared_ptr<QuicListener> listener) {
  asio::post(context_, [this, listener = std::move(listener)] { quic_.push_back(listener); });
}

void Worker::removeQuic(std::shared_ptr<QuicListener> listener) {
  asio::post(context_, [this, listener = std::move(listener)] {
    std::erase(quic_, listener);
    listener->closeNow();
    quicSessionsChanged();
  });
}

void Worker::quicSessionsChanged() {
  size_t n = 0;
  for (const auto& q : quic_) n += q->sessions();
  quic_live_.store(n, std::memory_order_relaxed);
}

void Worker::remove(uint64_t connection_id) {
  connections_.erase(connection_id);
  live_.store(connections_.size(), std::memory_order_relaxed);
}

proxy::ratelimit::GlobalRateLimitStore& Worker::globalRateLimits() {
  if (!rate_limit_store_) {
    rate_limit_store_ = std::make_unique<RedisRateLimitStore>(
        context_.get_executor(), shared_.rate_limit_redis,
        std::chrono::nanoseconds(shared_.options->rate_limit_timeout.ns()));
  }
  return *rate_limit_store_;
}

UpstreamPool& Worker::upstreamPool() {
  if (!upstream_pool_) {
    const LiveOptions& o = *shared_.options;
    // The endpoint is only read when a request is forwarded, which needs a backend.
    upstream_pool_ = std::make_unique<UpstreamPool>(
        context_.get_executor(), shared_.backend.value_or(tcp::endpoint()),
        UpstreamClient::Limits{std::chrono::nanoseconds(o.upstream_connect_timeout.ns()),
                               std::chrono::nanoseconds(o.upstream_response_timeout.ns()),
                               o.max_buffered_body_bytes},
        o.upstream_max_idle_connections);
  }
  return *upstream_pool_;
}

void Worker::startDrain() {
  asio::post(context_, [this] {
    draining_ = true;
    closeAcceptors();
    // drain() may close and remove a connection: walk a copy.
    std::vector<std::shared_ptr<DownstreamConnection>> all;
    for (auto& [id, c] : connections_) all.push_back(c);
    for (auto& c : all) c->drain();
    for (auto& q : quic_) q->drain();
  });
}

void Worker::closeAll() {
  asio::post(context_, [this] {
    closeAcceptors();
    std::vector<std::shared_ptr<DownstreamConnection>> all;
    for (auto& [id, c] : connections_) all.push_back(c);
    for (auto& c : all) c->forceClose();
    for (auto& q : quic_) q->closeNow();
    if (upstream_pool_) upstream_pool_->closeAll();
  });
}

std::optional<StatMap> Worker::snapshot(std::chrono::milliseconds wait) {
  if (!running_) return std::nullopt;
  auto promise = std::make_shared<std::promise<StatMap>>();
  auto future = promise->get_future();
  asio::post(context_, [this, promise] {
    StatMap m;
    for (const auto& [generation, stats] : stats_) stats->addTo(generation->plan, m);
    promise->set_value(std::move(m));
  });
  if (future.wait_for(wait) != std::future_status::ready) return std::nullopt;
  try {
    return future.get();
  } catch (const std::future_error&) {
    return std::nullopt;  // the loop ended before it ran the snapshot
  }
}

void Worker::stop() {
  if (!running_.exchange(false)) return;
  closeAll();
  work_.reset();
  // Closed sockets and cancelled timers complete at once and the loop runs out of work; one that
  // still has work after a grace period is stopped, so shutdown stays bounded.
  if (exited_future_.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
    context_.stop();
  }
  if (thread_.joinable()) thread_.join();
  // The loop is over: what it did not close is closed here, while the counters still exist.
  closeAcceptors();
  for (auto& q : quic_) q->closeNow();
  quic_.clear();
  quic_live_.store(0);
  connections_.clear();
  upstream_pool_.reset();
  live_.store(0);
}

}  // namespace ctplab::live
