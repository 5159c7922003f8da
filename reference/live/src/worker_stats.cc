#include "ctplab/live/worker_stats.h"

#include <string>
#include <string_view>

namespace ctplab::live {

void WorkerStats::addTo(const GatewayPlan& plan, StatMap& out) const {
  // Only prefixes of ports this driver listens on exist, as in Envoy only configured HCMs do.
  std::vector<bool> served(prefixes.size(), false);
  for (const PlannedPort& port : plan.ports()) {
    if (port.unsupported) continue;
    for (size_t l : port.listeners) served[plan.listeners()[l].prefix_index] = true;
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
  }
}

}  // namespace ctplab::live
