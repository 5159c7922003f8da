// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator for seeding and for tests
// and benchmarks that need the same pseudo-random inputs on every run and every platform.
#pragma once

#include <cstdint>

namespace ctplab {

class SplitMix64 {
 public:
  constexpr explicit SplitMix64(uint64_t seed) : state_(seed) {}
  constexpr uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, n), n > 0. Modulo bias is irrelevant for test inputs; use sim::Rng for draws.
  constexpr uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

}  // namespace ctplab
