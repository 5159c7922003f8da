#include "ctplab/simulator/clients/arrival_schedule.h"

#include <cmath>

namespace ctplab::sim::clients {
namespace {

Duration fromSeconds(double s) {
  return Duration::nanoseconds(static_cast<int64_t>(std::llround(s * 1e9)));
}

}  // namespace

ArrivalSchedule::ArrivalSchedule(const scenario::ArrivalProcess& process, uint64_t clients,
                                 TimePoint origin, Rng rng)
    : process_(&process),
      clients_(clients),
      start_(origin + (process.start - TimePoint())),
      rng_(rng),
      last_(start_) {}

double ArrivalSchedule::rampOffsetSeconds(double n) const {
  const double a = process_->ramp_from_per_s;
  const double b = process_->ramp_to_per_s;
  const double over = static_cast<double>(process_->ramp_over.ns()) / 1e9;
  // Cumulative arrivals during the ramp: N(t) = a·t + (b−a)·t²/(2·over).
  const double ramp_total = over > 0 ? (a + b) * over / 2 : 0;
  if (n >= ramp_total) return over + (b > 0 ? (n - ramp_total) / b : 0);
  const double k = (b - a) / (2 * over);
  if (std::fabs(k) < 1e-12) return n / a;
  // Smallest positive root of k·t² + a·t − n = 0, written to avoid cancellation.
  const double disc = a * a + 4 * k * n;
  return 2 * n / (a + std::sqrt(std::max(0.0, disc)));
}

std::optional<TimePoint> ArrivalSchedule::next() {
  using Kind = scenario::ArrivalProcess::Kind;
  if (issued_ >= clients_) return std::nullopt;
  const uint64_t i = issued_++;
  TimePoint at = start_;
  switch (process_->kind) {
    case Kind::kBurst:
      break;
    case Kind::kConstant:
      at = start_ + fromSeconds(static_cast<double>(i) / process_->rate_per_s);
      break;
    case Kind::kPoisson:
      // The first arrival also waits one gap, so a process starting at t=0 has no spike there.
      at = last_ + rng_.exponential(fromSeconds(1.0 / process_->rate_per_s));
      break;
    case Kind::kRamp:
      at = start_ + fromSeconds(rampOffsetSeconds(static_cast<double>(i)));
      break;
    case Kind::kTrace:
      at = start_ + (i < process_->trace.size() ? process_->trace[i] : process_->trace.back());
      break;
  }
  if (at < last_) at = last_;
  last_ = at;
  return at;
}

}  // namespace ctplab::sim::clients
