#include "ctplab/simulator/gateway/gateway_model.h"

#include <set>

#include "ctplab/policy/port_plan.h"
#include "ctplab/proxy/http1/config_from_ir.h"
#include "ctplab/proxy/http2/http2_options.h"
#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::sim::gateway {
namespace {

std::string hcmPrefix(const policy::ir::Listener& l) {
  // Envoy Gateway's HCM stat prefix: protocol and proxy port.
  if (l.protocol == "HTTPS") return "https-" + std::to_string(l.port);
  if (l.protocol == "HTTP") return "http-" + std::to_string(l.port);
  if (l.protocol == "TLS") return "tls-" + std::to_string(l.port);
  return "tcp-" + std::to_string(l.port);
}

}  // namespace

proxy::Result<std::unique_ptr<GatewayModel>> GatewayModel::fromIr(
    const policy::ir::Gateway& gateway, const scenario::GatewayHostProfile& host) {
  auto model = std::make_unique<GatewayModel>();
  model->ir_ = &gateway;
  model->counters_ = proxy::connection_limit::CounterGroups::fromIr(gateway);
  std::map<std::string, size_t> index_by_name;
  const auto planned_ports = policy::planPorts(gateway);
  std::set<std::string> http3_listeners;
  for (const auto& planned : planned_ports) {
    if (planned.http3) http3_listeners.insert(planned.listeners.begin(), planned.listeners.end());
  }
  for (const auto& l : gateway.listeners) {
    if (!l.isHTTP() && !l.isTCP()) continue;
    ListenerRuntime rt;
    rt.ir = &l;
    rt.tls = l.protocol == "HTTPS" || l.protocol == "TLS";
    std::string prefix = hcmPrefix(l);
    auto& stats = model->prefix_stats_[prefix];
    if (!stats) stats = std::make_unique<PrefixStats>();
    rt.stats = stats.get();
    if (l.isHTTP()) {
      auto options = proxy::http1::codecOptionsFromListener(l);
      if (!options) return proxy::Error{l.name + ": " + options.error().message};
      auto config = proxy::http1::CodecConfig::create(options.value());
      if (!config) return proxy::Error{l.name + ": " + config.error().message};
      rt.codec = config.value();
      rt.settings = proxy::connection::HttpConnectionSettings::fromListener(l);
      proxy::http_flow::FlowOptions flow_options;
      if (http3_listeners.count(l.name) != 0) {
        flow_options.http3_gateway_port = l.external_port != 0 ? l.external_port : l.port;
      }
      auto flow = proxy::http_flow::ListenerFlow::fromListener(l, flow_options);
      if (!flow) return proxy::Error{flow.error().message};
      rt.flow.emplace(std::move(flow).value());
      rt.state = std::make_unique<proxy::http_flow::ListenerState>(rt.flow->routeFilters());
      model->has_route_filters_ = model->has_route_filters_ || rt.flow->hasRouteFilters();
    }
    if (l.protocol == "HTTPS" && l.tls) {
      // The simulated clients speak HTTP/1.1, so ALPN never selects h2 (as in the live proxy).
      auto context = proxy::tls::ServerContext::build(*l.tls, /*https=*/true, l.tls_overlaps,
                                                      /*http2=*/false);
      if (!context) return proxy::Error{l.name + ": TLS: " + context.error().message};
      rt.tls_context = context.value();
      rt.quic = http3_listeners.count(l.name) != 0 && !rt.tls_context->clientValidation().enabled;
    }
    index_by_name[l.name] = model->listeners_.size();
    model->listeners_.push_back(std::move(rt));
  }
  for (const auto& planned : planned_ports) {
    PortRuntime port;
    port.proxy_port = planned.port;
    for (const auto& name : planned.listeners) {
      auto it = index_by_name.find(name);
      if (it == index_by_name.end()) continue;  // UDP listeners: not served over TCP
      port.listeners.push_back(it->second);
    }
    if (port.listeners.empty()) continue;
    const auto& first = *model->listeners_[port.listeners.front()].ir;
    port.external_port = first.external_port;
    port.tls = model->listeners_[port.listeners.front()].tls;
    port.http = first.isHTTP();
    port.settings_owner = port.listeners.front();
    if (auto it = index_by_name.find(planned.settings_owner); it != index_by_name.end()) {
      port.settings_owner = it->second;
    }
    port.keepalive = proxy::connection::TcpKeepaliveConfig::fromListener(
        *model->listeners_[port.settings_owner].ir,
        {host.keepalive_idle_s, host.keepalive_interval_s, host.keepalive_probes});
    port.proxy_protocol = proxy::proxy_protocol::ProxyProtocolConfig::fromPort(planned);
    port.address_label = first.address + "_" + std::to_string(planned.port);
    port.http3 = planned.http3 && port.tls;
    const auto& idle = model->listeners_[port.settings_owner].settings.idle_timeout;
    if (idle && *idle > Duration() && *idle < port.quic_idle_timeout) {
      port.quic_idle_timeout = *idle;
    }
    if (port.http3) {
      auto h2 = proxy::http2::http2OptionsFromListener(*model->listeners_[port.settings_owner].ir);
      if (!h2) return h2.error();
      port.quic_headers = {uint64_t{h2.value().max_request_headers_kb} * 1024,
                           h2.value().max_request_headers_count,
                           h2.value().headers_with_underscores_action};
    }
    model->ports_.push_back(std::move(port));
  }
  for (size_t i = 0; i < model->listeners_.size(); ++i) {
    ListenerRuntime& rt = model->listeners_[i];
    if (!rt.quic) continue;
    rt.stats->http3.enabled = true;
    const proxy::connection_limit::CounterGroup* tcp = model->counterFor(i);
    if (tcp == nullptr || !tcp->config().limit) continue;
    proxy::connection_limit::CounterGroupConfig config = tcp->config();
    config.id += "/quic";
    rt.quic_counter = std::make_unique<proxy::connection_limit::CounterGroup>(std::move(config));
  }
  return model;
}

PortRuntime* GatewayModel::portFor(uint32_t external_port) {
  for (auto& p : ports_) {
    if (p.external_port == external_port) return &p;
  }
  return nullptr;
}

int GatewayModel::selectListener(const PortRuntime& port, std::string_view sni) const {
  if (!port.tls) return static_cast<int>(port.settings_owner);
  std::vector<std::vector<std::string_view>> names;
  for (size_t i : port.listeners) {
    names.emplace_back(listeners_[i].ir->hostnames.begin(), listeners_[i].ir->hostnames.end());
  }
  const int best = proxy::router::bestHostnameMatch(names, sni);
  return best < 0 ? -1 : static_cast<int>(port.listeners[static_cast<size_t>(best)]);
}

int GatewayModel::listenerForHost(const PortRuntime& port, std::string_view host) const {
  std::vector<std::vector<std::string_view>> names;
  for (size_t i : port.listeners) {
    names.emplace_back(listeners_[i].ir->hostnames.begin(), listeners_[i].ir->hostnames.end());
  }
  const int best = proxy::router::bestHostnameMatch(names, proxy::router::hostWithoutPort(host));
  return best < 0 ? -1 : static_cast<int>(port.listeners[static_cast<size_t>(best)]);
}

proxy::connection_limit::CounterGroup* GatewayModel::counterFor(size_t listener) {
  return counters_.find(listeners_[listener].ir->name);
}

uint64_t GatewayModel::activeConnections() const {
  uint64_t total = 0;
  for (const auto& p : ports_) total += p.socket.downstream_cx_active + p.quic_active;
  return total;
}

std::map<std::string, uint64_t> GatewayModel::stats() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [prefix, s] : prefix_stats_) {
    const std::string base = "http." + prefix + ".";
    s->hcm.forEach(
        [&](std::string_view name, uint64_t v, bool) { out[base + std::string(name)] += v; });
    s->codec.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    s->connection.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    s->request.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    s->client_ip.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    s->authz.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    // Filters count once they have run, as Envoy creates their stats with the filter.
    if (s->jwt.allowed + s->jwt.denied != 0) {
      s->jwt.forEach(
          [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
      out[base + "jwt_authn.signature_verifications"] += s->jwt.signature_verifications;
    }
    if (s->http3.enabled) {
      out[base + "downstream_cx_http3_total"] += s->http3.downstream_cx_http3_total;
      out[base + "downstream_cx_http3_active"] += s->http3.downstream_cx_http3_active;
      out[base + "downstream_rq_http3_total"] += s->http3.downstream_rq_http3_total;
      s->http3.codec.forEach([&](std::string_view name, uint64_t v) {
        if (v != 0) out[base + std::string(name)] += v;
      });
    }
    if (s->rate_limit.enabled != 0) {
      // The local rate limit's own stat prefix: every listener adds up.
      s->rate_limit.forEach(
          [&](std::string_view name, uint64_t v) { out[std::string(name)] += v; });
    }
  }
  proxy_protocol_stats_->forEach([&](std::string_view name, uint64_t v) {
    if (v != 0) out[std::string(name)] += v;
  });
  for (const auto& g : counters_.groups()) {
    if (!g.config().limit) continue;  // no limit: Envoy installs no connection_limit filter
    const std::string base = "connection_limit." + g.config().stat_prefix + ".";
    g.stats().forEach(
        [&](std::string_view name, uint64_t v, bool) { out[base + std::string(name)] += v; });
  }
  // QUIC chains count under the same stat prefix as their TCP siblings.
  for (const auto& l : listeners_) {
    if (!l.quic_counter) continue;
    const std::string base = "connection_limit." + l.quic_counter->config().stat_prefix + ".";
    l.quic_counter->stats().forEach(
        [&](std::string_view name, uint64_t v, bool) { out[base + std::string(name)] += v; });
  }
  for (const auto& p : ports_) {
    const std::string base = "listener." + p.address_label + ".";
    out[base + "downstream_cx_total"] += p.socket.downstream_cx_total;
    out[base + "downstream_cx_destroy"] += p.socket.downstream_cx_destroy;
    out[base + "downstream_cx_active"] += p.socket.downstream_cx_active;
    out["host." + p.address_label + ".listen_overflows"] += p.socket.listen_overflows;
    out[base + "no_filter_chain_match"] += p.socket.downstream_cx_no_filter_chain;
    p.phases.forEach(
        [&](std::string_view name, uint64_t v) { out[base + std::string(name)] += v; });
    for (const auto& [name, v] : p.ssl) out[base + name] += v;
    if (p.http3) {
      p.quic.forEach([&](std::string_view name, uint64_t v) {
        out[base + "http3." + std::string(name)] += v;
      });
    }
  }
  return out;
}

}  // namespace ctplab::sim::gateway
