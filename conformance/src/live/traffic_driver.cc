#include "live/traffic_driver.h"

#include <algorithm>
#include <thread>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/proxy_protocol/writer.h"
#include "ctplab/simulator/clients/arrival_schedule.h"
#include "ctplab/simulator/clients/request_bytes.h"
#include "live/admin_stats.h"
#include "live/live_client.h"

namespace ctplab::conformance::live {
namespace {

namespace pp = proxy::proxy_protocol;
using sim::scenario::Population;

// The Host a population sends when it names none: as the simulator picks it.
std::string defaultHost(const Population& pop, const policy::ir::Gateway& gateway) {
  if (!pop.target.host.empty()) return pop.target.host;
  for (const auto& listener : gateway.listeners) {
    if (listener.external_port != pop.target.port) continue;
    const auto& names = listener.hostnames;
    return names.empty() || names.front().find('*') != std::string::npos ? "example.com"
                                                                         : names.front();
  }
  return "example.com";
}

std::string preambleOf(const Population& pop, const ::ctplab::live::HostPort& to) {
  if (!pop.proxy_header) return {};
  const auto& h = *pop.proxy_header;
  const auto source = IpAddress::parse(h.source);
  auto destination = IpAddress::parse(to.host);
  if (!source) return {};
  // A name as destination (a target given by hostname): the header names a loopback address of
  // the source's family, which is what a proxy on the same host would write.
  if (!destination || destination->family() != source->family()) {
    destination =
        IpAddress::parse(source->family() == IpAddress::Family::kV4 ? "127.0.0.1" : "::1");
  }
  const auto version =
      h.version == sim::scenario::Hop::ProxyProtocol::kV2 ? pp::Version::kV2 : pp::Version::kV1;
  return pp::writeHeader(version, {*source, h.source_port}, {*destination, to.port});
}

void mergeInto(sim::run::PopulationResult& into, const sim::run::PopulationResult& from) {
  into.clients += from.clients;
  into.hold_completed += from.hold_completed;
  auto& c = into.connections;
  const auto& f = from.connections;
  c.attempted += f.attempted;
  c.connect_failed += f.connect_failed;
  c.established += f.established;
  c.closed_by_server += f.closed_by_server;
  c.reset_by_server += f.reset_by_server;
  c.closed_by_client += f.closed_by_client;
  c.retries += f.retries;
  auto& r = into.requests;
  const auto& g = from.requests;
  r.sent += g.sent;
  for (const auto& [status, n] : g.by_status) r.by_status[status] += n;
  r.reset += g.reset;
  r.closed += g.closed;
  r.timeout += g.timeout;
  r.connect_failed += g.connect_failed;
  r.unfinished += g.unfinished;
  into.latency.merge(from.latency);
}

}  // namespace

proxy::Result<sim::run::RunResult> driveTraffic(const sim::scenario::Scenario& scenario,
                                                const policy::ir::Gateway& gateway,
                                                const GatewayEndpoints& endpoints,
                                                Duration max_duration) {
  std::vector<PopulationPlan> plans;
  plans.reserve(scenario.populations.size());
  for (size_t i = 0; i < scenario.populations.size(); ++i) {
    const Population& pop = scenario.populations[i];
    auto found = endpoints.ports.find(pop.target.port);
    const ::ctplab::live::HostPort* to =
        found != endpoints.ports.end() ? &found->second
                                       : (endpoints.every_port ? &*endpoints.every_port : nullptr);
    if (to == nullptr) {
      return proxy::Error{"population " + pop.name + ": the gateway serves nothing for port " +
                          std::to_string(pop.target.port)};
    }
    PopulationPlan plan;
    plan.spec = &pop;
    plan.index = static_cast<uint32_t>(i);
    plan.host = to->host;
    plan.port = to->port;
    plan.preamble = preambleOf(pop, *to);
    const std::string host = defaultHost(pop, gateway);
    plan.request_bytes = sim::clients::buildRequestBytes(pop.behavior.request, host);
    plan.request_head = sim::clients::buildRequestHead(pop.behavior.request, host);
    plan.head_request = pop.behavior.request.method == "HEAD";
    plans.push_back(std::move(plan));
  }

  // A target has been running before: its counters are read before and after the run, and the
  // case sees the difference.
  std::map<std::string, uint64_t> stats_before;
  if (endpoints.admin) {
    auto stats = fetchAdminStats(endpoints.admin->host, endpoints.admin->port);
    if (!stats) return stats.error();
    stats_before = std::move(stats).value();
  }
  const Duration duration = std::min(scenario.duration, max_duration);
  const auto start = Clock::now();
  const auto run_end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(duration.ns()));

  // Every client's arrival first, so the slots they write into never move.
  struct Slot {
    const PopulationPlan* plan = nullptr;
    uint64_t client = 0;
    Duration arrival;
    ClientObservations observed;
  };
  std::vector<Slot> slots;
  for (const auto& plan : plans) {
    const Population& pop = *plan.spec;
    sim::clients::ArrivalSchedule arrivals(
        pop.arrival, pop.clients, TimePoint{},
        sim::Rng::forEntity(scenario.seed, sim::entityId("arrivals/" + pop.name)));
    uint64_t client = 0;
    while (auto at = arrivals.next()) {
      if (*at - TimePoint{} >= duration) break;
      Slot slot;
      slot.plan = &plan;
      slot.client = client++;
      slot.arrival = *at - TimePoint{};
      slots.push_back(std::move(slot));
    }
  }
  std::vector<std::thread> threads;
  threads.reserve(slots.size());
  for (auto& slot : slots) {
    const auto arrival = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::nanoseconds(slot.arrival.ns()));
    const std::string stream =
        "client/" + slot.plan->spec->name + "/" + std::to_string(slot.client);
    const sim::Rng rng = sim::Rng::forEntity(scenario.seed, sim::entityId(stream));
    threads.emplace_back([&slot, arrival, run_end, rng] {
      LiveClient c(*slot.plan, slot.client, arrival, run_end, rng);
      slot.observed = c.run();
    });
  }
  for (auto& t : threads) t.join();

  const Duration elapsed = Duration::nanoseconds(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  sim::run::RunResult result{
      sim::results::TimeSeries(TimePoint{}, scenario.outputs.bucket, elapsed)};
  result.scenario = scenario.name;
  result.seed = scenario.seed;
  result.duration = elapsed;
  for (const auto& plan : plans) {
    sim::run::PopulationResult p;
    p.name = plan.spec->name;
    result.populations.push_back(std::move(p));
  }
  std::vector<TimedBackendRequest> backend;
  for (auto& slot : slots) {
    mergeInto(result.populations[slot.plan->index], slot.observed.result);
    for (auto& b : slot.observed.backend) backend.push_back(std::move(b));
  }
  std::stable_sort(backend.begin(), backend.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  for (auto& b : backend) result.backend_requests.push_back(std::move(b.request));

  if (endpoints.admin) {
    auto stats = fetchAdminStats(endpoints.admin->host, endpoints.admin->port);
    if (!stats) return stats.error();
    for (const auto& [name, value] : stats.value()) {
      auto before = stats_before.find(name);
      const uint64_t base = before == stats_before.end() ? 0 : before->second;
      result.gateway_stats[name] = value >= base ? value - base : 0;
    }
  }
  return result;
}

}  // namespace ctplab::conformance::live
