#include "quic_config.h"

#include "generation.h"

namespace ctplab::live {

bool servesHttp3(const GatewayPlan& plan, const PlannedPort& port) {
  if (port.unsupported || !port.tls) return false;
  for (size_t l : port.listeners) {
    if (plan.listeners()[l].ir->http3 && plan.listeners()[l].tls_context) return true;
  }
  return false;
}

proxy::Result<proxy::http3::ServerSetupPtr> quicSetupFor(
    const std::shared_ptr<const Generation>& generation, size_t port_index) {
  const GatewayPlan& plan = generation->plan;
  const PlannedPort& port = plan.ports()[port_index];
  proxy::http3::ServerConfig config;
  for (size_t l : port.listeners) {
    const PlannedListener& pl = plan.listeners()[l];
    if (pl.tls_context) {
      config.chains.push_back(
          proxy::http3::chainForListener(static_cast<int>(l), *pl.ir, *pl.tls_context));
    }
  }
  const PlannedListener& owner = plan.listeners()[port.settings_owner];
  if (auto limits = proxy::http3::applyOwnerLimits(config, *owner.ir, owner.settings.idle_timeout);
      !limits) {
    return proxy::Error{"HTTP/3 on gateway port " + std::to_string(port.gateway_port) + ": " +
                        limits.error().message};
  }
  config.context = generation;
  auto setup = proxy::http3::buildServerSetup(std::move(config));
  if (!setup)
    return proxy::Error{"HTTP/3 on gateway port " + std::to_string(port.gateway_port) + ": " +
                        setup.error().message};
  return setup;
}

}  // namespace ctplab::live
