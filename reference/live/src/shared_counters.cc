#include "ctplab/live/shared_counters.h"

#include <string>
#include <string_view>

namespace ctplab::live {

SharedCounters::SharedCounters(const policy::ir::Gateway& gateway, const GatewayPlan& plan)
    : groups_(proxy::connection_limit::CounterGroups::fromIr(gateway)) {
  by_listener_.reserve(plan.listeners().size());
  for (const PlannedListener& l : plan.listeners())
    by_listener_.push_back(groups_.find(l.ir->name));
}

bool SharedCounters::hasScope(size_t listener) const {
  return listener < by_listener_.size() && by_listener_[listener] != nullptr;
}

proxy::connection_limit::CounterGroup::Decision SharedCounters::onOpened(size_t listener,
                                                                         TimePoint now) {
  if (!hasScope(listener)) return {};
  std::lock_guard<std::mutex> lock(mutex_);
  return by_listener_[listener]->onConnectionOpened(now);
}

void SharedCounters::onClosed(size_t listener) {
  if (!hasScope(listener)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  by_listener_[listener]->onConnectionClosed();
}

void SharedCounters::addTo(StatMap& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& g : groups_.groups()) {
    if (!g.config().limit) continue;
    const std::string base = "connection_limit." + g.config().stat_prefix + ".";
    g.stats().forEach([&](std::string_view name, uint64_t v, bool gauge) {
      addStat(out, base + std::string(name), v, gauge);
    });
  }
}

}  // namespace ctplab::live
