// Packet fidelity for HTTP/3 (`http3.fidelity: packets`): each QUIC connection is a real ngtcp2
// client talking to the gateway's real HTTP/3 server (the live proxy's), both on the virtual
// clock, every datagram crossing the population's link with its delay and loss. The client's
// decisions (alt-svc, fallback, broken alternatives) and the gateway's request flow stay those of
// world_quic.cc; only what travels between them is real.
#include <algorithm>

#include "run/world.h"

namespace ctplab::sim::run {
namespace {

using proxy::http3::UdpEndpoint;

// Where the gateway's UDP listeners stand for the clients: documentation addresses, one per
// family, since the gateway model has no address of its own.
UdpEndpoint gatewayEndpoint(const IpAddress& peer, uint16_t port) {
  if (peer.family() == IpAddress::Family::kV4) return {IpAddress::v4({192, 0, 2, 1}), port};
  return {IpAddress::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), port};
}

// Client ports from the ephemeral range, handed out in turn: one per QUIC connection, so the
// server tells apart the connections of clients sharing a source address.
constexpr uint32_t kFirstUdpPort = 32768;
constexpr uint32_t kUdpPorts = 60999 - kFirstUdpPort + 1;

const std::string& responseBody(uint64_t bytes) {
  // One buffer for every answer: only the size travels.
  static std::string body;
  if (body.size() < bytes) body.assign(bytes, 'x');
  return body;
}

}  // namespace

proxy::Result<bool> World::initPacketServers() {
  bool wanted = false;
  for (const auto& pop : scenario_.populations) {
    if (pop.http3 && pop.http3->fidelity == scenario::Http3ClientProfile::Fidelity::kPackets) {
      wanted = true;
    }
  }
  if (!wanted) return true;
  // Every replica serves the same IR: one setup per port (certificates loaded once), shared.
  gateway::GatewayModel& g = *replicas_.front().gateway;
  packet_setups_.assign(g.ports().size(), nullptr);
  for (size_t p = 0; p < g.ports().size(); ++p) {
    const gateway::PortRuntime& port = g.ports()[p];
    if (!port.http3) continue;
    proxy::http3::ServerConfig config;
    for (size_t l : port.listeners) {
      const auto& lrt = g.listeners()[l];
      if (lrt.tls_context) {
        config.chains.push_back(
            proxy::http3::chainForListener(static_cast<int>(l), *lrt.ir, *lrt.tls_context));
      }
    }
    const auto& owner = g.listeners()[port.settings_owner];
    auto limits = proxy::http3::applyOwnerLimits(config, *owner.ir, owner.settings.idle_timeout);
    if (!limits) return limits.error();
    config.pacing = false;
    auto setup = proxy::http3::buildServerSetup(std::move(config));
    if (!setup) {
      return proxy::Error{"HTTP/3 on gateway port " + std::to_string(port.external_port) + ": " +
                          setup.error().message};
    }
    packet_setups_[p] = std::move(setup).value();
  }
  packet_servers_.resize(replicas_.size());
  for (auto& servers : packet_servers_) servers.resize(g.ports().size());
  return true;
}

PacketServer& World::packetServer(uint32_t replica, size_t port) {
  auto& slot = packet_servers_[replica][port];
  if (!slot) {
    slot = std::make_unique<PacketServer>();
    // The real server counts into the port's QUIC stats, as the model does.
    slot->server = std::make_unique<proxy::http3::Http3Server>(
        packet_setups_[port], replicas_[replica].gateway->ports()[port].quic);
  }
  return *slot;
}

// --- the client ---------------------------------------------------------------------------

void World::pqOpen(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const Client& c = clients_[q.client];
  PopulationRuntime& pop = populations_[q.population];
  const auto& h = *pop.spec->http3;
  q.link_rng = sim_.rngFor("quic/" + pop.spec->name + "/" + std::to_string(pop.quic_opened++));
  q.udp_port = static_cast<uint16_t>(kFirstUdpPort + next_udp_port_);
  next_udp_port_ = (next_udp_port_ + 1) % kUdpPorts;
  proxy::http3::ClientOptions options;
  options.sni = pop.sni;
  options.idle_timeout = h.idle_timeout;
  options.pacing = false;  // as the server's (initPacketServers)
  if (pop.spec->behavior.kind == scenario::Behavior::Kind::kHold) {
    // A client holding the connection on purpose keeps it alive with PINGs, as the model assumes.
    Duration idle = h.idle_timeout;
    if (q.port != SIZE_MAX) {
      idle = std::min(idle, replicas_.front().gateway->ports()[q.port].quic_idle_timeout);
    }
    options.keep_alive = Duration::nanoseconds(idle.ns() / 2);
  }
  if (q.early_request) {
    auto ticket = packet_tickets_.find(q.client);
    if (ticket != packet_tickets_.end()) options.resume = ticket->second;
  }
  q.h3 = std::make_unique<proxy::http3::Http3Client>(sim_.now(), UdpEndpoint{q.peer, q.udp_port},
                                                     gatewayEndpoint(q.peer, c.alt_port),
                                                     std::move(options));
  pqTouchClient(qi);
}

void World::pqRequest(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const proxy::http1::RequestHead& head = populations_[q.population].quic_head;
  std::string authority;
  std::vector<proxy::http3::RequestField> fields;
  fields.reserve(head.headers.size());
  for (const auto& h : head.headers) {
    if (h.name == "host") {
      authority = h.value;
    } else {
      fields.push_back({h.name, h.value});
    }
  }
  std::string body;
  if (head.framing == proxy::http1::BodyFraming::kContentLength) {
    body.assign(head.content_length, 'x');
  }
  if (q.h3->request(head.method, authority, head.target, fields, std::move(body)) < 0) {
    // No stream credit or no HTTP/3 yet: the connection cannot carry it; TCP does.
    pqClientLost(qi, proxy::http3::ClientClosed{});
    return;
  }
  q.last_activity = sim_.now();
  pqTouchClient(qi);
}

void World::pqClientCloses(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  if (q.h3 != nullptr) {
    std::string close = q.h3->close(sim_.now());
    if (!close.empty()) pqToServer(qi, std::move(close));
  }
  q.client = kNone;
  pqDropClient(qi);
  releaseQuic(qi);
}

void World::pqDropClient(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  q.h3.reset();
  if (q.client_timer_at) sim_.cancel(q.client_timer);
  q.client_timer_at.reset();
}

void World::pqRelease(uint32_t qi) {
  pqDropClient(qi);
  QuicConnection& q = quics_[qi];
  if (q.replica == kNone || q.port == SIZE_MAX || !packet_servers_[q.replica][q.port]) return;
  auto& by_peer = packet_servers_[q.replica][q.port]->by_peer;
  auto it = by_peer.find(UdpEndpoint{q.peer, q.udp_port});
  if (it != by_peer.end() && it->second == std::pair{qi, q.gen}) by_peer.erase(it);
}

void World::pqTouchClient(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  if (q.client_flush_pending) return;
  q.client_flush_pending = true;
  const uint32_t gen = q.gen;
  // Everything the client did at this instant leaves together, as a real client's write loop.
  at(sim_.now(), [this, qi, gen] { pqClientFlush(qi, gen); });
}

void World::pqClientFlush(uint32_t qi, uint32_t gen) {
  {
    QuicConnection& q = quics_[qi];
    if (q.gen != gen) return;
    q.client_flush_pending = false;
  }
  // Handlers may close the connection (and drop the client) or reuse nothing else: look again
  // after every event.
  while (quics_[qi].gen == gen && quics_[qi].h3 != nullptr) {
    auto event = quics_[qi].h3->nextEvent();
    if (!event) break;
    if (std::holds_alternative<proxy::http3::HandshakeDone>(*event)) {
      if (quics_[qi].client != kNone && !quics_[qi].client_ready) quicClientReady(qi);
    } else if (auto* done = std::get_if<proxy::http3::ResponseDone>(&*event)) {
      pqResponse(qi, done->stream);
    } else {
      pqClientLost(qi, std::get<proxy::http3::ClientClosed>(*event));
    }
  }
  QuicConnection& q = quics_[qi];
  if (q.gen != gen || q.h3 == nullptr) return;
  for (std::string& datagram : q.h3->write(sim_.now())) pqToServer(qi, std::move(datagram));
  if (q.h3->dead()) {
    // A local failure while writing: the next flush reports it.
    pqTouchClient(qi);
    return;
  }
  const TimePoint expiry = std::max(sim_.now(), q.h3->expiry());
  if (q.client_timer_at == expiry) return;
  if (q.client_timer_at) sim_.cancel(q.client_timer);
  q.client_timer_at = expiry;
  q.client_timer = at(expiry, [this, qi, gen] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.h3 == nullptr) return;
    qq.client_timer_at.reset();
    qq.h3->handleExpiry(sim_.now());
    pqClientFlush(qi, gen);
  });
}

void World::pqResponse(uint32_t qi, int64_t stream) {
  QuicConnection& q = quics_[qi];
  const auto& responses = q.h3->responses();
  auto it = responses.find(stream);
  if (it == responses.end()) return;
  const proxy::http3::ClientResponse response = it->second;
  q.h3->forget(stream);
  if (q.client == kNone) return;
  if (!q.ticket_kept) {
    // The server's ticket follows the handshake: the first answer is when the client has it.
    if (auto ticket = q.h3->ticket()) {
      packet_tickets_[q.client] = std::move(*ticket);
      clients_[q.client].ticket = true;
      q.ticket_kept = true;
    }
  }
  if (response.early_rejected) {
    // The server could not take the 0-RTT data (a ticket it cannot read): the same request
    // goes again once the handshake is done, as browsers send it.
    pqRequest(qi);
    return;
  }
  if (response.complete && response.status() > 0) {
    ++q.responses;
    auto alt = response.fields.find("alt-svc");
    quicResponseArrives(qi, response.status(),
                        alt == response.fields.end() ? std::string() : alt->second);
    return;
  }
  // The gateway reset the stream: this request failed, the connection goes on.
  quicResetArrives(qi);
}

void World::pqClientLost(uint32_t qi, const proxy::http3::ClientClosed& closed) {
  QuicConnection& q = quics_[qi];
  const uint32_t id = q.client;
  if (id == kNone) {
    pqDropClient(qi);
    releaseQuic(qi);
    return;
  }
  if (!q.client_ready) {
    // CONNECTION_CLOSE during the handshake (no chain for the name, a refused chain): the
    // alternative failed. Silence is left to the handshake timeout.
    if (closed.error) quicFailed(qi, false);
    return;
  }
  Client& c = clients_[id];
  QuicCounts& counts = *resultOf(id).quic;
  // Closed by the gateway before it answered anything and without GOAWAY (e.g. its connection
  // limit): browsers take that as a broken alternative, as a refused handshake.
  const bool refused = closed.error && q.responses == 0 && !closed.goaway;
  if (closed.idle) ++counts.idle_closed;
  if (refused) {
    ++counts.refused;
    markBroken(c);
  }
  pqDropClient(qi);
  q.client = kNone;
  c.quic = kNone;
  const bool in_use = c.via_quic && (c.phase == ClientPhase::kAwaiting ||
                                     c.phase == ClientPhase::kHolding || c.waiting_quic);
  c.via_quic = false;
  if (in_use) {
    // What the connection carried (a request, a hold) moves to TCP.
    sim_.cancel(c.timer);
    quicFallback(id);
  }
  releaseQuic(qi);
}

void World::pqToServer(uint32_t qi, std::string bytes) {
  QuicConnection& q = quics_[qi];
  PopulationRuntime& pop = populations_[q.population];
  if (q.client != kNone && clients_[q.client].udp_blocked) return;
  const auto transit = pop.link.datagramTransit(q.link_rng, bytes.size());
  if (!transit) return;
  TimePoint t = sim_.now() + *transit;
  if (t < q.c2s_last) t = q.c2s_last;
  q.c2s_last = t;
  const uint32_t gen = q.gen;
  at(t, [this, qi, gen, bytes = std::move(bytes)] { pqServerReceives(qi, gen, bytes); });
}

// --- the gateway --------------------------------------------------------------------------

void World::pqServerReceives(uint32_t qi, uint32_t gen, const std::string& bytes) {
  QuicConnection& q = quics_[qi];
  if (q.gen != gen) return;
  if (q.port == SIZE_MAX) {
    // No UDP listener there: ICMP port unreachable ends the attempt one transit later.
    if (q.client == kNone || q.client_ready) return;
    const TimePoint back = quicDelivery(qi, false, 0);
    at(back, [this, qi, gen] {
      QuicConnection& qq = quics_[qi];
      if (qq.gen == gen && qq.client != kNone && !qq.client_ready) quicFailed(qi, false);
    });
    return;
  }
  if (q.replica == kNone) quicBalance(qi);
  gateway::GatewayModel& g = quicGateway(qi);
  if (!q.cpu_charged) {
    // The first Initial starts the handshake: its CPU, for the chain the SNI chooses.
    q.cpu_charged = true;
    const int listener = g.selectListener(g.ports()[q.port], populations_[q.population].sni);
    if (listener >= 0 && g.listeners()[static_cast<size_t>(listener)].quic) {
      TimePoint done;
      auto verdict = quicHandshake(qi, listener, done);
      q.tls_peer = verdict != nullptr ? verdict->peer : nullptr;
    }
  }
  PacketServer& ps = packetServer(q.replica, q.port);
  const UdpEndpoint peer{q.peer, q.udp_port};
  ps.by_peer[peer] = {qi, gen};
  ps.server->onDatagram(sim_.now(), gatewayEndpoint(q.peer, g.ports()[q.port].external_port), peer,
                        bytes);
  pqTouchServer(q.replica, q.port);
}

void World::pqTouchServer(uint32_t replica, size_t port) {
  PacketServer& ps = packetServer(replica, port);
  if (ps.flush_pending) return;
  ps.flush_pending = true;
  at(sim_.now(), [this, replica, port] { pqServerFlush(replica, port); });
}

void World::pqServerFlush(uint32_t replica, size_t port) {
  PacketServer& ps = packetServer(replica, port);
  ps.flush_pending = false;
  while (auto event = ps.server->nextEvent()) pqServerEvent(replica, port, std::move(*event));
  auto out = ps.server->takeOutput();
  // Grouped by connection slot, so the link's draws do not follow the server's hash order.
  std::vector<std::pair<uint32_t, std::string>> sends;
  sends.reserve(out.size());
  for (auto& d : out) {
    auto it = ps.by_peer.find(d.remote);
    if (it == ps.by_peer.end()) continue;
    const auto [qi, gen] = it->second;
    if (quics_[qi].gen != gen) continue;
    sends.emplace_back(qi, std::move(d.bytes));
  }
  std::stable_sort(sends.begin(), sends.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [qi, bytes] : sends) pqToClient(qi, std::move(bytes));
  const auto next = ps.server->nextExpiry();
  if (next == ps.timer_at) return;
  if (ps.timer_at) sim_.cancel(ps.timer);
  ps.timer_at = next;
  if (!next) return;
  ps.timer = at(std::max(sim_.now(), *next), [this, replica, port] {
    PacketServer& s = packetServer(replica, port);
    s.timer_at.reset();
    s.server->onExpiry(sim_.now());
    pqServerFlush(replica, port);
  });
}

void World::pqServerEvent(uint32_t replica, size_t port, proxy::http3::ServerEvent event) {
  PacketServer& ps = packetServer(replica, port);
  if (auto* opened = std::get_if<proxy::http3::ConnectionOpened>(&event)) {
    auto it = ps.by_peer.find(opened->peer);
    if (it == ps.by_peer.end() || quics_[it->second.first].gen != it->second.second) {
      ps.server->closeConnection(sim_.now(), opened->connection);  // its client is gone
      return;
    }
    const uint32_t qi = it->second.first;
    QuicConnection& q = quics_[qi];
    q.server_conn = opened->connection;
    ps.by_conn[opened->connection] = qi;
    q.server_open = true;
    q.handshake_done = true;
    q.last_activity = sim_.now();
    auto& listener_stats =
        *quicGateway(qi).listeners()[static_cast<size_t>(opened->chain_tag)].stats;
    ps.server->setListenerStats(opened->connection, &listener_stats.http3.codec,
                                &listener_stats.connection,
                                &listener_stats.http3.downstream_rq_http3_total);
    if (quicOpened(qi, opened->chain_tag)) {
      // Refused by the chain's connection limit: closed at once, as the live proxy does.
      ps.server->closeConnection(sim_.now(), opened->connection);
      return;
    }
    quicLifetimeStarts(qi);
    return;
  }
  if (auto* closed = std::get_if<proxy::http3::ConnectionClosed>(&event)) {
    auto it = ps.by_conn.find(closed->connection);
    if (it == ps.by_conn.end()) return;
    const uint32_t qi = it->second;
    ps.by_conn.erase(it);
    // The endpoint stays mapped until the slot is freed: the close packet is still to go out.
    quicServerClose(qi, closed->cause == proxy::http3::CloseCause::kPeer,
                    closed->cause == proxy::http3::CloseCause::kIdleTimeout);
    return;
  }
  auto& stream = std::get<proxy::http3::StreamEvent>(event);
  auto it = ps.by_conn.find(stream.connection);
  if (it == ps.by_conn.end()) return;
  const uint32_t qi = it->second;
  if (auto* head = std::get_if<proxy::http1::RequestHead>(&stream.event)) {
    quicRequestArrives(qi, head->request_id, head);
  } else if (std::holds_alternative<proxy::http1::PeerReset>(stream.event) ||
             std::holds_alternative<proxy::http1::ProtocolError>(stream.event)) {
    // Reset by the client, or answered by a stream timer (counted by the server): the flow's
    // answer, if it comes, finds no open stream.
    QuicConnection& q = quics_[qi];
    if (q.open_stream == proxy::http1::requestIdOf(stream.event) + 1) q.open_stream = 0;
  }
  // Body bytes and the request's end change nothing: the flow decides at the head, as on TCP.
}

void World::pqRespond(uint32_t qi, uint64_t stream, int status, uint64_t body_bytes,
                      const proxy::http1::HeaderList& headers) {
  QuicConnection& q = quics_[qi];
  proxy::http1::ResponseHead head;
  head.status = status;
  head.headers = headers;
  head.headers.push_back({"content-length", std::to_string(body_bytes)});
  const std::string_view body(responseBody(body_bytes).data(), body_bytes);
  packetServer(q.replica, q.port).server->respond(sim_.now(), q.server_conn, stream, head, body);
  pqTouchServer(q.replica, q.port);
}

void World::pqToClient(uint32_t qi, std::string bytes) {
  QuicConnection& q = quics_[qi];
  if (q.client == kNone || q.h3 == nullptr) return;
  PopulationRuntime& pop = populations_[q.population];
  const auto transit = pop.link.datagramTransit(q.link_rng, bytes.size());
  if (!transit) return;
  // What the gateway sends leaves once its CPU has produced it.
  TimePoint t = std::max(sim_.now(), q.cpu_done) + *transit;
  if (t < q.s2c_last) t = q.s2c_last;
  q.s2c_last = t;
  const uint32_t gen = q.gen;
  at(t, [this, qi, gen, bytes = std::move(bytes)] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.h3 == nullptr) return;
    qq.h3->read(sim_.now(), bytes);
    pqTouchClient(qi);
  });
}

}  // namespace ctplab::sim::run
