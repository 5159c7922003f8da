// Rng implementation: stream derivation from (run seed, entity id) and the non-inline draws.
// Built with -ffp-contract=off (see portable_log.cc) so floating-point draws match everywhere.
#include "ctplab/simulator/rng.h"

#include "ctplab/simulator/check.h"
#include "ctplab/simulator/portable_log.h"

namespace ctplab::sim {

Rng Rng::forEntity(uint64_t run_seed, uint64_t entity_id) {
  // Mixing each input through its own SplitMix64 step before combining keeps (seed, id) and
  // (seed + 1, id - 1) apart; a plain sum or xor would not.
  const uint64_t seed_word = SplitMix64(run_seed).next();
  const uint64_t id_word = SplitMix64(entity_id ^ 0x6a09e667f3bcc909).next();
  return Rng(seed_word ^ ((id_word << 1) | (id_word >> 63)));
}

Rng::Rng(uint64_t seed) {
  SplitMix64 expand(seed);
  for (uint64_t& word : state_) word = expand.next();
  // The all-zero state is xoshiro's one fixed point; SplitMix64 never yields four zero words,
  // but the invariant is cheap to state.
  CTPLAB_SIM_CHECK((state_[0] | state_[1] | state_[2] | state_[3]) != 0, "zero xoshiro state");
}

uint64_t Rng::uniformBelow(uint64_t bound) {
  CTPLAB_SIM_CHECK(bound > 0, "uniformBelow needs a positive bound");
  __extension__ using Wide = unsigned __int128;
  Wide product = Wide{next()} * bound;
  uint64_t low = static_cast<uint64_t>(product);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = Wide{next()} * bound;
      low = static_cast<uint64_t>(product);
    }
  }
  return static_cast<uint64_t>(product >> 64);
}

int64_t Rng::uniformInt(int64_t lo, int64_t hi) {
  CTPLAB_SIM_CHECK(lo <= hi, "uniformInt needs lo <= hi");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t offset = span == UINT64_MAX ? next() : uniformBelow(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

double Rng::exponential(double mean) {
  const double u = static_cast<double>((next() >> 11) + 1) * 0x1p-53;
  return -mean * portableLog(u);
}

Duration Rng::exponential(Duration mean) {
  const double draw = exponential(static_cast<double>(mean.ns()));
  return Duration::nanoseconds(static_cast<int64_t>(draw + 0.5));
}

}  // namespace ctplab::sim
