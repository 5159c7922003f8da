// `/config_dump` of the live proxy: the gateway's IR listeners as the policy engine renders them,
// and where each proxy port is actually listening.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctplab/live/gateway_plan.h"

namespace ctplab::live {

// Where one planned port ended up; `bound` is empty for ports this driver does not serve.
struct BoundPort {
  size_t port_index = 0;  // into GatewayPlan::ports()
  std::string address;    // bind address as given
  uint16_t bound_port = 0;
};

// YAML: `gateway`, `listeners` (policy::listenerToTree of each IR listener) and `live.ports`
// (gateway port, proxy port, bound address, listeners, and why a port is not served).
std::string configDumpYaml(const GatewayPlan& plan, const std::vector<BoundPort>& bound);

}  // namespace ctplab::live
