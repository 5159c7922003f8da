#include "ctplab/live/gateway_plan.h"

#include <map>
#include <set>

#include "ctplab/policy/port_plan.h"
#include "ctplab/proxy/connection/inspection_timeout.h"
#include "ctplab/proxy/http1/config_from_ir.h"
#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::live {

std::string hcmStatPrefix(const policy::ir::Listener& l) {
  if (l.protocol == "HTTPS") return "https-" + std::to_string(l.port);
  if (l.protocol == "HTTP") return "http-" + std::to_string(l.port);
  if (l.protocol == "TLS") return "tls-" + std::to_string(l.port);
  return "tcp-" + std::to_string(l.port);
}

proxy::Result<GatewayPlan> GatewayPlan::fromIr(const policy::ir::Gateway& gateway) {
  GatewayPlan plan;
  plan.ir_ = &gateway;
  std::map<std::string, size_t> index_by_name;
  std::map<std::string, size_t> prefix_index;
  const auto planned_ports = policy::planPorts(gateway);
  std::set<std::string> http3_listeners;
  for (const auto& planned : planned_ports) {
    if (planned.http3) http3_listeners.insert(planned.listeners.begin(), planned.listeners.end());
  }
  for (const auto& l : gateway.listeners) {
    if (!l.isHTTP() && !l.isTCP()) continue;  // UDP listeners are not served over TCP
    PlannedListener pl;
    pl.ir = &l;
    pl.tls = l.protocol == "HTTPS" || l.protocol == "TLS";
    pl.stat_prefix = hcmStatPrefix(l);
    auto [it, added] = prefix_index.emplace(pl.stat_prefix, plan.prefixes_.size());
    if (added) plan.prefixes_.push_back(pl.stat_prefix);
    pl.prefix_index = it->second;
    if (l.isHTTP()) {
      auto options = proxy::http1::codecOptionsFromListener(l);
      if (!options) return proxy::Error{l.name + ": " + options.error().message};
      auto codec = proxy::http1::CodecConfig::create(options.value());
      if (!codec) return proxy::Error{l.name + ": " + codec.error().message};
      pl.codec = codec.value();
      pl.settings = proxy::connection::HttpConnectionSettings::fromListener(l);
      proxy::http_flow::FlowOptions flow_options;
      if (http3_listeners.count(l.name) != 0) {
        flow_options.http3_gateway_port = l.external_port != 0 ? l.external_port : l.port;
      }
      auto flow = proxy::http_flow::ListenerFlow::fromListener(l, flow_options);
      if (!flow) return proxy::Error{flow.error().message};
      pl.flow.emplace(std::move(flow).value());
      auto h2 = proxy::http2::http2OptionsFromListener(l);
      if (!h2) return proxy::Error{l.name + ": " + h2.error().message};
      pl.http2 = h2.value();
    }
    if (l.protocol == "HTTPS") {
      if (!l.tls) return proxy::Error{l.name + ": HTTPS listener without TLS settings"};
      auto context = proxy::tls::ServerContext::build(*l.tls, /*https=*/true, l.tls_overlaps,
                                                      /*http2=*/true);
      if (!context) return proxy::Error{l.name + ": TLS: " + context.error().message};
      pl.tls_context = context.value();
    }
    index_by_name[l.name] = plan.listeners_.size();
    plan.listeners_.push_back(std::move(pl));
  }
  for (const auto& planned : planned_ports) {
    PlannedPort port;
    port.proxy_port = planned.port;
    for (const auto& name : planned.listeners) {
      auto it = index_by_name.find(name);
      if (it != index_by_name.end()) port.listeners.push_back(it->second);
    }
    if (port.listeners.empty()) continue;
    for (size_t i : port.listeners) {
      const auto& hostnames = plan.listeners_[i].ir->hostnames;
      port.listener_hostnames.emplace_back(hostnames.begin(), hostnames.end());
    }
    port.settings_owner = port.listeners.front();
    if (auto it = index_by_name.find(planned.settings_owner); it != index_by_name.end()) {
      port.settings_owner = it->second;
    }
    const PlannedListener& first = plan.listeners_[port.listeners.front()];
    const policy::ir::Listener& owner = *plan.listeners_[port.settings_owner].ir;
    port.gateway_port = first.ir->external_port != 0 ? first.ir->external_port : planned.port;
    port.tls = first.tls;
    port.http = first.ir->isHTTP();
    port.proxy_protocol = proxy::proxy_protocol::ProxyProtocolConfig::fromPort(planned);
    port.inspection_timeout = proxy::connection::connectionInspectionTimeout(owner);
    port.keepalive = owner.tcp_keepalive;
    port.address_label = first.ir->address + "_" + std::to_string(planned.port);
    if (!port.http) {
      port.unsupported =
          first.ir->protocol + " (TCP/TLS route proxying is not implemented in the live proxy yet)";
    }
    plan.ports_.push_back(std::move(port));
  }
  return plan;
}

int GatewayPlan::chainListener(const PlannedPort& port, std::string_view sni) const {
  if (port.unsupported || port.listeners.empty()) return -1;
  if (!port.tls) return static_cast<int>(port.settings_owner);
  const int best = proxy::router::bestHostnameMatch(port.listener_hostnames, sni);
  return best < 0 ? -1 : static_cast<int>(port.listeners[static_cast<size_t>(best)]);
}

int GatewayPlan::listenerForHost(const PlannedPort& port, std::string_view host) const {
  const int best = proxy::router::bestHostnameMatch(port.listener_hostnames,
                                                    proxy::router::hostWithoutPort(host));
  return best < 0 ? -1 : static_cast<int>(port.listeners[static_cast<size_t>(best)]);
}

}  // namespace ctplab::live
