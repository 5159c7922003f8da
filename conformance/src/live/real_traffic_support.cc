#include "live/real_traffic_support.h"

namespace ctplab::conformance::live {

std::vector<std::string> realTrafficProblems(const sim::scenario::Scenario& scenario) {
  using sim::scenario::Behavior;
  std::vector<std::string> out;
  if (scenario.duration > Duration::seconds(kMaxRealSeconds)) {
    out.push_back("duration is over " + std::to_string(kMaxRealSeconds) +
                  " s, and a real run takes that long on the wall clock");
  }
  if (!scenario.hops.empty()) {
    out.push_back("hops (load balancers, NAT) exist only in simulation");
  }
  const sim::scenario::BackendProfile default_backend;
  const auto& backend = scenario.backend;
  if (backend.concurrency != 0 || backend.queue_limit != 0 ||
      backend.service_time.kind != default_backend.service_time.kind ||
      backend.service_time.mean != default_backend.service_time.mean) {
    out.push_back(
        "a backend model (service time, concurrency, queue) exists only in simulation; "
        "the echo backend answers at once");
  }
  uint64_t clients = 0;
  const sim::scenario::AddressPool default_source;
  for (const auto& pop : scenario.populations) {
    const std::string where = "population " + pop.name + ": ";
    clients += pop.clients;
    if (!pop.via.empty()) out.push_back(where + "via (hops) exists only in simulation");
    if (pop.source.cidr != default_source.cidr || pop.source.random) {
      out.push_back(where +
                    "source addresses exist only in simulation; real clients connect "
                    "from the loopback address");
    }
    if (pop.link) out.push_back(where + "a link profile exists only in simulation");
    if (pop.behavior.kind == Behavior::Kind::kVanish) {
      out.push_back(where +
                    "vanish cannot be played by a real socket (its kernel still answers "
                    "keepalive probes and closes with FIN)");
    }
  }
  if (clients > kMaxRealClients) {
    out.push_back(std::to_string(clients) + " clients; a real run drives at most " +
                  std::to_string(kMaxRealClients) + " (one thread each)");
  }
  return out;
}

}  // namespace ctplab::conformance::live
