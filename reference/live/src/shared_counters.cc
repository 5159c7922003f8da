#include "ctplab/live/shared_counters.h"

#include <string>
#include <string_view>

namespace ctplab::live {

namespace {

bool sameScope(const proxy::connection_limit::CounterGroupConfig& a,
               const proxy::connection_limit::CounterGroupConfig& b) {
  return a.id == b.id && a.stat_prefix == b.stat_prefix && a.limit == b.limit &&
         a.close_delay == b.close_delay;
}

}  // namespace

SharedCounters::SharedCounters(const policy::ir::Gateway& gateway, const GatewayPlan& plan,
                               const SharedCounters* previous)
    : mutex_(previous ? previous->mutex_ : std::make_shared<std::mutex>()) {
  auto built = proxy::connection_limit::CounterGroups::fromIr(gateway);
  {
    std::lock_guard<std::mutex> lock(*mutex_);
    for (const auto& group : built.groups()) {
      std::shared_ptr<proxy::connection_limit::CounterGroup> kept;
      if (previous) {
        for (const auto& old : previous->groups_) {
          if (sameScope(old->config(), group.config())) kept = old;
        }
      }
      groups_.push_back(kept ? kept
                             : std::make_shared<proxy::connection_limit::CounterGroup>(group));
    }
  }
  by_listener_.reserve(plan.listeners().size());
  for (const PlannedListener& l : plan.listeners()) {
    proxy::connection_limit::CounterGroup* found = built.find(l.ir->name);
    proxy::connection_limit::CounterGroup* mine = nullptr;
    if (found) mine = groups_[static_cast<size_t>(found - built.groups().data())].get();
    by_listener_.push_back(mine);
  }
}

bool SharedCounters::hasScope(size_t listener) const {
  return listener < by_listener_.size() && by_listener_[listener] != nullptr;
}

proxy::connection_limit::CounterGroup::Decision SharedCounters::onOpened(size_t listener,
                                                                         TimePoint now) {
  if (!hasScope(listener)) return {};
  std::lock_guard<std::mutex> lock(*mutex_);
  return by_listener_[listener]->onConnectionOpened(now);
}

void SharedCounters::onClosed(size_t listener) {
  if (!hasScope(listener)) return;
  std::lock_guard<std::mutex> lock(*mutex_);
  by_listener_[listener]->onConnectionClosed();
}

void SharedCounters::addTo(StatMap& out) const {
  std::lock_guard<std::mutex> lock(*mutex_);
  for (const auto& g : groups_) {
    if (!g->config().limit) continue;
    const std::string base = "connection_limit." + g->config().stat_prefix + ".";
    g->stats().forEach([&](std::string_view name, uint64_t v, bool gauge) {
      addStat(out, base + std::string(name), v, gauge);
    });
  }
}

}  // namespace ctplab::live
