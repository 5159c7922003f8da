// The QUIC server's chains and limits from the IR: one rule for the live proxy and the simulator.
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http2/http2_options.h"
#include "ctplab/proxy/http3/server_config.h"
#include "ctplab/proxy/tls/server_context.h"

namespace ctplab::proxy::http3 {

ChainConfig chainForListener(int tag, const policy::ir::Listener& listener,
                             const tls::ServerContext& tls) {
  ChainConfig chain;
  chain.tag = tag;
  chain.hostnames = listener.hostnames;
  for (const auto& cert : tls.config().certificates) {
    if (!cert.has_private_key) continue;
    chain.certificates.push_back({cert.certificate_pem, cert.private_key_pem});
  }
  chain.refuse = tls.clientValidation().enabled || chain.certificates.empty();
  const auto settings = connection::HttpConnectionSettings::fromListener(listener);
  chain.timeouts = {settings.request_headers_received_timeout, settings.request_received_timeout,
                    settings.stream_idle_timeout, settings.max_stream_duration};
  return chain;
}

Result<bool> applyOwnerLimits(ServerConfig& config, const policy::ir::Listener& owner,
                              const std::optional<Duration>& http_idle_timeout) {
  if (http_idle_timeout && *http_idle_timeout > Duration() &&
      *http_idle_timeout < config.idle_timeout) {
    config.idle_timeout = *http_idle_timeout;
  }
  auto h2 = http2::http2OptionsFromListener(owner);
  if (!h2) return h2.error();
  config.max_header_bytes = uint64_t{h2.value().max_request_headers_kb} * 1024;
  config.max_header_count = h2.value().max_request_headers_count;
  config.underscores = h2.value().headers_with_underscores_action;
  return true;
}

}  // namespace ctplab::proxy::http3
