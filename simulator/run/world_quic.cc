// HTTP/3 over QUIC (spec 4.10): clients that learn alt-svc from TCP responses and move their
// requests to QUIC, the handshake under loss and UDP blocks with fallback to TCP, and the
// gateway's UDP listener running the same request flow, stats and limits as its TCP listeners.
#include <strings.h>

#include <algorithm>

#include "ctplab/simulator/clients/alt_svc.h"
#include "run/flow_helpers.h"
#include "run/world.h"

namespace ctplab::sim::run {
namespace {

using Kind = scenario::Behavior::Kind;

// Datagram sizes that matter for serialization delay: a client Initial is padded to 1200 bytes
// (RFC 9000 section 14.1); the gateway's first flight carries its certificate chain.
constexpr uint64_t kInitialBytes = 1200;
constexpr uint64_t kServerFlightBytes = 4000;
constexpr uint64_t kCloseBytes = 64;
constexpr uint64_t kResponseHeadBytes = 64;  // a QPACK-compressed response HEADERS frame
// A broken alternative's wait doubles per failure in a row, up to 2^6 times the base.
constexpr uint32_t kMaxBrokenDoublings = 6;

// 0-RTT is for requests a replay cannot hurt (RFC 8470); browsers send nothing else early.
bool safeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::string altSvcOf(const proxy::http1::HeaderList& headers) {
  std::string out;
  for (const auto& h : headers) {
    if (h.name.size() != 7 || strncasecmp(h.name.c_str(), "alt-svc", 7) != 0) continue;
    out += (out.empty() ? "" : ", ") + h.value;
  }
  return out;
}

}  // namespace

// --- the client ---------------------------------------------------------------------------

void World::initHttp3Client(uint32_t id) {
  Client& c = clients_[id];
  PopulationRuntime& pop = populations_[c.population];
  const scenario::Http3ClientProfile& h = *pop.spec->http3;
  // Two draws for every client, so which clients are capable does not depend on the UDP share.
  const bool capable = pop.rng.uniform01() < h.capable;
  const bool blocked = pop.rng.uniform01() < h.udp_blocked;
  c.h3 = capable;
  c.udp_blocked = blocked;
  QuicCounts& counts = *resultOf(id).quic;
  if (capable) ++counts.capable_clients;
  if (blocked) ++counts.udp_blocked_clients;
  if (capable && h.known_alternative) {
    c.alt_port = static_cast<uint16_t>(pop.spec->target.port);
    c.alt_until = sim_.now() + Duration::seconds(86400);
  }
}

bool World::alternativeUsable(const Client& c) const {
  return c.h3 && c.alt_port != 0 && sim_.now() < c.alt_until && sim_.now() >= c.broken_until;
}

bool World::startOverQuic(uint32_t id) {
  Client& c = clients_[id];
  const PopulationRuntime& pop = populations_[c.population];
  if (!pop.spec->http3) return false;
  if (c.quic != kNone) {
    if (!quics_[c.quic].client_ready) {
      // Still handshaking in the background: TCP serves this request.
      c.via_quic = false;
      return false;
    }
    if (!c.via_quic) {
      // The QUIC connection is up: later requests use it and the TCP connection is let go.
      if (c.conn != kNone) clientCloses(id);
      c.via_quic = true;
      c.on_conn = 0;
    }
    clientReady(id);
    return true;
  }
  c.via_quic = false;
  if (!alternativeUsable(c)) return false;
  if (c.conn != kNone) {
    // An open TCP connection serves this request; QUIC comes up beside it for the next ones.
    if (pop.spec->behavior.kind == Kind::kRequests) openQuic(id, false);
    return false;
  }
  const auto& b = pop.spec->behavior;
  const bool early = c.ticket && pop.spec->http3->zero_rtt && b.kind == Kind::kRequests &&
                     safeMethod(pop.quic_head.method);
  c.via_quic = true;
  c.on_conn = 0;
  ++c.connections;
  c.waiting_quic = true;
  openQuic(id, early);
  if (early) {
    sendRequest(id);  // rides with the first Initial
  } else {
    c.phase = ClientPhase::kConnecting;
  }
  // Happy eyeballs: without a handshake by then, the request also tries TCP.
  setClientTimer(id, sim_.now() + pop.spec->http3->fallback_after);
  return true;
}

void World::learnAltSvc(uint32_t id, std::string_view value) {
  Client& c = clients_[id];
  if (!c.h3 || c.phase == ClientPhase::kDone) return;
  const auto parsed = clients::parseAltSvc(value);
  if (!parsed) return;  // a malformed header is ignored, as browsers do
  if (parsed->clear) {
    c.alt_until = sim_.now();
    return;
  }
  if (!parsed->h3_port) return;
  c.alt_port = *parsed->h3_port;
  c.alt_until = sim_.now() + parsed->max_age;
  const auto& b = populations_[c.population].spec->behavior;
  // Browsers start the alternative in the background once they know it and have more to ask.
  if (c.quic == kNone && !c.via_quic && alternativeUsable(c) && b.kind == Kind::kRequests &&
      c.requests_left > 0) {
    openQuic(id, false);
  }
}

uint32_t World::openQuic(uint32_t id, bool with_request) {
  uint32_t qi;
  if (!free_quics_.empty()) {
    qi = free_quics_.back();
    free_quics_.pop_back();
  } else {
    qi = static_cast<uint32_t>(quics_.size());
    quics_.emplace_back();
  }
  Client& c = clients_[id];
  const PopulationRuntime& pop = populations_[c.population];
  QuicConnection& q = quics_[qi];
  const uint32_t gen = q.gen + 1;
  q = QuicConnection{};
  q.gen = gen;
  q.in_use = true;
  q.client = id;
  q.population = c.population;
  q.client_index = c.index;
  q.peer = pop.source.addressAt(c.address);
  q.c2s_last = q.s2c_last = q.last_activity = sim_.now();
  q.early_request = with_request;
  if (with_request) q.next_stream = 4;  // stream 0 carries the early request
  // The alternative names a port; a port without a UDP listener gets ICMP unreachable.
  q.port = SIZE_MAX;
  const auto& ports = replicas_.front().gateway->ports();
  for (size_t i = 0; i < ports.size(); ++i) {
    if (ports[i].external_port == c.alt_port && ports[i].http3) q.port = i;
  }
  c.quic = qi;
  c.quic_gen = gen;
  QuicCounts& counts = *result_.populations[c.population].quic;
  ++counts.attempted;
  if (with_request) ++counts.zero_rtt;
  at(sim_.now() + pop.spec->http3->handshake_timeout,
     [this, qi, gen] { quicHandshakeTimeout(qi, gen); });
  if (pop.spec->http3->fidelity == scenario::Http3ClientProfile::Fidelity::kPackets) {
    q.packets = true;
    pqOpen(qi);
    return qi;
  }
  quicSendInitial(qi);
  return qi;
}

void World::quicSendInitial(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const Client& c = clients_[q.client];
  PopulationRuntime& pop = populations_[q.population];
  ++q.initials;
  const uint32_t gen = q.gen;
  // The probe timeout: RFC 9002's initial RTT of 333 ms gives about 1 s, doubling per attempt.
  at(sim_.now() + net::LinkModel::synRetryDelay(q.initials), [this, qi, gen] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen == gen && qq.client != kNone && !qq.client_ready) quicSendInitial(qi);
  });
  if (c.udp_blocked || pop.link.handshakeLost(pop.rng)) return;
  const uint64_t bytes = kInitialBytes + (q.early_request ? pop.request_bytes.size() : 0);
  at(quicDelivery(qi, true, bytes), [this, qi, gen] {
    if (quics_[qi].gen == gen) quicInitialArrives(qi);
  });
}

void World::quicHandshakeTimeout(uint32_t qi, uint32_t gen) {
  QuicConnection& q = quics_[qi];
  if (q.gen != gen || q.client == kNone || q.client_ready) return;
  ++result_.populations[q.population].quic->handshake_timeout;
  quicFailed(qi, true);
}

void World::quicFailed(uint32_t qi, bool timeout) {
  QuicConnection& q = quics_[qi];
  const uint32_t id = q.client;
  Client& c = clients_[id];
  if (!timeout) ++result_.populations[q.population].quic->refused;
  markBroken(c);
  if (q.packets) pqDropClient(qi);
  q.client = kNone;
  c.quic = kNone;
  releaseQuic(qi);
  if (c.waiting_quic) {
    sim_.cancel(c.timer);
    quicFallback(id);
  }
}

void World::markBroken(Client& c) {
  // Chrome's rule: TCP only until the period ends, the period doubling per failure in a row.
  const auto& h = *populations_[c.population].spec->http3;
  const int64_t factor = int64_t{1} << std::min(c.broken_count, kMaxBrokenDoublings);
  c.broken_until = sim_.now() + Duration::nanoseconds(h.broken_for.ns() * factor);
  ++c.broken_count;
}

void World::quicFallback(uint32_t id) {
  Client& c = clients_[id];
  c.waiting_quic = false;
  c.via_quic = false;
  ++resultOf(id).quic->fallbacks;
  // A 0-RTT request went out already; TCP sends it again and counts it there.
  if (c.phase == ClientPhase::kAwaiting && c.failures == 0) --resultOf(id).requests.sent;
  // The QUIC attempt goes on in the background; later requests move there once it is up.
  startConnection(id);
}

void World::quicClientReady(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const uint32_t id = q.client;
  Client& c = clients_[id];
  q.client_ready = true;
  q.last_activity = sim_.now();
  // Envoy issues session tickets: the next handshake can resume. The real client of packet
  // fidelity holds one once the server's ticket has arrived (pqResponse).
  if (!q.packets) c.ticket = true;
  c.broken_count = 0;
  ++resultOf(id).quic->established;
  if (!c.waiting_quic) return;
  c.waiting_quic = false;
  sim_.cancel(c.timer);
  if (q.early_request) {
    // The early request is already out; its own timeout runs from now.
    const auto& timeout = populations_[c.population].spec->behavior.request_timeout;
    if (timeout) setClientTimer(id, sim_.now() + *timeout);
    return;
  }
  clientReady(id);
}

void World::quicSendRequest(uint32_t id) {
  Client& c = clients_[id];
  PopulationRuntime& pop = populations_[c.population];
  QuicConnection& q = quics_[c.quic];
  c.phase = ClientPhase::kAwaiting;
  if (c.failures == 0) ++resultOf(id).requests.sent;
  q.verdict.reset();
  const auto& timeout = pop.spec->behavior.request_timeout;
  if (timeout && !c.waiting_quic) setClientTimer(id, sim_.now() + *timeout);
  if (q.packets) {
    // Before the handshake only a 0-RTT request: the real client sends it with its Initial.
    if (q.client_ready || q.early_request) pqRequest(c.quic);
    return;
  }
  if (!q.client_ready) return;  // 0-RTT: the request travels with the Initial
  const uint64_t stream = q.next_stream;
  q.next_stream += 4;
  q.last_activity = sim_.now();
  const uint32_t qi = c.quic;
  const uint32_t gen = q.gen;
  at(quicDelivery(qi, true, pop.request_bytes.size()), [this, qi, gen, stream] {
    if (quics_[qi].gen == gen) quicRequestArrives(qi, stream);
  });
}

void World::quicResponseArrives(uint32_t qi, int status, const std::string& alt_svc) {
  QuicConnection& q = quics_[qi];
  const uint32_t id = q.client;
  Client& c = clients_[id];
  q.last_activity = sim_.now();
  // A response to a request the client already moved to TCP is dropped.
  if (c.quic != qi || !c.via_quic || c.phase != ClientPhase::kAwaiting) return;
  ++c.on_conn;
  c.close_after_response = false;  // HTTP/3 has no `connection: close`
  finishRequest(id, RequestOutcome::kResponse, status);
  if (!alt_svc.empty()) learnAltSvc(id, alt_svc);
  afterResponse(id);
}

void World::quicClientCloses(uint32_t id) {
  Client& c = clients_[id];
  const uint32_t qi = c.quic;
  c.via_quic = false;
  c.waiting_quic = false;
  if (qi == kNone) return;
  c.quic = kNone;
  QuicConnection& q = quics_[qi];
  if (q.packets) {
    pqClientCloses(qi);
    return;
  }
  q.client = kNone;
  if (q.server_open && !q.server_closed) {
    // CONNECTION_CLOSE: the gateway learns of it one transit later.
    const uint32_t gen = q.gen;
    at(quicDelivery(qi, true, kCloseBytes), [this, qi, gen] {
      if (quics_[qi].gen == gen) quicServerClose(qi, true, false);
    });
    return;
  }
  releaseQuic(qi);
}

void World::releaseQuic(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  if (!q.in_use || q.client != kNone) return;
  if (q.server_open && !q.server_closed) return;
  if (q.packets) pqRelease(qi);
  if (q.balanced) {
    q.balanced = false;
    balancer_.release(q.replica);
  }
  q.in_use = false;
  q.tls_peer.reset();
  q.verdict.reset();
  ++q.gen;
  free_quics_.push_back(qi);
}

TimePoint World::quicDelivery(uint32_t qi, bool to_server, uint64_t bytes) {
  QuicConnection& q = quics_[qi];
  return deliverOnLink(q.population, to_server, bytes, q.cpu_done,
                       to_server ? q.c2s_last : q.s2c_last);
}

// --- the gateway --------------------------------------------------------------------------

void World::quicInitialArrives(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  if (q.server_closed) return;
  const uint32_t gen = q.gen;
  if (q.server_open) {
    // A retransmitted Initial: the gateway's flight was lost, so it goes again once ready.
    if (!q.handshake_done || q.client == kNone) return;
    PopulationRuntime& pop = populations_[q.population];
    if (pop.link.handshakeLost(pop.rng)) return;
    at(quicDelivery(qi, false, kServerFlightBytes), [this, qi, gen] {
      QuicConnection& qq = quics_[qi];
      if (qq.gen == gen && qq.client != kNone && !qq.client_ready) quicClientReady(qi);
    });
    return;
  }
  if (q.port == SIZE_MAX) {
    // No UDP listener there: ICMP port unreachable ends the attempt one transit later.
    at(quicDelivery(qi, false, 0), [this, qi, gen] {
      QuicConnection& qq = quics_[qi];
      if (qq.gen == gen && qq.client != kNone && !qq.client_ready) quicFailed(qi, false);
    });
    return;
  }
  q.server_open = true;
  if (q.replica == kNone) quicBalance(qi);
  gateway::GatewayModel& g = quicGateway(qi);
  gateway::PortRuntime& port = g.ports()[q.port];
  PopulationRuntime& pop = populations_[q.population];
  ++port.quic.downstream_cx_total;
  // QUIC reads the SNI itself: the chain is chosen from the ClientHello in the first Initial.
  const int listener = g.selectListener(port, pop.sni);
  if (listener < 0 || !g.listeners()[static_cast<size_t>(listener)].quic) {
    ++(listener < 0 ? port.quic.no_filter_chain_match : port.quic.handshake_failed);
    quicRefuse(qi, sim_.now());
    return;
  }
  if (auto refused = quicOpened(qi, listener)) {
    quicRefuse(qi, *refused);
    return;
  }
  if (q.early_request) q.pending_early = true;
  TimePoint done;
  auto verdict = quicHandshake(qi, listener, done);
  at(done, [this, qi, gen, verdict] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.server_closed) return;
    gateway::PortRuntime& p = quicGateway(qi).ports()[qq.port];
    if (verdict != nullptr && !verdict->ok) {
      ++p.quic.handshake_failed;
      quicRefuse(qi, sim_.now());
      return;
    }
    qq.tls_peer = verdict != nullptr ? verdict->peer : nullptr;
    qq.handshake_done = true;
    qq.last_activity = sim_.now();
    quicArmIdle(qi);
    quicLifetimeStarts(qi);
    PopulationRuntime& pr = populations_[qq.population];
    if (qq.client != kNone && !pr.link.handshakeLost(pr.rng)) {
      at(quicDelivery(qi, false, kServerFlightBytes), [this, qi, gen] {
        QuicConnection& q2 = quics_[qi];
        if (q2.gen == gen && q2.client != kNone && !q2.client_ready) quicClientReady(qi);
      });
    }
    if (qq.pending_early) {
      qq.pending_early = false;
      quicRequestArrives(qi, 0);
    }
  });
}

void World::quicBalance(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  q.replica = balancer_.pick(q.peer);
  q.balanced = true;
  Replica& replica = replicas_[q.replica];
  if (!replica.workers.empty()) {
    q.worker = replica.next_worker++ % static_cast<uint32_t>(replica.workers.size());
  }
}

std::optional<TimePoint> World::quicOpened(uint32_t qi, int listener) {
  QuicConnection& q = quics_[qi];
  gateway::GatewayModel& g = quicGateway(qi);
  gateway::PortRuntime& port = g.ports()[q.port];
  q.listener = listener;
  const auto& lrt = g.listeners()[static_cast<size_t>(listener)];
  ++port.quic_active;
  ++lrt.stats->hcm.downstream_cx_total;
  ++lrt.stats->hcm.downstream_cx_active;
  ++lrt.stats->hcm.downstream_cx_ssl_total;  // QUIC is always TLS
  ++lrt.stats->http3.downstream_cx_http3_total;
  ++lrt.stats->http3.downstream_cx_http3_active;
  result_.series.add(opened_series_, sim_.now(), 1);
  gaugeActive();
  q.group = lrt.quic_counter.get();
  if (q.group == nullptr) return std::nullopt;
  const auto decision = q.group->onConnectionOpened(sim_.now());
  if (decision.admitted) return std::nullopt;
  // Refused: the client sees CONNECTION_CLOSE, no HTTP answer.
  ++result_.populations[q.population].quic->limited;
  result_.series.add(limited_series_, sim_.now(), 1);
  return std::max(sim_.now(), decision.close_at.value_or(sim_.now()));
}

std::shared_ptr<const tls::HandshakeVerdict> World::quicHandshake(uint32_t qi, int listener,
                                                                  TimePoint& done) {
  QuicConnection& q = quics_[qi];
  const auto& lrt = quicGateway(qi).listeners()[static_cast<size_t>(listener)];
  std::shared_ptr<const tls::HandshakeVerdict> verdict =
      lrt.tls_context ? handshakes_.verdict(static_cast<size_t>(listener), lrt.tls_context,
                                            q.population, calendar())
                      : nullptr;
  done = chargeCpuOn(q.replica, q.worker, q.cpu_done, tlsHandshakeCost(verdict.get()));
  return verdict;
}

void World::quicRefuse(uint32_t qi, TimePoint when) {
  const uint32_t gen = quics_[qi].gen;
  at(when, [this, qi, gen] {
    QuicConnection& q = quics_[qi];
    if (q.gen != gen || q.server_closed) return;
    ++quicGateway(qi).ports()[q.port].quic.connection_close_sent;
    if (q.client != kNone) {
      at(quicDelivery(qi, false, kCloseBytes), [this, qi, gen] {
        QuicConnection& qq = quics_[qi];
        if (qq.gen == gen && qq.client != kNone && !qq.client_ready) quicFailed(qi, false);
      });
    }
    quicServerClose(qi, false, false);
  });
}

void World::quicRequestArrives(uint32_t qi, uint64_t stream,
                               const proxy::http1::RequestHead* decoded) {
  QuicConnection& q = quics_[qi];
  if (!q.server_open || q.server_closed || !q.handshake_done) return;
  q.last_activity = sim_.now();
  proxy::http1::RequestHead head;
  if (decoded != nullptr) {
    head = *decoded;  // the real server checked it
  } else if (!quicCheckHead(qi, stream, head)) {
    return;
  } else if (q.early_request && stream == 0) {
    proxy::http3::markEarlyData(head.headers);  // it rode as 0-RTT data, as the real server marks
  }
  gateway::GatewayModel& g = quicGateway(qi);
  const auto& lrt = g.listeners()[static_cast<size_t>(q.listener)];
  PopulationRuntime& pop = populations_[q.population];
  ++lrt.stats->connection.downstream_rq_total;
  ++lrt.stats->http3.downstream_rq_http3_total;
  quicCountRequest(qi);
  chargeCpuOn(q.replica, q.worker, q.cpu_done,
              scenario_.host.request_cost + byteCost(pop.request_bytes.size()));
  head.request_id = stream + 1;
  proxy::request::RequestContext context;
  Rng& ids = replicas_[q.replica].request_id_rng;
  context.request_id_bits = {ids.next(), ids.next()};
  auto outcome = std::make_unique<proxy::http_flow::HeadOutcome>(proxy::http_flow::onRequestHead(
      *lrt.flow, flowStats(*lrt.stats), q.peer, context, head, q.tls_peer.get()));
  q.verdict = RequestVerdict{outcome->detection.client, DecisionKind::kNoPolicy, -1};
  if (outcome->detection.reject) q.verdict->decision = DecisionKind::kFailClosed;
  q.open_stream = stream + 1;
  quicNoteStreamDeadline(qi);
  if (auto& reply = outcome->reply) {
    quicRespond(qi, stream, reply->status, reply->body.size(), reply->headers, reply->count_status);
    return;
  }
  std::unique_ptr<proxy::http1::RequestHead> forwarded;
  if (scenario_.outputs.backend_requests || g.hasRouteFilters()) {
    forwarded = std::make_unique<proxy::http1::RequestHead>(head);
  }
  quicRoute(qi, stream, std::move(outcome), std::move(forwarded));
}

bool World::quicCheckHead(uint32_t qi, uint64_t stream, proxy::http1::RequestHead& out) {
  QuicConnection& q = quics_[qi];
  gateway::GatewayModel& g = quicGateway(qi);
  const proxy::http2::HeaderPolicy& policy = g.ports()[q.port].quic_headers;
  auto& codec = g.listeners()[static_cast<size_t>(q.listener)].stats->http3.codec;
  const proxy::http1::RequestHead& sent = populations_[q.population].quic_head;
  // The fields in the order the client's HEADERS frame carries them, through the same checks
  // the real server applies (header limits, underscores).
  proxy::http2::RequestAssembler assembler;
  bool refused = false;
  const auto add = [&](std::string_view name, std::string_view value) {
    if (refused) return;
    switch (assembler.add(policy, name, value)) {
      case proxy::http2::FieldVerdict::kKept:
        return;
      case proxy::http2::FieldVerdict::kDropped:
        ++codec.dropped_headers_with_underscores;
        return;
      case proxy::http2::FieldVerdict::kRejected:
        ++codec.requests_rejected_with_underscores_in_headers;
        refused = true;
        return;
      case proxy::http2::FieldVerdict::kOverflow:
        refused = true;
        return;
    }
  };
  add(":method", sent.method);
  add(":scheme", "https");
  for (const auto& h : sent.headers) {
    if (h.name == "host") add(":authority", h.value);
  }
  add(":path", sent.target);
  for (const auto& h : sent.headers) {
    if (h.name != "host") add(h.name, h.value);
  }
  if (refused) {
    // The stream is reset: the request never reaches the HTTP flow.
    if (q.client != kNone) {
      const uint32_t gen = q.gen;
      at(quicDelivery(qi, false, kCloseBytes), [this, qi, gen] {
        if (quics_[qi].gen == gen && quics_[qi].client != kNone) quicResetArrives(qi);
      });
    }
    return false;
  }
  out = assembler.takeHead(stream, sent.framing == proxy::http1::BodyFraming::kNone);
  out.version = {3, 0};
  return true;
}

void World::quicResetArrives(uint32_t qi) {
  const uint32_t id = quics_[qi].client;
  Client& c = clients_[id];
  if (c.quic != qi || !c.via_quic || c.phase != ClientPhase::kAwaiting) return;
  finishRequest(id, RequestOutcome::kReset, 0);
  afterResponse(id);
}

void World::quicRoute(uint32_t qi, uint64_t stream,
                      std::unique_ptr<proxy::http_flow::HeadOutcome> head,
                      std::unique_ptr<proxy::http1::RequestHead> forwarded) {
  QuicConnection& q = quics_[qi];
  Replica& replica = replicas_[q.replica];
  const size_t listener = static_cast<size_t>(q.listener);
  const auto& lrt = replica.gateway->listeners()[listener];
  Duration jwt_cpu;
  auto routed = routeOn(lrt, replica, *head, forwarded.get(), q.verdict, jwt_cpu);
  chargeCpuOn(q.replica, q.worker, q.cpu_done, jwt_cpu);
  if (auto& reply = routed.reply) {
    quicRespond(qi, stream, reply->status, reply->body.size(), reply->headers, reply->count_status);
    return;
  }
  const IpAddress client = head->detection.client;
  if (routed.global_check.empty()) {
    quicAccepted(qi, stream, std::move(routed.response_headers), forwarded.get(), client);
    return;
  }
  // The request waits for the rate-limit service; its answer decides, or its failure lets it on.
  auto descriptors = routed.global_check;
  auto pending = std::make_shared<proxy::http_flow::RouteOutcome>(std::move(routed));
  std::shared_ptr<const proxy::http1::RequestHead> kept = std::move(forwarded);
  const uint32_t gen = q.gen;
  if (q.request_deadline) {
    // The service's answer may come after the request timer: the timer answers then.
    at(*q.request_deadline, [this, qi, gen, stream] {
      if (quics_[qi].gen == gen) quicStreamTimeout(qi, stream, true);
    });
  }
  ratelimit_service_.check(
      sim_, std::move(descriptors),
      [this, qi, gen, stream, pending, listener, kept,
       client](const proxy::ratelimit::GlobalCheckReply& reply) {
        QuicConnection& qq = quics_[qi];
        if (qq.gen != gen || qq.server_closed || qq.open_stream != stream + 1) return;
        Replica& r = replicas_[qq.replica];
        const auto& rt = r.gateway->listeners()[listener];
        proxy::http_flow::applyGlobalReply(*rt.flow, flowStats(*rt.stats, &r.global_rate_limit),
                                           *pending, reply);
        if (auto& answer = pending->reply) {
          quicRespond(qi, stream, answer->status, answer->body.size(), answer->headers,
                      answer->count_status);
          return;
        }
        quicAccepted(qi, stream, std::move(pending->response_headers), kept.get(), client);
      });
}

void World::quicAccepted(uint32_t qi, uint64_t stream, proxy::http1::HeaderList route_headers,
                         const proxy::http1::RequestHead* forwarded, const IpAddress& client) {
  const QuicConnection& q = quics_[qi];
  if (forwarded != nullptr && scenario_.outputs.backend_requests) {
    recordBackendRequest(q.population, q.client_index, *forwarded, client);
  }
  quicToBackend(qi, stream, std::move(route_headers));
}

void World::quicToBackend(uint32_t qi, uint64_t stream, proxy::http1::HeaderList route_headers) {
  QuicConnection& q = quics_[qi];
  const uint32_t gen = q.gen;
  auto headers = std::make_shared<proxy::http1::HeaderList>(std::move(route_headers));
  // The request leaves for the backend once the gateway's CPU has processed it.
  const TimePoint leaves = std::max(sim_.now(), q.cpu_done);
  if (quicTimesOutFirst(qi, stream, leaves, false)) return;
  at(leaves, [this, qi, gen, stream, headers] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.server_closed || qq.open_stream != stream + 1) return;
    qq.request_deadline.reset();  // it leaves for the backend: the request timer is over
    if (qq.packets) {
      packetServer(qq.replica, qq.port)
          .server->requestForwarded(sim_.now(), qq.server_conn, stream);
    }
    auto ready = backend_.admit(sim_.now());
    if (!ready) {
      static constexpr std::string_view kOverflow =
          "upstream connect error or disconnect/reset before headers. reset reason: overflow";
      quicRespond(qi, stream, 503, kOverflow.size(), *headers, true);
      return;
    }
    if (quicTimesOutFirst(qi, stream, *ready, true)) return;
    at(*ready, [this, qi, gen, stream, headers] {
      QuicConnection& q2 = quics_[qi];
      if (q2.gen != gen || q2.server_closed) return;
      quicRespond(qi, stream, 200, scenario_.backend.response_bytes, *headers, true);
    });
  });
}

void World::quicRespond(uint32_t qi, uint64_t stream, int status, uint64_t body_bytes,
                        const proxy::http1::HeaderList& headers, bool count_status) {
  QuicConnection& q = quics_[qi];
  if (q.server_closed || q.open_stream != stream + 1) return;
  q.open_stream = 0;
  gateway::GatewayModel& g = quicGateway(qi);
  if (count_status) {
    g.listeners()[static_cast<size_t>(q.listener)].stats->connection.countResponse(status);
  }
  const uint64_t bytes = kResponseHeadBytes + body_bytes;
  chargeCpuOn(q.replica, q.worker, q.cpu_done, byteCost(bytes));
  q.last_activity = sim_.now();
  if (q.packets) {
    pqRespond(qi, stream, status, body_bytes, headers);
    return;
  }
  if (q.client != kNone) {
    const uint32_t gen = q.gen;
    at(quicDelivery(qi, false, bytes), [this, qi, gen, status, alt = altSvcOf(headers)] {
      QuicConnection& qq = quics_[qi];
      if (qq.gen == gen && qq.client != kNone) quicResponseArrives(qi, status, alt);
    });
  }
  if (q.draining) quicGoawayClose(qi);
}

void World::quicNoteStreamDeadline(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  q.request_deadline.reset();
  q.stream_deadline.reset();
  if (q.packets) return;  // the real server runs its own timers
  const auto& settings = quicGateway(qi).listeners()[static_cast<size_t>(q.listener)].settings;
  if (settings.request_received_timeout) {
    q.request_deadline = sim_.now() + *settings.request_received_timeout;
  }
  const auto& max = settings.max_stream_duration;
  const auto& idle = settings.stream_idle_timeout;
  if (!max && !idle) return;
  // Nothing moves on the stream until the answer, so the first timer due is the one that fires;
  // at a tie the duration limit is reported, as the proxy checks it first.
  q.deadline_is_duration = max && (!idle || *max <= *idle);
  q.stream_deadline = sim_.now() + (q.deadline_is_duration ? *max : *idle);
}

bool World::quicTimesOutFirst(uint32_t qi, uint64_t stream, TimePoint answer_at, bool forwarded) {
  const QuicConnection& q = quics_[qi];
  // At a tie the request timer is the one reported, as the proxy checks it first.
  const bool request_timer = !forwarded && q.request_deadline &&
                             (!q.stream_deadline || *q.request_deadline <= *q.stream_deadline);
  const std::optional<TimePoint> deadline = request_timer ? q.request_deadline : q.stream_deadline;
  if (!deadline || answer_at < *deadline) return false;
  const uint32_t gen = q.gen;
  at(*deadline, [this, qi, gen, stream, request_timer] {
    if (quics_[qi].gen == gen) quicStreamTimeout(qi, stream, request_timer);
  });
  return true;
}

void World::quicStreamTimeout(uint32_t qi, uint64_t stream, bool request_timer) {
  QuicConnection& q = quics_[qi];
  if (q.server_closed || q.open_stream != stream + 1) return;
  // A request timer scheduled for a wait finds the request gone on since.
  if (request_timer && (!q.request_deadline || sim_.now() < *q.request_deadline)) return;
  auto& stats = quicGateway(qi).listeners()[static_cast<size_t>(q.listener)].stats->connection;
  // The model's requests arrive whole: a request timer firing finds it complete (504).
  static constexpr std::string_view kRequest = "request timeout";
  static constexpr std::string_view kDuration = "downstream duration timeout";
  static constexpr std::string_view kIdle = "stream timeout";
  if (request_timer) {
    ++stats.downstream_rq_timeout;
    quicRespond(qi, stream, 504, kRequest.size(), {}, true);
  } else if (q.deadline_is_duration) {
    ++stats.downstream_rq_max_duration_reached;
    quicRespond(qi, stream, 504, kDuration.size(), {}, true);
  } else {
    ++stats.downstream_rq_idle_timeout;
    quicRespond(qi, stream, 408, kIdle.size(), {}, true);
  }
}

void World::quicLifetimeStarts(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const auto& lrt = quicGateway(qi).listeners()[static_cast<size_t>(q.listener)];
  const auto& limit = lrt.settings.max_connection_duration;
  if (!limit || *limit <= Duration()) return;
  const uint32_t gen = q.gen;
  at(sim_.now() + *limit, [this, qi, gen] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.server_closed || qq.draining) return;
    ++quicGateway(qi)
          .listeners()[static_cast<size_t>(qq.listener)]
          .stats->connection.downstream_cx_max_duration_reached;
    quicDrain(qi);
  });
}

void World::quicCountRequest(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const auto& lrt = quicGateway(qi).listeners()[static_cast<size_t>(q.listener)];
  const auto& limit = lrt.settings.max_requests_per_connection;
  if (!limit || ++q.requests < *limit || q.draining) return;
  ++lrt.stats->connection.downstream_cx_max_requests_reached;
  quicDrain(qi);
}

void World::quicDrain(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  q.draining = true;
  if (q.packets) {
    // The real server sends GOAWAY and closes once its streams are done.
    packetServer(q.replica, q.port).server->goaway(sim_.now(), q.server_conn);
    pqTouchServer(q.replica, q.port);
    return;
  }
  if (q.open_stream == 0) quicGoawayClose(qi);  // else once that request is answered
}

void World::quicGoawayClose(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  if (q.server_closed) return;
  ++quicGateway(qi).ports()[q.port].quic.connection_close_sent;
  if (q.client != kNone) {
    // GOAWAY and CONNECTION_CLOSE (H3_NO_ERROR) reach the client after the answer.
    const uint32_t gen = q.gen;
    at(quicDelivery(qi, false, kCloseBytes), [this, qi, gen] {
      if (quics_[qi].gen == gen && quics_[qi].client != kNone) quicClosedByGateway(qi);
    });
  }
  quicServerClose(qi, false, false);
}

void World::quicClosedByGateway(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const uint32_t id = q.client;
  Client& c = clients_[id];
  q.client = kNone;
  const bool current = c.quic == qi;
  if (current) c.quic = kNone;
  // A request or hold the closed connection carried moves on (a request sent after the
  // gateway's GOAWAY was never taken): the next one opens QUIC again, the alternative stays.
  const bool in_use = current && c.via_quic &&
                      (c.phase == ClientPhase::kAwaiting || c.phase == ClientPhase::kHolding);
  if (current) c.via_quic = false;
  if (in_use) {
    sim_.cancel(c.timer);
    quicFallback(id);
  }
  releaseQuic(qi);
}

void World::quicArmIdle(uint32_t qi) {
  QuicConnection& q = quics_[qi];
  const Duration idle = std::min(quicGateway(qi).ports()[q.port].quic_idle_timeout,
                                 populations_[q.population].spec->http3->idle_timeout);
  const uint32_t gen = q.gen;
  at(q.last_activity + idle, [this, qi, gen, idle] {
    QuicConnection& qq = quics_[qi];
    if (qq.gen != gen || qq.server_closed) return;
    // A request in progress, or a holding client's keep-alive PINGs, keep it alive.
    const bool holding = qq.client != kNone && clients_[qq.client].via_quic &&
                         clients_[qq.client].phase == ClientPhase::kHolding;
    if (qq.open_stream != 0 || holding) qq.last_activity = sim_.now();
    if (qq.last_activity + idle > sim_.now()) {
      quicArmIdle(qi);
      return;
    }
    // Both ends time out silently (RFC 9000 section 10.1).
    if (qq.client != kNone) {
      Client& c = clients_[qq.client];
      ++result_.populations[qq.population].quic->idle_closed;
      c.quic = kNone;
      if (c.via_quic && c.phase != ClientPhase::kAwaiting) c.via_quic = false;
      qq.client = kNone;
    }
    quicServerClose(qi, false, true);
  });
}

void World::quicServerClose(uint32_t qi, bool remote, bool idle) {
  QuicConnection& q = quics_[qi];
  if (!q.server_open || q.server_closed) return;
  q.server_closed = true;
  if (q.listener >= 0) {
    gateway::GatewayModel& g = quicGateway(qi);
    gateway::PortRuntime& port = g.ports()[q.port];
    auto& stats = *g.listeners()[static_cast<size_t>(q.listener)].stats;
    --port.quic_active;
    if (stats.hcm.downstream_cx_active > 0) --stats.hcm.downstream_cx_active;
    if (stats.http3.downstream_cx_http3_active > 0) --stats.http3.downstream_cx_http3_active;
    ++stats.hcm.downstream_cx_destroy;
    ++(remote ? stats.hcm.downstream_cx_destroy_remote : stats.hcm.downstream_cx_destroy_local);
    if (idle) {
      if (!q.packets) ++port.quic.downstream_cx_idle_timeout;  // the real server counts its own
      ++stats.connection.downstream_cx_idle_timeout;
    }
    if (q.group != nullptr) q.group->onConnectionClosed();
    gaugeActive();
  }
  releaseQuic(qi);
}

}  // namespace ctplab::sim::run
