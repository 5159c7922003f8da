#include "ctplab/proxy/ratelimit/token_bucket.h"

#include <algorithm>

namespace ctplab::proxy::ratelimit {

TokenBucket::TokenBucket(uint32_t requests, Duration unit)
    : level_(static_cast<Level>(requests) * unit.ns()),
      // A full bucket stays full however long it waits, so the start instant does not matter:
      // the earliest one keeps every later `now` a forward step.
      last_(TimePoint::fromUnixNanos(INT64_MIN)),
      unit_ns_(unit.ns()),
      requests_(requests) {}

TokenBucket::Level TokenBucket::levelAt(TimePoint now) const {
  if (now <= last_) return level_;
  const Level full = static_cast<Level>(requests_) * unit_ns_;
  if (level_ >= full) return full;
  // Elapsed ns × requests fits easily in 128 bits (< 2^64 × 2^32).
  const Level elapsed = static_cast<Level>(now.unixNanos()) - last_.unixNanos();
  return std::min(full, level_ + elapsed * requests_);
}

void TokenBucket::advance(TimePoint now) {
  level_ = levelAt(now);
  if (now > last_) last_ = now;
}

bool TokenBucket::tryConsume(TimePoint now) {
  advance(now);
  if (requests_ == 0 || level_ < unit_ns_) return false;
  level_ -= unit_ns_;
  return true;
}

uint32_t TokenBucket::remaining(TimePoint now) const {
  if (requests_ == 0) return 0;
  return static_cast<uint32_t>(levelAt(now) / unit_ns_);
}

Duration TokenBucket::resetIn(TimePoint now) const {
  if (requests_ == 0) return Duration::nanoseconds(unit_ns_);
  const Level level = levelAt(now);
  if (level >= unit_ns_) return Duration();
  // The level grows by `requests_` per ns; round up so the token is really there by then.
  const Level missing = unit_ns_ - level;
  return Duration::nanoseconds(static_cast<int64_t>((missing + requests_ - 1) / requests_));
}

}  // namespace ctplab::proxy::ratelimit
