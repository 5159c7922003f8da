// One connection-limit counter scope (spec 3.3/4.1): admits or rejects new connections and says
// when a rejected one must be closed; rejected connections hold a slot until they close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ctplab/common/time.h"
#include "ctplab/proxy/connection_limit/connection_limit_stats.h"

namespace ctplab::proxy::connection_limit {

struct CounterGroupConfig {
  std::string id;                 // e.g. "http-10080"; unique per gateway
  std::string stat_prefix;        // e.g. "http-10080"; several groups may share one
  std::optional<uint64_t> limit;  // nullopt: unlimited (the filter is not installed)
  Duration close_delay;           // 0: close rejected connections at once
};

class CounterGroup {
 public:
  explicit CounterGroup(CounterGroupConfig config) : config_(std::move(config)) {}

  struct Decision {
    bool admitted = true;
    // For rejected connections: when the proxy closes them (now + closeDelay). Nothing the
    // connection sends is processed before that; the client never gets an HTTP answer.
    std::optional<TimePoint> close_at;
  };

  // A connection matched this scope's filter chain (after listener filters, before HTTP).
  Decision onConnectionOpened(TimePoint now);
  // Any connection of this scope closed (admitted or rejected, local or remote).
  void onConnectionClosed();

  uint64_t count() const { return count_; }
  const CounterGroupConfig& config() const { return config_; }
  const ConnectionLimitStats& stats() const { return stats_; }

 private:
  CounterGroupConfig config_;
  uint64_t count_ = 0;  // includes rejected connections waiting out closeDelay
  ConnectionLimitStats stats_;
};

}  // namespace ctplab::proxy::connection_limit
