// Decoders for how the gateway is deployed and what surrounds it: `gateway` (which Gateway, how
// many replicas, which load balancer), `rateLimitService` and `faults`.
#include <string>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

// Replicas are whole data planes, each with its own listeners and TLS contexts: a few dozen
// model any real deployment, thousands would only exhaust memory.
constexpr uint64_t kMaxReplicas = 1024;

void decodeGatewayName(const Field& f, std::string& out) {
  auto g = f.str();
  if (!g) return;
  const size_t slash = g->find('/');
  if (slash == 0 || slash == std::string::npos || slash + 1 == g->size() ||
      g->find('/', slash + 1) != std::string::npos) {
    f.error("expected <namespace>/<name>, found \"" + *g + "\"");
    return;
  }
  out = *g;
}

std::optional<GatewayReplicas::Balancing> readBalancing(const Field& f) {
  auto s = f.str();
  if (!s) return std::nullopt;
  if (*s == "roundRobin") return GatewayReplicas::Balancing::kRoundRobin;
  if (*s == "leastConnections") return GatewayReplicas::Balancing::kLeastConnections;
  if (*s == "sourceIpHash") return GatewayReplicas::Balancing::kSourceIpHash;
  f.error("unknown load balancer \"" + *s +
          "\"; expected roundRobin, leastConnections or sourceIpHash");
  return std::nullopt;
}

EnvironmentFault decodeFault(const Keys& keys, const Field& f, Duration duration) {
  EnvironmentFault fault;
  fault.location = f.location();
  if (!keys.open(f, {"kind", "from", "to"})) {
    if (!f.present()) f.error("expected a fault (a mapping), found null");
    return fault;
  }
  const Field kind = keys.get(f, "kind");
  if (!kind.present()) {
    keys.missing(f, "kind");
  } else if (auto k = kind.str()) {
    if (*k == "rateLimitServiceDown") {
      fault.kind = EnvironmentFault::Kind::kRateLimitServiceDown;
    } else {
      kind.error("unknown fault kind \"" + *k + "\"; expected rateLimitServiceDown");
    }
  }
  fault.to = duration;
  if (auto d = readDuration(keys.get(f, "from"), Sign::kNonNegative)) fault.from = *d;
  const Field to = keys.get(f, "to");
  if (auto d = readDuration(to, Sign::kPositive)) {
    fault.to = *d;
    if (*d <= fault.from) {
      to.error("must come after from (" + showDuration(fault.from) + ")");
    } else if (*d > duration) {
      to.warning("is after the end of the run (" + showDuration(duration) + ")");
    }
  }
  return fault;
}

}  // namespace

void decodeGatewayDeployment(const Keys& keys, const Field& f, Scenario& s) {
  if (!f.present()) return;
  if (!f.isMap()) {
    decodeGatewayName(f, s.gateway);
    return;
  }
  if (!keys.open(f, {"name", "replicas", "loadBalancer"})) return;
  decodeGatewayName(keys.get(f, "name"), s.gateway);
  const Field replicas = keys.get(f, "replicas");
  if (auto n = readCount(replicas, 1, kMaxReplicas)) {
    s.replicas.replicas = static_cast<uint32_t>(*n);
  }
  const Field balancer = keys.get(f, "loadBalancer");
  if (auto b = readBalancing(balancer)) {
    s.replicas.balancing = *b;
    if (s.replicas.replicas == 1) {
      balancer.warning("has nothing to choose between with one replica");
    }
  }
}

std::optional<RateLimitServiceProfile> decodeRateLimitService(const Keys& keys, const Field& f) {
  if (!f.present()) return std::nullopt;
  RateLimitServiceProfile out;
  out.location = f.location();
  if (!keys.open(f, {"roundTrip", "timeout"})) return out;
  if (auto d = readDistribution(keys, keys.get(f, "roundTrip"))) out.round_trip = *d;
  if (auto d = readDuration(keys.get(f, "timeout"), Sign::kPositive)) out.timeout = *d;
  return out;
}

std::vector<EnvironmentFault> decodeFaults(const Keys& keys, const Field& f, Duration duration) {
  std::vector<EnvironmentFault> out;
  if (!f.present()) return out;
  for (const auto& item : f.items()) out.push_back(decodeFault(keys, item, duration));
  return out;
}

}  // namespace ctplab::sim::scenario::loader
