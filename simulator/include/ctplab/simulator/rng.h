// Rng: one deterministic random stream per simulated entity, seeded from (run seed, entity id).
// xoshiro256** with SplitMix64 seeding; every draw is defined here bit for bit, never by <random>.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctplab/common/splitmix64.h"
#include "ctplab/common/time.h"

namespace ctplab::sim {

// SplitMix64 expands one 64-bit seed into well-mixed words (shared with reference/).
using SplitMix64 = ::ctplab::SplitMix64;

// A stable 64-bit id for a named entity (FNV-1a), so streams follow names, not creation order.
constexpr uint64_t entityId(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3;
  }
  return hash;
}

class Rng {
 public:
  // Streams for different entities of one run, or one entity in different runs, are unrelated.
  static Rng forEntity(uint64_t run_seed, uint64_t entity_id);
  explicit Rng(uint64_t seed);

  // xoshiro256** (Blackman, Vigna 2018).
  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform on [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  // Uniform integer on [0, bound), unbiased (Lemire's multiply-and-reject). bound > 0.
  uint64_t uniformBelow(uint64_t bound);
  // Uniform integer on [lo, hi], both ends included. lo <= hi.
  int64_t uniformInt(int64_t lo, int64_t hi);
  bool bernoulli(double p) { return uniform01() < p; }

  // Exponential with the given mean (> 0), by inversion: -mean · log(u), u uniform on (0, 1].
  double exponential(double mean);
  // The same draw in whole nanoseconds, rounded to nearest.
  Duration exponential(Duration mean);

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];
};

}  // namespace ctplab::sim
