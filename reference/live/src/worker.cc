#include "worker.h"

#include "downstream_connection.h"

namespace ctplab::live {

Worker::Worker(size_t id, const GatewayShared& shared)
    : id_(id), shared_(shared), stats_(*shared.plan), rng_(std::random_device{}() + id) {}

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

void Worker::adopt(std::shared_ptr<tcp::socket> socket, size_t port_index) {
  asio::post(context_, [this, socket = std::move(socket), port_index] {
    const uint64_t id = next_id_++;
    auto connection =
        std::make_shared<DownstreamConnection>(*this, id, std::move(*socket), port_index);
    connections_.emplace(id, connection);
    live_.store(connections_.size(), std::memory_order_relaxed);
    connection->start();
    if (draining_) connection->drain();
  });
}

void Worker::remove(uint64_t connection_id) {
  connections_.erase(connection_id);
  live_.store(connections_.size(), std::memory_order_relaxed);
}

void Worker::startDrain() {
  asio::post(context_, [this] {
    draining_ = true;
    // drain() may close and remove a connection: walk a copy.
    std::vector<std::shared_ptr<DownstreamConnection>> all;
    for (auto& [id, c] : connections_) all.push_back(c);
    for (auto& c : all) c->drain();
  });
}

void Worker::closeAll() {
  asio::post(context_, [this] {
    std::vector<std::shared_ptr<DownstreamConnection>> all;
    for (auto& [id, c] : connections_) all.push_back(c);
    for (auto& c : all) c->forceClose();
  });
}

std::optional<StatMap> Worker::snapshot(std::chrono::milliseconds wait) {
  if (!running_) return std::nullopt;
  auto promise = std::make_shared<std::promise<StatMap>>();
  auto future = promise->get_future();
  asio::post(context_, [this, promise] {
    StatMap m;
    stats_.addTo(*shared_.plan, m);
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
  connections_.clear();
  live_.store(0);
}

}  // namespace ctplab::live
