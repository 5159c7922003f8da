// The connection-limit counter scopes of one gateway, shared by every worker thread: a limit counts
// all connections of its scope in the process, whichever worker accepted them (spec 3.3, 4.1).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/stat_map.h"
#include "ctplab/proxy/connection_limit/counter_groups.h"

namespace ctplab::live {

// A mutex around the sans-I/O CounterGroup calls: one lock per connection open and close, a few
// integer operations inside, so contention stays far below the cost of accepting a connection.
// Not movable: listeners hold group indices resolved once at construction.
class SharedCounters {
 public:
  // With `previous` (the configuration being replaced), a scope whose id, stat prefix, limit and
  // close delay are unchanged is the same counter: connections accepted before a reload still
  // count, as Envoy keeps a listener whose configuration did not change.
  SharedCounters(const policy::ir::Gateway& gateway, const GatewayPlan& plan,
                 const SharedCounters* previous = nullptr);
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;

  // Whether `listener` (GatewayPlan index) counts against a scope; false: nothing to open/close.
  bool hasScope(size_t listener) const;
  proxy::connection_limit::CounterGroup::Decision onOpened(size_t listener, TimePoint now);
  void onClosed(size_t listener);

  // connection_limit.<prefix>.* for scopes with a limit (Envoy installs no filter otherwise).
  void addTo(StatMap& out) const;

 private:
  // Shared with the generations a scope is carried over to.
  std::shared_ptr<std::mutex> mutex_;
  std::vector<std::shared_ptr<proxy::connection_limit::CounterGroup>> groups_;
  std::vector<proxy::connection_limit::CounterGroup*> by_listener_;  // null: no scope
};

}  // namespace ctplab::live
