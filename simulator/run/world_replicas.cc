// The gateway's replicas behind their load balancer, and the services every replica shares (the
// global rate-limit service): which replica serves a connection, and what the run observed.
#include <string>
#include <utility>

#include "run/world.h"

namespace ctplab::sim::run {
namespace {

const char* balancingName(scenario::GatewayReplicas::Balancing b) {
  switch (b) {
    case scenario::GatewayReplicas::Balancing::kRoundRobin:
      return "roundRobin";
    case scenario::GatewayReplicas::Balancing::kLeastConnections:
      return "leastConnections";
    case scenario::GatewayReplicas::Balancing::kSourceIpHash:
      return "sourceIpHash";
  }
  return "unknown";
}

std::map<std::string, uint64_t> replicaStats(const Replica& r) {
  std::map<std::string, uint64_t> out = r.gateway->stats();
  bool any = false;
  r.global_rate_limit.forEach([&](std::string_view, uint64_t v) { any = any || v != 0; });
  if (any) {
    r.global_rate_limit.forEach(
        [&](std::string_view name, uint64_t v) { out[std::string(name)] += v; });
  }
  return out;
}

}  // namespace

void World::pickReplica(uint32_t id) {
  Connection& c = conns_[id];
  // The balancer sees the TCP peer: the client, or the last hop in front of the gateway. A
  // PROXY header or X-Forwarded-For inside the connection is not its business.
  c.replica = balancer_.pick(c.peer);
  c.balanced = true;
}

void World::releaseReplica(uint32_t id) {
  Connection& c = conns_[id];
  if (!c.balanced) return;
  c.balanced = false;
  balancer_.release(c.replica);
}

uint64_t World::activeConnections() const {
  uint64_t total = 0;
  for (const Replica& r : replicas_) total += r.gateway->activeConnections();
  return total;
}

void World::collectReplicaStats() {
  if (replicas_.size() == 1) {
    result_.gateway_stats = replicaStats(replicas_.front());
  } else {
    result_.load_balancer = balancingName(scenario_.replicas.balancing);
    for (const Replica& r : replicas_) {
      ReplicaResult rr;
      rr.stats = replicaStats(r);
      rr.peak_active_connections = r.peak_active_connections;
      for (const auto& [name, value] : rr.stats) result_.gateway_stats[name] += value;
      result_.replicas.push_back(std::move(rr));
    }
    for (uint32_t i = 0; i < replicas_.size(); ++i) {
      result_.replicas[i].connections = balancer_.picked(i);
    }
  }
  const auto& s = ratelimit_service_.stats();
  if (scenario_.rate_limit_service || !scenario_.faults.empty() || s.checks > 0) {
    result_.rate_limit_service = RateLimitServiceResult{s.checks,     s.descriptors, s.answered,
                                                        s.over_limit, s.refused,     s.timed_out};
  }
}

void World::checkGlobal(uint32_t id, std::vector<proxy::ratelimit::GlobalDescriptor> descriptors,
                        std::function<void(const proxy::ratelimit::GlobalCheckReply&)> then) {
  const uint32_t gen = conns_[id].gen;
  ratelimit_service_.check(
      sim_, std::move(descriptors),
      [this, id, gen, then = std::move(then)](const proxy::ratelimit::GlobalCheckReply& reply) {
        const Connection& c = conns_[id];
        if (c.gen != gen || !c.server_accepted || c.server_closed) return;
        then(reply);
      });
}

}  // namespace ctplab::sim::run
