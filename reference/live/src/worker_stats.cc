#include "ctplab/live/worker_stats.h"

#include <string>
#include <string_view>

#include "quic_config.h"

namespace ctplab::live {

void WorkerStats::addTo(const GatewayPlan& plan, StatMap& out) const {
  // Only prefixes of ports this driver listens on exist, as in Envoy only configured HCMs do.
  std::vector<bool> served(prefixes.size(), false);
  std::vector<bool> http3(prefixes.size(), false);
  for (const PlannedPort& port : plan.ports()) {
    if (port.unsupported) continue;
    const bool h3 = servesHttp3(plan, port);
    for (size_t l : port.listeners) {
      served[plan.listeners()[l].prefix_index] = true;
      if (h3) http3[plan.listeners()[l].prefix_index] = true;
    }
  }
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!served[i]) continue;
    const PrefixStats& s = prefixes[i];
    const std::string base = "http." + plan.statPrefixes()[i] + ".";
    s.hcm.forEach([&](std::string_view name, uint64_t v, bool gauge) {
      addStat(out, base + std::string(name), v, gauge);
    });
    auto counter = [&](std::string_view name, uint64_t v) {
      addStat(out, base + std::string(name), v);
    };
    s.codec.forEach(counter);
    s.http2.forEach(counter);  // names both codecs count (protocol errors) add up
    s.connection.forEach(counter);
    s.request.forEach(counter);
    s.client_ip.forEach(counter);
    s.authz.forEach(counter);
    // The JWT filter counts once it has run (Envoy creates them with the filter).
    if (s.jwt.allowed + s.jwt.denied != 0) s.jwt.forEach(counter);
    // The local rate limit's stat prefix is its own, not the HCM's: all listeners add up.
    s.rate_limit.forEach([&](std::string_view name, uint64_t v) {
      if (s.rate_limit.enabled != 0) addStat(out, std::string(name), v);
    });
    // Envoy roots these at the route's cluster; with one backend they show as `ratelimit.*`.
    bool global_used = false;
    s.global_rate_limit.forEach(
        [&](std::string_view, uint64_t v) { global_used = global_used || v != 0; });
    if (global_used) {
      s.global_rate_limit.forEach(
          [&](std::string_view name, uint64_t v) { addStat(out, std::string(name), v); });
    }
    if (http3[i]) {
      counter("downstream_cx_http3_total", s.http3.downstream_cx_http3_total);
      addStat(out, base + "downstream_cx_http3_active", s.http3.downstream_cx_http3_active, true);
      counter("downstream_rq_http3_total", s.http3.downstream_rq_http3_total);
      // Header-check counters once they moved, as the simulator shows them.
      s.http3.codec.forEach([&](std::string_view name, uint64_t v) {
        if (v != 0) counter(std::string(name), v);
      });
    }
  }
  // Like the simulator, only PROXY protocol counters that moved are shown.
  proxy_protocol.forEach([&](std::string_view name, uint64_t v) {
    if (v != 0) addStat(out, std::string(name), v);
  });
  for (size_t i = 0; i < ports.size(); ++i) {
    const PlannedPort& port = plan.ports()[i];
    if (port.unsupported) continue;
    const PortStats& p = ports[i];
    const std::string base = "listener." + port.address_label + ".";
    addStat(out, base + "downstream_cx_total", p.downstream_cx_total);
    addStat(out, base + "downstream_cx_destroy", p.downstream_cx_destroy);
    addStat(out, base + "downstream_cx_active", p.downstream_cx_active, true);
    addStat(out, base + "no_filter_chain_match", p.no_filter_chain_match);
    p.phases.forEach(
        [&](std::string_view name, uint64_t v) { addStat(out, base + std::string(name), v); });
    for (const auto& [name, v] : p.ssl) addStat(out, base + name, v);
    if (servesHttp3(plan, port)) {
      p.http3.forEach([&](std::string_view name, uint64_t v) {
        addStat(out, base + "http3." + std::string(name), v);
      });
    }
  }
}

}  // namespace ctplab::live
