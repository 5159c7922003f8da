#include "ctplab/policy/port_plan.h"

namespace ctplab::policy {
namespace {

ProxyPort& portFor(std::vector<ProxyPort>& ports, uint32_t port) {
  for (auto& p : ports) {
    if (p.port == port) return p;
  }
  ports.push_back({});
  ports.back().port = port;
  return ports.back();
}

void limitFrom(const ir::Listener& l, CounterScope& scope) {
  if (!l.connection || !l.connection->limit) return;
  scope.limit = l.connection->limit->value;
  scope.close_delay = l.connection->limit->close_delay;
}

std::string tcpPrefix(const ir::Listener& l) {
  std::string port = std::to_string(l.port);
  if (l.protocol == "TCP") return "tcp-" + port;
  return l.tls ? "tls-terminate-" + port : "tls-passthrough-" + port;
}

void addListener(ProxyPort& p, const ir::Listener& l) {
  if (p.listeners.empty()) p.settings_owner = l.name;
  p.listeners.push_back(l.name);
  if (l.proxy_protocol && !p.proxy_protocol) {
    p.proxy_protocol = true;
    p.proxy_protocol_optional = l.proxy_protocol->optional;
  }
  if (l.protocol == "HTTPS" && l.http3) p.http3 = true;
  const std::string port = std::to_string(l.port);
  if (l.protocol == "HTTP") {
    // One filter chain, hence one counter, for all plain-HTTP listeners of the port; its
    // settings are those of the first such listener.
    for (auto& c : p.counters) {
      if (c.id == "http-" + port) {
        c.listeners.push_back(l.name);
        return;
      }
    }
    CounterScope scope{"http-" + port, "http-" + port, {l.name}, "", std::nullopt, std::nullopt};
    limitFrom(l, scope);
    p.counters.push_back(std::move(scope));
  } else if (l.protocol == "HTTPS") {
    CounterScope scope{
        "https-" + port + "/" + l.name, "https-" + port, {l.name}, "", std::nullopt, std::nullopt};
    limitFrom(l, scope);
    p.counters.push_back(std::move(scope));
  } else if (l.isTCP()) {
    const std::string prefix = tcpPrefix(l);
    if (l.routes.empty()) {
      CounterScope scope{prefix + "/" + l.name, prefix, {l.name}, "", std::nullopt, std::nullopt};
      limitFrom(l, scope);
      p.counters.push_back(std::move(scope));
    }
    for (const auto& r : l.routes) {
      CounterScope scope{prefix + "/" + r.name, prefix,      {l.name}, r.name,
                         std::nullopt,          std::nullopt};
      limitFrom(l, scope);
      p.counters.push_back(std::move(scope));
    }
  }
}

}  // namespace

std::vector<ProxyPort> planPorts(const ir::Gateway& gateway) {
  std::vector<ProxyPort> ports;
  // The xDS translator walks HTTP listeners before TCP ones; the first to create a port's
  // listener decides its port-level settings.
  for (const auto& l : gateway.listeners) {
    if (l.isHTTP()) addListener(portFor(ports, l.port), l);
  }
  for (const auto& l : gateway.listeners) {
    if (l.isTCP()) addListener(portFor(ports, l.port), l);
  }
  return ports;
}

}  // namespace ctplab::policy
