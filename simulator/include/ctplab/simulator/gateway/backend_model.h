// The upstream service behind every route: a service-time distribution, a number of requests it
// serves at once, and a FIFO queue (bounded or not) for the rest, answered with 503 when full.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::gateway {

// Draws a duration from a distribution; all arithmetic is the Rng's, so draws are reproducible.
Duration drawDuration(const scenario::DurationDistribution& dist, Rng& rng);

class BackendModel {
 public:
  BackendModel(const scenario::BackendProfile& profile, Rng rng);

  // A request reaches the backend at `now`: when its response is ready, or nullopt when the
  // queue is full (the caller answers 503 as Envoy does on upstream overflow).
  std::optional<TimePoint> admit(TimePoint now);
  uint64_t queued(TimePoint now);
  const scenario::BackendProfile& profile() const { return profile_; }

 private:
  scenario::BackendProfile profile_;
  Rng rng_;
  // Times at which each busy server becomes free (min-heap), when concurrency is bounded.
  std::priority_queue<TimePoint, std::vector<TimePoint>, std::greater<>> free_at_;
  std::deque<TimePoint> waiting_starts_;  // start times still in the future, ascending (FIFO)
};

}  // namespace ctplab::sim::gateway
