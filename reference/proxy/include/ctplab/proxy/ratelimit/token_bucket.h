// One local rate-limit bucket: `requests` tokens of capacity, refilled continuously at
// `requests` per `unit`, starting full; every request takes one token (spec 5.3).
#pragma once

#include <cstdint>

#include "ctplab/common/time.h"

namespace ctplab::proxy::ratelimit {

// Envoy's local rate limiter refills its buckets continuously (AtomicTokenBucketImpl: tokens =
// min(max, elapsed × rate)), not in whole batches at interval boundaries; the timer-driven bucket
// it replaced is gone. Envoy keeps that level in double-precision seconds, which is where the
// off-by-one the upstream e2e tolerates comes from (spec 8.8). This bucket keeps the same level
// exactly, in token·nanosecond units (tokens × unit length), so the simulator and the proxy
// agree to the nanosecond: after a full drain the first token returns unit/requests later and
// the bucket is full again exactly one unit later.
class TokenBucket {
 public:
  TokenBucket(uint32_t requests, Duration unit);

  // Takes one token if a whole one is available. Time never runs backwards for a bucket: an
  // earlier `now` than the last call is treated as the same instant.
  bool tryConsume(TimePoint now);

  uint32_t capacity() const { return requests_; }
  uint32_t remaining(TimePoint now) const;  // whole tokens available at `now`
  // How long until the next whole token: zero while one is available. A zero-request bucket
  // never refills; it reports one unit so callers still see a finite wait.
  Duration resetIn(TimePoint now) const;

 private:
  __extension__ using Level = __int128;
  Level levelAt(TimePoint now) const;
  void advance(TimePoint now);

  Level level_;      // tokens × unit_ns, at `last_`
  TimePoint last_;   // the instant `level_` describes
  int64_t unit_ns_;  // bucket refill unit
  uint32_t requests_;
};

}  // namespace ctplab::proxy::ratelimit
