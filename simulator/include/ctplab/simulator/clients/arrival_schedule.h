// When each client of a population arrives: Poisson, constant, burst, linear ramp or a trace,
// generated lazily one arrival at a time so a million clients cost no memory up front.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::clients {

class ArrivalSchedule {
 public:
  // `origin` is the scenario's start; offsets in the process are relative to it.
  ArrivalSchedule(const scenario::ArrivalProcess& process, uint64_t clients, TimePoint origin,
                  Rng rng);

  // The next client's arrival time, nondecreasing; nullopt once every client has arrived.
  std::optional<TimePoint> next();
  uint64_t issued() const { return issued_; }

 private:
  // Seconds after `start` at which the ramp's cumulative arrivals reach `n`.
  double rampOffsetSeconds(double n) const;

  const scenario::ArrivalProcess* process_;
  uint64_t clients_;
  TimePoint start_;
  Rng rng_;
  uint64_t issued_ = 0;
  TimePoint last_;
};

}  // namespace ctplab::sim::clients
