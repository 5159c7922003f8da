// One serving thread: its own event loop, the downstream connections it owns and the counters
// it keeps. Everything a connection touches lives here, so connections never share a lock
// except the connection-limit counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "asio.h"
#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/live_clock.h"
#include "ctplab/live/live_options.h"
#include "ctplab/live/shared_counters.h"
#include "ctplab/live/stat_map.h"
#include "ctplab/live/worker_stats.h"

namespace ctplab::live {

class DownstreamConnection;

// Read-only for workers; owned by the gateway, outlives every worker.
struct GatewayShared {
  const GatewayPlan* plan = nullptr;
  SharedCounters* counters = nullptr;
  const LiveClock* clock = nullptr;
  const LiveOptions* options = nullptr;
  std::optional<tcp::endpoint> backend;  // unset: the echo backend
};

class Worker {
 public:
  Worker(size_t id, const GatewayShared& shared);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void startThread();
  asio::io_context& context() { return context_; }

  // Thread-safe: each posts to the worker's loop.
  void adopt(std::shared_ptr<tcp::socket> socket, size_t port_index);
  void startDrain();
  void closeAll();
  // Counters as of now, taken on the worker's thread; nullopt when it does not answer in time.
  std::optional<StatMap> snapshot(std::chrono::milliseconds wait);
  // Closes what is left, ends the loop and joins the thread (idempotent).
  void stop();
  size_t liveConnections() const { return live_.load(std::memory_order_relaxed); }

  // Worker thread only.
  const GatewayShared& shared() const { return shared_; }
  WorkerStats& stats() { return stats_; }
  bool draining() const { return draining_; }
  uint64_t random() { return rng_(); }
  void remove(uint64_t connection_id);

 private:
  size_t id_;
  GatewayShared shared_;
  asio::io_context context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::promise<void> exited_;  // set when the loop returns
  std::future<void> exited_future_;
  std::atomic<bool> running_{false};
  WorkerStats stats_;
  std::mt19937_64 rng_;
  bool draining_ = false;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<DownstreamConnection>> connections_;
  std::atomic<size_t> live_{0};
};

}  // namespace ctplab::live
