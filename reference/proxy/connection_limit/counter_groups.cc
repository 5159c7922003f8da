#include "ctplab/proxy/connection_limit/counter_groups.h"

#include "ctplab/policy/port_plan.h"

namespace ctplab::proxy::connection_limit {

CounterGroups CounterGroups::fromIr(const policy::ir::Gateway& gateway) {
  CounterGroups out;
  for (const auto& port : policy::planPorts(gateway)) {
    for (const auto& scope : port.counters) {
      out.groups_.emplace_back(CounterGroupConfig{scope.id, scope.stat_prefix, scope.limit,
                                                  scope.close_delay.value_or(Duration())});
      const size_t index = out.groups_.size() - 1;
      for (const auto& listener : scope.listeners) {
        out.index_.push_back({listener, scope.route, index});
      }
    }
  }
  return out;
}

CounterGroup* CounterGroups::find(const std::string& listener, const std::string& route) {
  for (const auto& e : index_) {
    if (e.listener == listener && e.route == route) return &groups_[e.group];
  }
  return nullptr;
}

}  // namespace ctplab::proxy::connection_limit
