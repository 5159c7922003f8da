#include "ctplab/simulator/net/link_model.h"

#include <algorithm>

namespace ctplab::sim::net {

Duration LinkModel::retransmissionTimeout() const {
  // Linux: SRTT + 4·RTTVAR, never below 200 ms; a steady path has RTTVAR ≈ jitter.
  Duration rto = baseRtt() + Duration::nanoseconds(4 * profile_.jitter.ns());
  return std::max(rto, kMinRto);
}

Duration LinkModel::pathDelay(Rng& rng, uint64_t bytes) const {
  Duration d = profile_.latency;
  if (profile_.jitter.ns() > 0) {
    d = d + Duration::nanoseconds(rng.uniformInt(0, profile_.jitter.ns()));
  }
  if (profile_.bandwidth_bps > 0 && bytes > 0) {
    const auto bits = static_cast<unsigned __int128>(bytes) * 8 * 1'000'000'000;
    d = d + Duration::nanoseconds(static_cast<int64_t>(bits / profile_.bandwidth_bps));
  }
  return d;
}

std::optional<Duration> LinkModel::datagramTransit(Rng& rng, uint64_t bytes) const {
  if (profile_.loss > 0 && rng.bernoulli(profile_.loss)) return std::nullopt;
  return pathDelay(rng, bytes);
}

Duration LinkModel::transit(Rng& rng, uint64_t bytes) const {
  Duration d = pathDelay(rng, bytes);
  if (profile_.loss > 0) {
    const uint64_t segments = std::max<uint64_t>(1, (bytes + kSegmentBytes - 1) / kSegmentBytes);
    Duration worst;
    // Bounded: a segment lost 16 times would have given up the connection in real TCP.
    for (uint64_t s = 0; s < std::min<uint64_t>(segments, 1024); ++s) {
      Duration extra;
      Duration rto = retransmissionTimeout();
      for (int tries = 0; tries < 16 && rng.bernoulli(profile_.loss); ++tries) {
        extra = extra + rto;
        rto = rto + rto;
      }
      worst = std::max(worst, extra);
    }
    d = d + worst;
  }
  return d;
}

bool LinkModel::handshakeLost(Rng& rng) const {
  if (profile_.loss <= 0) return false;
  return rng.bernoulli(profile_.loss) || rng.bernoulli(profile_.loss);
}

Duration LinkModel::synRetryDelay(uint32_t attempt) {
  int64_t ns = kInitialSynTimeout.ns();
  for (uint32_t i = 1; i < attempt && i < 20; ++i) ns *= 2;
  return Duration::nanoseconds(ns);
}

}  // namespace ctplab::sim::net
