#include "ctplab/simulator/gateway/ratelimit_service_model.h"

#include <utility>

#include "ctplab/simulator/gateway/backend_model.h"

namespace ctplab::sim::gateway {

using proxy::ratelimit::GlobalCheckReply;

RateLimitServiceModel::RateLimitServiceModel(
    scenario::RateLimitServiceProfile profile, std::vector<Outage> outages, Rng rng,
    std::unique_ptr<proxy::ratelimit::GlobalRateLimitStore> store)
    : profile_(std::move(profile)),
      outages_(std::move(outages)),
      rng_(rng),
      store_(store ? std::move(store) : std::make_unique<proxy::ratelimit::FixedWindowStore>()) {}

bool RateLimitServiceModel::down(TimePoint t) const {
  for (const Outage& o : outages_) {
    if (t >= o.from && t < o.to) return true;
  }
  return false;
}

void RateLimitServiceModel::check(Simulator& sim,
                                  std::vector<proxy::ratelimit::GlobalDescriptor> descriptors,
                                  Callback then) {
  const TimePoint sent = sim.now();
  const Duration round_trip = drawDuration(profile_.round_trip, rng_);
  const TimePoint arrives = sent + Duration::nanoseconds(round_trip.ns() / 2);
  const TimePoint back = sent + round_trip;
  ++stats_.checks;
  stats_.descriptors += descriptors.size();
  if (round_trip > profile_.timeout) {
    // The filter gives up first. The service still counts the hit when it gets there: a slow
    // service does not make limits any looser.
    ++stats_.timed_out;
    sim.schedule(arrives, [this, arrives, d = std::move(descriptors)] {
      if (!down(arrives)) store_->check(d, arrives, [](GlobalCheckReply) {});
    });
    sim.schedule(sent + profile_.timeout, [then = std::move(then)] {
      GlobalCheckReply failed;
      failed.failed = true;
      then(failed);
    });
    return;
  }
  sim.schedule(arrives, [this, &sim, arrives, back, d = std::move(descriptors),
                         then = std::move(then)]() mutable {
    if (down(arrives)) {
      ++stats_.refused;
      sim.schedule(back, [then = std::move(then)] {
        GlobalCheckReply failed;
        failed.failed = true;
        then(failed);
      });
      return;
    }
    store_->check(d, arrives, [this, &sim, back, then = std::move(then)](GlobalCheckReply reply) {
      ++stats_.answered;
      for (const auto& s : reply.statuses) {
        if (s.over_limit) {
          ++stats_.over_limit;
          break;
        }
      }
      sim.schedule(back, [then, r = std::move(reply)] { then(r); });
    });
  });
}

std::vector<RateLimitServiceModel::Outage> rateLimitServiceOutages(
    const std::vector<scenario::EnvironmentFault>& faults, TimePoint start) {
  std::vector<RateLimitServiceModel::Outage> out;
  for (const auto& f : faults) {
    if (f.kind == scenario::EnvironmentFault::Kind::kRateLimitServiceDown) {
      out.push_back({start + f.from, start + f.to});
    }
  }
  return out;
}

}  // namespace ctplab::sim::gateway
