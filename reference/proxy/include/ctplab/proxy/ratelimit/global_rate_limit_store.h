// Where global rate-limit counters live: an interface that checks a request's descriptors at an
// instant, and an exact in-memory fixed-window store (the rate-limit service's Redis semantics).
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/ratelimit/global_rate_limit.h"

namespace ctplab::proxy::ratelimit {

// One hit per descriptor (hits_addend 1), answered per descriptor. Asynchronous-friendly: a
// networked store answers later, from its own I/O, so the request waits for `done`; the store
// copies what it needs and `descriptors` need not outlive the call. `done` runs exactly once.
class GlobalRateLimitStore {
 public:
  using Done = std::function<void(GlobalCheckReply)>;

  virtual ~GlobalRateLimitStore() = default;
  virtual void check(std::span<const GlobalDescriptor> descriptors, TimePoint now, Done done) = 0;
};

// Envoy's rate-limit service over Redis: fixed windows aligned to the unit on the Unix epoch
// (window start = floor(now / unit) × unit), one counter per descriptor key and window,
// incremented on every hit (over-limit hits too), over the limit once the count exceeds
// `requests`; remaining = limit - count (floored at 0), reset = whole seconds until the window
// ends. Exact counts; a window's counter is dropped once the window is over.
class FixedWindowStore final : public GlobalRateLimitStore {
 public:
  // Answers at once, before returning.
  void check(std::span<const GlobalDescriptor> descriptors, TimePoint now, Done done) override;
  // The same, synchronously.
  GlobalCheckReply hit(std::span<const GlobalDescriptor> descriptors, TimePoint now);

  // Counters currently held (keys with a live window).
  size_t counters() const { return counts_.size(); }

 private:
  struct Window {
    int64_t start_s = 0;  // Unix seconds
    uint64_t count = 0;
  };
  void dropEnded(int64_t now_s);

  std::unordered_map<std::string, Window> counts_;
  // (window end, key): when each counter's window ends, earliest first, so that expired
  // counters go without a scan.
  using Expiry = std::pair<int64_t, std::string>;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiries_;
};

}  // namespace ctplab::proxy::ratelimit
