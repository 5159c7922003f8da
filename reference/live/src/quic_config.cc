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
    if (!pl.tls_context) continue;
    const policy::ir::TLSConfig& tls = pl.tls_context->config();
    proxy::http3::ChainConfig chain;
    chain.tag = static_cast<int>(l);
    chain.hostnames = pl.ir->hostnames;
    for (const auto& cert : tls.certificates) {
      if (!cert.has_private_key) continue;
      chain.certificates.push_back({cert.certificate_pem, cert.private_key_pem});
    }
    // Client certificates are not asked for over QUIC: a chain that checks them refuses QUIC
    // rather than letting a client skip the check.
    chain.refuse = pl.tls_context->clientValidation().enabled || chain.certificates.empty();
    config.chains.push_back(std::move(chain));
  }
  const PlannedListener& owner = plan.listeners()[port.settings_owner];
  // QUIC's own idle timeout (300 s, as Envoy's QUIC listener) or the HTTP idle timeout when it is
  // shorter; a connection idle that long closes silently either way.
  if (owner.settings.idle_timeout && *owner.settings.idle_timeout > Duration() &&
      *owner.settings.idle_timeout < config.idle_timeout) {
    config.idle_timeout = *owner.settings.idle_timeout;
  }
  config.max_header_bytes = uint64_t{owner.http2.max_request_headers_kb} * 1024;
  config.max_header_count = owner.http2.max_request_headers_count;
  config.underscores = owner.http2.headers_with_underscores_action;
  config.context = generation;
  auto setup = proxy::http3::buildServerSetup(std::move(config));
  if (!setup)
    return proxy::Error{"HTTP/3 on gateway port " + std::to_string(port.gateway_port) + ": " +
                        setup.error().message};
  return setup;
}

}  // namespace ctplab::live
