// The L4 load balancer in front of the gateway's replicas: picks a replica for every new
// connection (round robin, least connections or a hash of the source address) and counts them.
#pragma once

#include <cstdint>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::gateway {

// 64-bit FNV-1a of the family (4 or 6) and the address's 4 or 16 bytes: fixed, so a source always
// lands on the same replica on every platform and run (std::hash promises neither).
uint64_t sourceHash(const IpAddress& source);

class LoadBalancer {
 public:
  LoadBalancer(scenario::GatewayReplicas::Balancing balancing, uint32_t replicas);

  // The replica for a new connection from `source` (the peer the balancer sees: before any
  // PROXY header or X-Forwarded-For), counted as open on it until release().
  uint32_t pick(const IpAddress& source);
  void release(uint32_t replica);

  uint32_t replicas() const { return static_cast<uint32_t>(open_.size()); }
  uint64_t open(uint32_t replica) const { return open_[replica]; }
  uint64_t picked(uint32_t replica) const { return picked_[replica]; }  // connections sent to it

 private:
  scenario::GatewayReplicas::Balancing balancing_;
  std::vector<uint64_t> open_;  // connections through the balancer, per replica
  std::vector<uint64_t> picked_;
  uint32_t next_ = 0;  // round robin
};

}  // namespace ctplab::sim::gateway
