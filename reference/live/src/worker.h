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
#include <vector>

#include "asio.h"
#include "ctplab/live/live_clock.h"
#include "ctplab/live/live_options.h"
#include "ctplab/live/stat_map.h"
#include "ctplab/live/worker_stats.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_store.h"
#include "generation.h"

namespace ctplab::live {

class DownstreamConnection;
class QuicListener;
class UpstreamPool;

// Read-only for workers; owned by the gateway, outlives every worker. What a reload changes is
// in the Generation each connection is handed.
struct GatewayShared {
  const LiveClock* clock = nullptr;
  const LiveOptions* options = nullptr;
  std::optional<tcp::endpoint> backend;           // unset: the echo backend
  std::optional<tcp::endpoint> rate_limit_redis;  // unset: global checks fail open
};

class Worker {
 public:
  Worker(size_t id, const GatewayShared& shared, std::shared_ptr<const Generation> generation);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void startThread();
  asio::io_context& context() { return context_; }

  // One TCP port this worker accepts on. Every worker has its own listening socket per port
  // (SO_REUSEPORT), so the kernel spreads connections over the workers and none is handed from
  // thread to thread.
  struct Listen {
    uint16_t bound_port;  // names the port across reloads
    size_t port_index;    // in the generation's plan
    // A port the worker does not listen on yet: its socket, bound and listening, opened on this
    // worker's loop. Unset: the worker keeps the socket it has for `bound_port`.
    std::optional<tcp::acceptor> fresh;
  };

  // Thread-safe: each posts to the worker's loop.
  // From now on the worker accepts on exactly `ports`, new connections under `current`; sockets
  // of ports not listed are closed. After a reload, connections of listeners `current` no longer
  // has finish their request in flight and close; the others keep the configuration they were
  // accepted under.
  void serve(std::shared_ptr<const Generation> current, std::vector<Listen> ports);
  // The HTTP/3 ports this worker drives (their sockets belong to its loop).
  void addQuic(std::shared_ptr<QuicListener> listener);
  void removeQuic(std::shared_ptr<QuicListener> listener);
  void startDrain();
  void closeAll();
  // Counters as of now, taken on the worker's thread; nullopt when it does not answer in time.
  std::optional<StatMap> snapshot(std::chrono::milliseconds wait);
  // Closes what is left, ends the loop and joins the thread (idempotent).
  void stop();
  // TCP connections and QUIC connections (HTTP/3 sessions).
  size_t liveConnections() const {
    return live_.load(std::memory_order_relaxed) + quic_live_.load(std::memory_order_relaxed);
  }

  // Worker thread only.
  const GatewayShared& shared() const { return shared_; }
  // The counters of connections accepted under `generation` (created on first use).
  WorkerStats& stats(const std::shared_ptr<const Generation>& generation);
  bool draining() const { return draining_; }
  uint64_t random() { return rng_(); }
  void remove(uint64_t connection_id);
  // A QUIC listener opened or closed sessions: recount them for liveConnections().
  void quicSessionsChanged();
  // The forwarding backend's connections of this worker (created on first use).
  UpstreamPool& upstreamPool();
  // The global rate limiter's counters, as this worker reaches them (created on first use).
  proxy::ratelimit::GlobalRateLimitStore& globalRateLimits();

 private:
  struct Acceptor {
    Acceptor(tcp::acceptor socket_in, uint16_t bound, size_t index)
        : socket(std::move(socket_in)),
          retry(socket.get_executor()),
          bound_port(bound),
          port_index(index) {}
    tcp::acceptor socket;
    asio::steady_timer retry;  // backs off after an accept error
    tcp::endpoint peer;        // filled in by the accept in progress
    uint16_t bound_port;
    size_t port_index;
    bool closed = false;  // a pending accept ends with it
  };

  void accept(const std::shared_ptr<Acceptor>& acceptor);
  void adopt(tcp::socket socket, const tcp::endpoint& peer, size_t port_index);
  void closeAcceptors();

  size_t id_;
  GatewayShared shared_;
  asio::io_context context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::promise<void> exited_;  // set when the loop returns
  std::future<void> exited_future_;
  std::atomic<bool> running_{false};
  std::shared_ptr<const Generation> current_;  // its stats exist even before a connection
  // By generation, oldest first: counters outlive a reload, as Envoy's stats do.
  std::vector<std::pair<std::shared_ptr<const Generation>, std::unique_ptr<WorkerStats>>> stats_;
  std::mt19937_64 rng_;
  bool draining_ = false;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<DownstreamConnection>> connections_;
  std::atomic<size_t> live_{0};
  std::vector<std::shared_ptr<QuicListener>> quic_;
  std::atomic<size_t> quic_live_{0};
  std::unique_ptr<UpstreamPool> upstream_pool_;
  std::unique_ptr<proxy::ratelimit::GlobalRateLimitStore> rate_limit_store_;
  // Declared after the loop, so they close before it goes.
  std::vector<std::shared_ptr<Acceptor>> acceptors_;
};

}  // namespace ctplab::live
