// The global rate-limit service every gateway replica asks (Envoy's ratelimit service): a round
// trip away, counting in one shared store, unreachable during outages, too slow past a timeout.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/ratelimit/global_rate_limit.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_store.h"
#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/scenario/scenario.h"
#include "ctplab/simulator/simulator.h"

namespace ctplab::sim::gateway {

// What the service model saw, for results: every check is exactly one of answered, refused or
// timed out.
struct RateLimitServiceStats {
  uint64_t checks = 0;
  uint64_t descriptors = 0;  // descriptors those checks carried
  uint64_t answered = 0;     // statuses came back in time
  uint64_t over_limit = 0;   // answered with at least one descriptor over its limit
  uint64_t refused = 0;      // reached the service while it was down: the call failed
  uint64_t timed_out = 0;    // no answer within the filter's timeout: the call failed
};

class RateLimitServiceModel {
 public:
  struct Outage {
    TimePoint from, to;  // [from, to)
  };
  using Callback = std::function<void(const proxy::ratelimit::GlobalCheckReply&)>;

  // `rng` draws the round trips. The store defaults to the exact in-memory fixed windows.
  RateLimitServiceModel(scenario::RateLimitServiceProfile profile, std::vector<Outage> outages,
                        Rng rng,
                        std::unique_ptr<proxy::ratelimit::GlobalRateLimitStore> store = nullptr);

  // One check sent at sim.now(). It reaches the service half a round trip later; the store
  // counts it at that instant unless an outage refuses it. `then` runs on sim's event queue
  // when the answer (or the refusal) is back a full round trip after sending, or with a failure
  // at the timeout when the round trip is longer; it always runs exactly once.
  void check(Simulator& sim, std::vector<proxy::ratelimit::GlobalDescriptor> descriptors,
             Callback then);

  bool down(TimePoint t) const;
  const RateLimitServiceStats& stats() const { return stats_; }
  const scenario::RateLimitServiceProfile& profile() const { return profile_; }

 private:
  scenario::RateLimitServiceProfile profile_;
  std::vector<Outage> outages_;
  Rng rng_;
  std::unique_ptr<proxy::ratelimit::GlobalRateLimitStore> store_;
  RateLimitServiceStats stats_;
};

// The outages the scenario's faults plant, in absolute time from the run's start.
std::vector<RateLimitServiceModel::Outage> rateLimitServiceOutages(
    const std::vector<scenario::EnvironmentFault>& faults, TimePoint start);

}  // namespace ctplab::sim::gateway
