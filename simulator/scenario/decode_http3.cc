// Decoder for a population's `http3:` block: which share of its clients speaks HTTP/3, which
// share sits behind a UDP block, and the client's QUIC timers.
#include <string>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

std::optional<double> readShare(const Field& f) {
  if (f.node().IsScalar() && (f.node().Scalar() == "true" || f.node().Scalar() == "false")) {
    return f.node().Scalar() == "true" ? 1.0 : 0.0;
  }
  auto v = readNumber(f);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > 1) {
    f.error("must be a share between 0 and 1 (or true/false), found " + showNumber(*v));
    return std::nullopt;
  }
  return v;
}

std::optional<Http3ClientProfile::Fidelity> readFidelity(const Field& f) {
  auto s = f.str();
  if (!s) return std::nullopt;
  if (*s == "model") return Http3ClientProfile::Fidelity::kModel;
  if (*s == "packets") return Http3ClientProfile::Fidelity::kPackets;
  f.error("unknown fidelity \"" + *s + "\"; expected model or packets");
  return std::nullopt;
}

}  // namespace

std::optional<Http3ClientProfile> decodeHttp3Client(const Keys& keys, const Field& f) {
  if (!f.present()) return std::nullopt;
  Http3ClientProfile h;
  h.location = f.location();
  if (!keys.open(f, {"capable", "udpBlocked", "knownAlternative", "zeroRtt", "fallbackAfter",
                     "handshakeTimeout", "brokenFor", "idleTimeout", "fidelity"})) {
    return h;
  }
  const Field capable = keys.get(f, "capable");
  if (capable.present()) {
    if (auto v = readShare(capable)) h.capable = *v;
  }
  const Field blocked = keys.get(f, "udpBlocked");
  if (blocked.present()) {
    if (auto v = readShare(blocked)) h.udp_blocked = *v;
  }
  if (auto v = keys.get(f, "knownAlternative").boolean()) h.known_alternative = *v;
  if (auto v = keys.get(f, "zeroRtt").boolean()) h.zero_rtt = *v;
  if (auto d = readDuration(keys.get(f, "fallbackAfter"), Sign::kNonNegative)) {
    h.fallback_after = *d;
  }
  for (auto [key, out] :
       {std::pair{"handshakeTimeout", &h.handshake_timeout}, std::pair{"brokenFor", &h.broken_for},
        std::pair{"idleTimeout", &h.idle_timeout}}) {
    if (auto d = readDuration(keys.get(f, key), Sign::kPositive)) *out = *d;
  }
  const Field fidelity = keys.get(f, "fidelity");
  if (fidelity.present()) {
    if (auto v = readFidelity(fidelity)) h.fidelity = *v;
  }
  return h;
}

}  // namespace ctplab::sim::scenario::loader
