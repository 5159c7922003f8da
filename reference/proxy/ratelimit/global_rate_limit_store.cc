#include "ctplab/proxy/ratelimit/global_rate_limit_store.h"

#include <algorithm>
#include <utility>

namespace ctplab::proxy::ratelimit {
namespace {

// Unix seconds, floored: the service reads a whole-second clock.
int64_t unixSecondsFloor(TimePoint t) {
  const int64_t ns = t.unixNanos();
  return ns >= 0 ? ns / 1'000'000'000 : -((-ns + 999'999'999) / 1'000'000'000);
}

int64_t floorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

}  // namespace

void FixedWindowStore::check(std::span<const GlobalDescriptor> descriptors, TimePoint now,
                             Done done) {
  done(hit(descriptors, now));
}

void FixedWindowStore::dropEnded(int64_t now_s) {
  while (!expiries_.empty() && expiries_.top().first <= now_s) {
    const auto& [end_s, key] = expiries_.top();
    // The counter may have moved on to a later window since (start at or after this end).
    auto it = counts_.find(key);
    if (it != counts_.end() && it->second.start_s < end_s) counts_.erase(it);
    expiries_.pop();
  }
}

GlobalCheckReply FixedWindowStore::hit(std::span<const GlobalDescriptor> descriptors,
                                       TimePoint now) {
  const int64_t now_s = unixSecondsFloor(now);
  dropEnded(now_s);
  GlobalCheckReply reply;
  reply.statuses.reserve(descriptors.size());
  for (const GlobalDescriptor& d : descriptors) {
    const int64_t unit = unitSeconds(d.limit.unit);
    const int64_t start = now_s - floorMod(now_s, unit);
    auto [it, inserted] = counts_.try_emplace(d.key, Window{start, 0});
    if (!inserted && it->second.start_s != start) it->second = Window{start, 0};
    if (it->second.count == 0) expiries_.emplace(start + unit, d.key);
    const uint64_t count = ++it->second.count;
    GlobalDescriptorStatus status;
    status.limit = d.limit;
    const bool over = count > d.limit.requests;
    status.remaining = over ? 0 : static_cast<uint32_t>(d.limit.requests - count);
    status.reset_seconds = start + unit - now_s;
    // The service answers OK for a shadow-mode limit and only counts it.
    status.over_limit = over && !d.shadow_mode;
    status.shadow_limited = over && d.shadow_mode;
    reply.statuses.push_back(status);
  }
  return reply;
}

}  // namespace ctplab::proxy::ratelimit
