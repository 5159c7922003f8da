#include "ctplab/simulator/gateway/backend_model.h"

#include <cmath>

#include "ctplab/simulator/portable_log.h"

namespace ctplab::sim::gateway {

Duration drawDuration(const scenario::DurationDistribution& dist, Rng& rng) {
  using Kind = scenario::DurationDistribution::Kind;
  switch (dist.kind) {
    case Kind::kConstant:
      return dist.mean;
    case Kind::kUniform:
      return Duration::nanoseconds(rng.uniformInt(dist.min.ns(), dist.max.ns()));
    case Kind::kExponential:
      return dist.mean.ns() > 0 ? rng.exponential(dist.mean) : Duration();
    case Kind::kLognormal: {
      if (dist.mean.ns() <= 0) return Duration();
      // Parameters of the underlying normal from the distribution's own mean and deviation.
      const double m = static_cast<double>(dist.mean.ns());
      const double s = static_cast<double>(dist.stddev.ns());
      const double sigma2 = portableLog(1 + (s * s) / (m * m));
      const double mu = portableLog(m) - sigma2 / 2;
      // Box-Muller with the portable log; cos from <cmath> is correctly rounded enough on glibc
      // and used identically on every run of one build.
      const double u1 = 1.0 - rng.uniform01();
      const double u2 = rng.uniform01();
      const double z = std::sqrt(-2 * portableLog(u1)) * std::cos(2 * M_PI * u2);
      return Duration::nanoseconds(static_cast<int64_t>(std::exp(mu + std::sqrt(sigma2) * z)));
    }
  }
  return dist.mean;
}

BackendModel::BackendModel(const scenario::BackendProfile& profile, Rng rng)
    : profile_(profile), rng_(rng) {}

uint64_t BackendModel::queued(TimePoint now) {
  while (!waiting_starts_.empty() && waiting_starts_.front() <= now) waiting_starts_.pop_front();
  return waiting_starts_.size();
}

std::optional<TimePoint> BackendModel::admit(TimePoint now) {
  const Duration service = drawDuration(profile_.service_time, rng_);
  if (profile_.concurrency == 0) return now + service;
  TimePoint start = now;
  if (free_at_.size() >= profile_.concurrency) {
    start = std::max(now, free_at_.top());
    if (start > now && profile_.queue_limit > 0 && queued(now) >= profile_.queue_limit) {
      return std::nullopt;
    }
    free_at_.pop();
  }
  if (start > now) waiting_starts_.push_back(start);
  free_at_.push(start + service);
  return start + service;
}

}  // namespace ctplab::sim::gateway
