// The TCP model between clients and the gateway: handshake with SYN retries and the listen
// backlog, in-order delivery per direction, FIN and RST.
#include "ctplab/simulator/clients/request_bytes.h"
#include "ctplab/simulator/net/hop_path.h"
#include "run/world.h"

namespace ctplab::sim::run {

uint32_t World::allocConnection(uint32_t client) {
  uint32_t id;
  if (!free_conns_.empty()) {
    id = free_conns_.back();
    free_conns_.pop_back();
  } else {
    id = static_cast<uint32_t>(conns_.size());
    conns_.emplace_back();
    readers_.emplace_back();
  }
  Connection& c = conns_[id];
  const uint32_t gen = c.gen + 1;
  c = Connection{};
  c.gen = gen;
  c.in_use = true;
  c.client = client;
  c.population = clients_[client].population;
  c.client_index = clients_[client].index;
  c.peer = populations_[c.population].source.addressAt(clients_[client].address);
  c.c2s_last = c.s2c_last = sim_.now();
  if (populations_[c.population].routed) routeConnection(id);
  return id;
}

void World::routeConnection(uint32_t id) {
  Connection& c = conns_[id];
  const PopulationRuntime& pop = populations_[c.population];
  const auto& tmpl = pop.spec->behavior.request;
  proxy::http1::HeaderList headers;
  for (const auto& [name, value] : tmpl.headers) headers.push_back({name, value});
  // Before any replica is chosen: every replica serves the same ports.
  const uint16_t port =
      static_cast<uint16_t>(replicas_.front().gateway->ports()[pop.port].external_port);
  const auto arrival = net::traverse(
      pop.path, {c.peer, 40000, c.client_index, pop.spec->proxy_header}, port, headers);
  c.peer = arrival.peer;
  c.routed = std::make_unique<RoutedBytes>();
  c.routed->preamble = arrival.preamble;
  if (!pop.edits_headers) return;  // the population's own bytes serve every connection
  scenario::RequestTemplate edited = tmpl;
  edited.headers.clear();
  for (auto& h : headers) edited.headers.emplace_back(std::move(h.name), std::move(h.value));
  c.routed->request_bytes = clients::buildRequestBytes(edited, pop.host);
  c.routed->request_head = clients::buildRequestHead(edited, pop.host);
}

const std::string& World::requestBytes(uint32_t id) const {
  const Connection& c = conns_[id];
  return c.routed && !c.routed->request_bytes.empty() ? c.routed->request_bytes
                                                      : populations_[c.population].request_bytes;
}

const std::string& World::requestHead(uint32_t id) const {
  const Connection& c = conns_[id];
  return c.routed && !c.routed->request_head.empty() ? c.routed->request_head
                                                     : populations_[c.population].request_head;
}

void World::releaseIfDone(uint32_t id) {
  Connection& c = conns_[id];
  if (!c.in_use || c.client != kNone) return;
  if (c.server_accepted && !c.server_closed) return;
  // Before accept with the client gone: the half-open connection simply disappears.
  releaseReplica(id);
  c.in_use = false;
  c.server.reset();
  c.pending_in.clear();
  c.pending_in.shrink_to_fit();
  ++c.gen;
  readers_[id].reset();
  free_conns_.push_back(id);
}

TimePoint World::deliveryTime(uint32_t id, bool to_server, uint64_t bytes) {
  Connection& c = conns_[id];
  return deliverOnLink(c.population, to_server, bytes, c.cpu_done,
                       to_server ? c.c2s_last : c.s2c_last);
}

TimePoint World::deliverOnLink(uint32_t population, bool to_server, uint64_t bytes,
                               TimePoint cpu_done, TimePoint& last) {
  PopulationRuntime& pop = populations_[population];
  // What the gateway sends leaves once its CPU has produced it.
  const TimePoint sent = to_server ? sim_.now() : std::max(sim_.now(), cpu_done);
  TimePoint t = sent + pop.link.transit(pop.rng, bytes);
  if (t < last) t = last;
  last = t;
  return t;
}

void World::sendSyn(uint32_t id) {
  Connection& c = conns_[id];
  PopulationRuntime& pop = populations_[c.population];
  ++c.syn_attempt;
  if (pop.link.handshakeLost(pop.rng)) {
    scheduleSynRetry(id);
    return;
  }
  const uint32_t gen = c.gen;
  at(deliveryTime(id, true, 0), [this, id, gen] {
    if (conns_[id].gen == gen) synArrives(id);
  });
}

void World::scheduleSynRetry(uint32_t id) {
  // Retransmit after the SYN timeout; the last one failing ends the attempt.
  const uint32_t gen = conns_[id].gen;
  at(sim_.now() + net::LinkModel::synRetryDelay(conns_[id].syn_attempt), [this, id, gen] {
    Connection& c = conns_[id];
    if (c.gen != gen || c.client == kNone) return;
    if (c.syn_attempt > net::kSynRetries) {
      const uint32_t client = c.client;
      ++resultOf(client).connections.connect_failed;
      c.client = kNone;
      clients_[client].conn = kNone;
      releaseIfDone(id);
      connectionEnded(client, true);
      return;
    }
    sendSyn(id);
  });
}

void World::synArrives(uint32_t id) {
  Connection& c = conns_[id];
  PopulationRuntime& pop = populations_[c.population];
  // The balancer's flow state keeps a retransmitted SYN on the replica it chose first.
  if (c.replica == kNone) pickReplica(id);
  AcceptQueue& q = replicaOf(id).accept[pop.port];
  gateway::PortRuntime& port = gatewayOf(id).ports()[pop.port];
  if (q.queued >= scenario_.host.listen_backlog) {
    // Accept queue full: Linux drops the SYN and the client retransmits it later.
    ++port.socket.listen_overflows;
    scheduleSynRetry(id);
    return;
  }
  // The kernel answers the SYN; the connection is queued once the client's ACK arrives.
  const uint32_t gen = c.gen;
  at(deliveryTime(id, false, 0), [this, id, gen] {
    if (conns_[id].gen == gen) clientEstablished(id);
  });
}

void World::ackArrives(uint32_t id) {
  Connection& c = conns_[id];
  PopulationRuntime& pop = populations_[c.population];
  AcceptQueue& q = replicaOf(id).accept[pop.port];
  if (scenario_.host.accept_cost.ns() <= 0) {
    accept(id);
    return;
  }
  if (q.queued >= scenario_.host.listen_backlog) {
    // Accept queue full when the handshake completes: Linux drops the ACK and keeps the
    // connection half-open, retransmitting its SYN-ACK; the client, which thinks it is
    // connected, answers each one. After tcp_synack_retries the attempt is abandoned.
    ++gatewayOf(id).ports()[pop.port].socket.listen_overflows;
    if (++c.synack_retries > net::kSynAckRetries) {
      sendCloseToClient(id, true);
      return;
    }
    const uint32_t gen = c.gen;
    const TimePoint retry = sim_.now() + net::LinkModel::synRetryDelay(c.synack_retries);
    at(retry, [this, id, gen] {
      if (conns_[id].gen == gen && !conns_[id].server_accepted) ackArrives(id);
    });
    return;
  }
  ++q.queued;
  const TimePoint start = std::max(sim_.now(), q.busy_until);
  q.busy_until = start + scenario_.host.accept_cost;
  const uint32_t gen = c.gen;
  const size_t port = pop.port;
  const uint32_t replica = c.replica;
  at(q.busy_until, [this, id, gen, port, replica] {
    --replicas_[replica].accept[port].queued;
    if (conns_[id].gen == gen) accept(id);
  });
}

void World::sendToServer(uint32_t id, std::string bytes) {
  const uint32_t gen = conns_[id].gen;
  at(deliveryTime(id, true, bytes.size()), [this, id, gen, b = std::move(bytes)]() mutable {
    if (conns_[id].gen == gen) serverBytes(id, std::move(b));
  });
}

void World::sendFinToServer(uint32_t id) {
  const uint32_t gen = conns_[id].gen;
  at(deliveryTime(id, true, 0), [this, id, gen] {
    if (conns_[id].gen == gen) serverPeerClosed(id);
  });
}

void World::sendToClient(uint32_t id, std::string bytes) {
  Connection& c = conns_[id];
  if (c.client_vanished) {
    // Nobody acknowledges: the gateway retransmits until TCP gives up, then errors out.
    const uint32_t gen = c.gen;
    if (c.server && c.server->timer_at.value_or(TimePoint::fromUnixNanos(INT64_MAX)) >
                        sim_.now() + net::kRetransmitGiveUp) {
      at(sim_.now() + net::kRetransmitGiveUp, [this, id, gen] {
        Connection& cc = conns_[id];
        if (cc.gen == gen && cc.server_accepted && !cc.server_closed) serverClose(id, false, true);
      });
    }
    return;
  }
  if (c.client == kNone) return;
  const uint32_t gen = c.gen;
  at(deliveryTime(id, false, bytes.size()), [this, id, gen, b = std::move(bytes)] {
    if (conns_[id].gen == gen && conns_[id].client != kNone) clientBytes(id, b);
  });
}

void World::sendCloseToClient(uint32_t id, bool reset) {
  Connection& c = conns_[id];
  if (c.client == kNone || c.client_vanished) return;
  const uint32_t gen = c.gen;
  at(deliveryTime(id, false, 0), [this, id, gen, reset] {
    if (conns_[id].gen == gen && conns_[id].client != kNone) clientPeerClosed(id, reset);
  });
}

}  // namespace ctplab::sim::run
