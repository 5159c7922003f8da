#include "ctplab/simulator/gateway/load_balancer.h"

#include <algorithm>

#include "ctplab/simulator/check.h"

namespace ctplab::sim::gateway {

uint64_t sourceHash(const IpAddress& source) {
  constexpr uint64_t kOffset = 14695981039346656037ull;
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t h = kOffset;
  auto mix = [&](uint8_t byte) {
    h ^= byte;
    h *= kPrime;
  };
  const bool v4 = source.family() == IpAddress::Family::kV4;
  mix(v4 ? 4 : 6);
  for (size_t i = 0; i < (v4 ? 4u : 16u); ++i) mix(source.bytes()[i]);
  return h;
}

LoadBalancer::LoadBalancer(scenario::GatewayReplicas::Balancing balancing, uint32_t replicas)
    : balancing_(balancing), open_(std::max<uint32_t>(replicas, 1), 0), picked_(open_.size(), 0) {}

uint32_t LoadBalancer::pick(const IpAddress& source) {
  const auto n = static_cast<uint32_t>(open_.size());
  uint32_t chosen = 0;
  switch (balancing_) {
    case scenario::GatewayReplicas::Balancing::kRoundRobin:
      chosen = next_;
      next_ = (next_ + 1) % n;
      break;
    case scenario::GatewayReplicas::Balancing::kLeastConnections:
      // min_element keeps the first of equals: ties go to the lowest index.
      chosen = static_cast<uint32_t>(std::min_element(open_.begin(), open_.end()) - open_.begin());
      break;
    case scenario::GatewayReplicas::Balancing::kSourceIpHash:
      chosen = static_cast<uint32_t>(sourceHash(source) % n);
      break;
  }
  ++open_[chosen];
  ++picked_[chosen];
  return chosen;
}

void LoadBalancer::release(uint32_t replica) {
  CTPLAB_SIM_CHECK(open_[replica] > 0, "load balancer: release without a pick");
  --open_[replica];
}

}  // namespace ctplab::sim::gateway
