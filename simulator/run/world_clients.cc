// Client behaviour: arrivals, the request / hold / slowloris / vanish models, think time, the
// client's own request timeout and reconnect-with-backoff, and the outcome of every request.
#include "ctplab/simulator/gateway/backend_model.h"
#include "run/world.h"

namespace ctplab::sim::run {
namespace {

using Kind = scenario::Behavior::Kind;

// Slowloris keeps the head open forever by sending one more header line at a time.
constexpr std::string_view kDripFiller = "x-a: b\r\n";

}  // namespace

uint32_t World::allocClient() {
  uint32_t id;
  if (!free_clients_.empty()) {
    id = free_clients_.back();
    free_clients_.pop_back();
  } else {
    id = static_cast<uint32_t>(clients_.size());
    clients_.emplace_back();
  }
  const uint32_t gen = clients_[id].gen + 1;
  clients_[id] = Client{};
  clients_[id].gen = gen;
  return id;
}

void World::onArrival(uint32_t p) {
  PopulationRuntime& pop = populations_[p];
  const uint32_t id = allocClient();
  Client& c = clients_[id];
  c.population = p;
  c.index = result_.populations[p].clients++;
  c.address = pop.spec->source.random ? pop.rng.next() : c.index;
  c.intended = sim_.now();
  const auto& b = pop.spec->behavior;
  c.requests_left = b.kind == Kind::kRequests ? b.connections * b.requests_per_connection : 1;
  ++clients_alive_;
  if (pop.spec->http3) initHttp3Client(id);
  if (!startOverQuic(id)) startConnection(id);
  if (auto next = pop.arrivals.next()) at(*next, [this, p] { onArrival(p); });
}

void World::startConnection(uint32_t id) {
  Client& c = clients_[id];
  c.phase = ClientPhase::kConnecting;
  c.on_conn = 0;
  c.dripped = 0;
  c.close_after_response = false;
  ++c.connections;
  ++resultOf(id).connections.attempted;
  const uint32_t conn = allocConnection(id);
  c.conn = conn;
  c.conn_gen = conns_[conn].gen;
  sendSyn(conn);
}

void World::clientEstablished(uint32_t conn) {
  Connection& k = conns_[conn];
  if (k.client == kNone) {
    releaseIfDone(conn);
    return;
  }
  const uint32_t id = k.client;
  ++resultOf(id).connections.established;
  const uint32_t gen = k.gen;
  at(deliveryTime(conn, true, 0), [this, conn, gen] {
    if (conns_[conn].gen == gen) ackArrives(conn);
  });
  // A PROXY header goes first, before a ClientHello or a request. The TLS model keeps the
  // ClientHello implicit; only a port that inspects first bytes is shown where it starts.
  const auto& port = gatewayOf(conn).ports()[populations_[k.population].port];
  std::string first = k.routed ? k.routed->preamble : std::string();
  if (port.tls && port.proxy_protocol.enabled) first += kClientHelloMarker;
  if (!first.empty()) sendToServer(conn, std::move(first));
  if (gatewayOf(conn).ports()[populations_[k.population].port].tls) {
    clients_[id].phase = ClientPhase::kTls;  // ClientHello sent; wait for the gateway's flight
    return;
  }
  clientReady(id);
}

void World::clientReady(uint32_t id) {
  Client& c = clients_[id];
  const auto& b = populations_[c.population].spec->behavior;
  switch (b.kind) {
    case Kind::kRequests:
    case Kind::kVanish:
      sendRequest(id);
      return;
    case Kind::kHold:
      c.hold_until = sim_.now() + b.hold_for;
      if (b.hold_sends_request) {
        sendRequest(id);
      } else {
        c.phase = ClientPhase::kHolding;
        setClientTimer(id, c.hold_until);
      }
      return;
    case Kind::kSlowloris:
      c.phase = ClientPhase::kDripping;
      c.intended = sim_.now();
      ++resultOf(id).requests.sent;  // every connection drips a new request
      drip(id);
      return;
  }
}

void World::sendRequest(uint32_t id) {
  Client& c = clients_[id];
  PopulationRuntime& pop = populations_[c.population];
  if (c.via_quic) {
    quicSendRequest(id);
    return;
  }
  c.phase = ClientPhase::kAwaiting;
  if (c.failures == 0) ++resultOf(id).requests.sent;  // a retry re-sends the same request
  conns_[c.conn].verdict.reset();
  sendToServer(c.conn, requestBytes(c.conn));
  if (pop.spec->behavior.half_close) sendFinToServer(c.conn);
  if (pop.spec->behavior.request_timeout) {
    setClientTimer(id, sim_.now() + *pop.spec->behavior.request_timeout);
  }
}

void World::drip(uint32_t id) {
  Client& c = clients_[id];
  const PopulationRuntime& pop = populations_[c.population];
  const auto& b = pop.spec->behavior;
  const std::string& head = requestHead(c.conn);
  // The head without its final CRLF, then (if it never completes) filler header lines.
  const size_t open_part = head.size() - 2;
  std::string chunk;
  for (uint32_t i = 0; i < b.drip_bytes; ++i) {
    const uint64_t pos = c.dripped + i;
    if (pos < open_part) {
      chunk += head[pos];
    } else if (b.drip_completes) {
      if (pos < head.size()) chunk += head[pos];
    } else {
      chunk += kDripFiller[(pos - open_part) % kDripFiller.size()];
    }
  }
  c.dripped += b.drip_bytes;
  if (!chunk.empty()) sendToServer(c.conn, std::move(chunk));
  if (b.drip_completes && c.dripped >= head.size()) {
    // The head is complete: the rest of the request (its body) goes at once.
    if (const std::string& bytes = requestBytes(c.conn); bytes.size() > head.size()) {
      sendToServer(c.conn, bytes.substr(head.size()));
    }
    c.phase = ClientPhase::kAwaiting;
    return;
  }
  setClientTimer(id, sim_.now() + b.drip_interval);
}

void World::setClientTimer(uint32_t id, TimePoint when) {
  Client& c = clients_[id];
  sim_.cancel(c.timer);
  const uint32_t gen = c.gen;
  c.timer = at(when, [this, id, gen] {
    if (clients_[id].gen == gen) clientTimer(id);
  });
}

void World::clientTimer(uint32_t id) {
  Client& c = clients_[id];
  if (c.waiting_quic) {
    quicFallback(id);  // no QUIC handshake in time: TCP as well
    return;
  }
  switch (c.phase) {
    case ClientPhase::kThinking:
      c.intended = sim_.now();
      if (startOverQuic(id)) return;
      if (c.conn == kNone) {
        startConnection(id);
      } else {
        sendRequest(id);
      }
      return;
    case ClientPhase::kHolding:
      if (sim_.now() >= c.hold_until) {
        ++resultOf(id).hold_completed;
        clientCloses(id);
        finishClient(id);
      }
      return;
    case ClientPhase::kDripping:
      drip(id);
      return;
    case ClientPhase::kBackoff:
      if (!startOverQuic(id)) startConnection(id);
      return;
    case ClientPhase::kAwaiting:
      // The client's own request timeout: give up on the request and the connection.
      finishRequest(id, RequestOutcome::kTimeout, 0);
      clientCloses(id);
      connectionEnded(id, false);
      return;
    case ClientPhase::kConnecting:
    case ClientPhase::kTls:
    case ClientPhase::kDone:
      return;
  }
}

void World::clientBytes(uint32_t conn, std::string_view bytes) {
  const uint32_t id = conns_[conn].client;
  auto& reader = readers_[conn];
  if (!reader) reader = std::make_unique<clients::ResponseReader>();
  scratch_.clear();
  const bool ok = reader->feed(bytes, scratch_);
  for (const auto& response : scratch_) {
    Client& c = clients_[id];
    ++c.on_conn;
    c.close_after_response = !response.keep_alive;
    if (c.phase == ClientPhase::kAwaiting || c.phase == ClientPhase::kDripping ||
        c.phase == ClientPhase::kHolding) {
      finishRequest(id, RequestOutcome::kResponse, response.status);
      if (!response.alt_svc.empty()) learnAltSvc(id, response.alt_svc);
      afterResponse(id);
    }
    if (clients_[id].conn != conn) break;  // the client moved on
  }
  // A parser between responses holds nothing worth keeping; idle connections should not pay for
  // one (it is made again when the next response starts).
  if (ok && readers_[conn] && !readers_[conn]->midResponse() && clients_[id].conn == conn) {
    readers_[conn].reset();
  }
  if (!ok && clients_[id].conn == conn) {
    // An unparsable response: a real client drops the connection.
    if (clients_[id].phase == ClientPhase::kAwaiting) {
      finishRequest(id, RequestOutcome::kReset, 0);
    }
    clientCloses(id);
    connectionEnded(id, true);
  }
}

void World::afterResponse(uint32_t id) {
  Client& c = clients_[id];
  const PopulationRuntime& pop = populations_[c.population];
  const auto& b = pop.spec->behavior;
  if (b.kind != Kind::kSlowloris) c.failures = 0;
  switch (b.kind) {
    case Kind::kRequests: {
      if (c.requests_left == 0) {
        clientCloses(id);
        finishClient(id);
        return;
      }
      const bool reuse =
          !c.close_after_response && !b.half_close && c.on_conn < b.requests_per_connection;
      if (!reuse) clientCloses(id);
      c.phase = ClientPhase::kThinking;
      setClientTimer(
          id, sim_.now() + gateway::drawDuration(b.think_time, populations_[c.population].rng));
      return;
    }
    case Kind::kHold:
      c.phase = ClientPhase::kHolding;
      setClientTimer(id, c.hold_until);
      return;
    case Kind::kVanish:
      clientVanishes(id);
      return;
    case Kind::kSlowloris:
      // The attack goes on: an answered (timed-out) slow request is a reason to reconnect.
      clientCloses(id);
      c.phase = ClientPhase::kBackoff;
      connectionEnded(id, true);
      return;
  }
}

void World::finishRequest(uint32_t id, RequestOutcome outcome, int status) {
  Client& c = clients_[id];
  PopulationResult& r = resultOf(id);
  PopulationRuntime& pop = populations_[c.population];
  if (c.requests_left > 0) --c.requests_left;
  switch (outcome) {
    case RequestOutcome::kResponse:
      ++r.requests.by_status[status];
      r.latency.record(sim_.now() - c.intended);
      result_.series.add(pop.responses_series, sim_.now(), 1);
      if (c.via_quic) ++r.quic->responses;
      if (pop.http3_series) {
        result_.series.add(c.via_quic ? *pop.http3_series : *pop.http1_series, sim_.now(), 1);
      }
      if (http3_series_) {
        result_.series.add(c.via_quic ? *http3_series_ : *http1_series_, sim_.now(), 1);
      }
      if (status >= 100 && status < 600)
        result_.series.add(status_series_[status / 100 - 1], sim_.now(), 1);
      break;
    case RequestOutcome::kReset:
      ++r.requests.reset;
      break;
    case RequestOutcome::kClosed:
      ++r.requests.closed;
      break;
    case RequestOutcome::kTimeout:
      ++r.requests.timeout;
      break;
    case RequestOutcome::kConnectFailed:
      ++r.requests.connect_failed;
      break;
    case RequestOutcome::kUnfinished:
      ++r.requests.unfinished;
      break;
  }
  if (outcome != RequestOutcome::kResponse && outcome != RequestOutcome::kUnfinished) {
    result_.series.add(failed_series_, sim_.now(), 1);
    result_.series.add(pop.failures_series, sim_.now(), 1);
  }
  const RequestVerdict* verdict = nullptr;
  if (c.via_quic) {
    if (c.quic != kNone && quics_[c.quic].verdict) verdict = &*quics_[c.quic].verdict;
  } else if (c.conn != kNone && conns_[c.conn].verdict) {
    verdict = &*conns_[c.conn].verdict;
  }
  if (verdict != nullptr) ++r.decisions[static_cast<size_t>(verdict->decision)];
  if (scenario_.outputs.records) {
    const uint32_t request = c.on_conn + (outcome == RequestOutcome::kResponse ? 0 : 1);
    RequestRecord record;
    record.population = c.population;
    record.client = c.index;
    record.source = pop.source.addressAt(c.address);
    record.connection = c.connections;
    record.request = request;
    record.start = c.intended;
    record.end = sim_.now();
    record.outcome = outcome;
    record.status = status;
    if (verdict != nullptr) {
      record.client_ip = verdict->client_ip;
      record.decision = verdict->decision;
      record.rule = verdict->rule;
    }
    result_.records.push_back(std::move(record));
  }
}

void World::clientPeerClosed(uint32_t conn, bool reset) {
  const uint32_t id = conns_[conn].client;
  Client& c = clients_[id];
  if (auto& reader = readers_[conn]; reader && !reset) {
    // A close-delimited body ends here.
    scratch_.clear();
    reader->finish(scratch_);
    for (const auto& response : scratch_) {
      if (c.phase == ClientPhase::kAwaiting) {
        finishRequest(id, RequestOutcome::kResponse, response.status);
        afterResponse(id);
      }
    }
  }
  if (clients_[id].conn != conn) {
    releaseIfDone(conn);
    return;
  }
  auto& counts = resultOf(id).connections;
  ++(reset ? counts.reset_by_server : counts.closed_by_server);
  conns_[conn].client = kNone;
  c.conn = kNone;
  releaseIfDone(conn);
  switch (c.phase) {
    case ClientPhase::kThinking:
      return;  // the next request opens a new connection
    case ClientPhase::kAwaiting:
    case ClientPhase::kConnecting:
    case ClientPhase::kTls:
    case ClientPhase::kHolding:
    case ClientPhase::kDripping:
      connectionEnded(id, true, reset ? RequestOutcome::kReset : RequestOutcome::kClosed);
      return;
    case ClientPhase::kBackoff:
    case ClientPhase::kDone:
      return;
  }
}

void World::connectionEnded(uint32_t id, bool failure, RequestOutcome outcome) {
  Client& c = clients_[id];
  const PopulationRuntime& pop = populations_[c.population];
  const auto& b = pop.spec->behavior;
  if (failure && c.failures + 1 < pop.spec->retry.max_attempts) {
    ++c.failures;
    ++resultOf(id).connections.retries;
    const auto& retry = pop.spec->retry;
    int64_t delay = retry.backoff_base.ns();
    for (uint32_t i = 1; i < c.failures && delay < retry.backoff_max.ns(); ++i) delay *= 2;
    delay = std::min(delay, retry.backoff_max.ns());
    if (retry.jitter && delay > 0) delay = populations_[c.population].rng.uniformInt(0, delay);
    c.phase = ClientPhase::kBackoff;
    setClientTimer(id, sim_.now() + Duration::nanoseconds(delay));
    return;
  }
  c.failures = 0;
  // A request is pending when it is out, or due as soon as the connection is up.
  const bool opening = c.phase == ClientPhase::kConnecting || c.phase == ClientPhase::kTls;
  const bool request_pending = c.phase == ClientPhase::kAwaiting ||
                               c.phase == ClientPhase::kDripping ||
                               (opening && (b.kind == Kind::kRequests || b.kind == Kind::kVanish ||
                                            (b.kind == Kind::kHold && b.hold_sends_request)));
  if (failure && request_pending) finishRequest(id, outcome, 0);
  if (b.kind == Kind::kRequests && c.requests_left > 0) {
    c.phase = ClientPhase::kThinking;
    setClientTimer(
        id, sim_.now() + gateway::drawDuration(b.think_time, populations_[c.population].rng));
    return;
  }
  finishClient(id);
}

void World::clientCloses(uint32_t id) {
  Client& c = clients_[id];
  if (c.via_quic) {
    quicClientCloses(id);
    return;
  }
  if (c.conn == kNone) return;
  const uint32_t conn = c.conn;
  ++resultOf(id).connections.closed_by_client;
  sendFinToServer(conn);
  conns_[conn].client = kNone;
  readers_[conn].reset();
  c.conn = kNone;
  releaseIfDone(conn);
}

void World::clientVanishes(uint32_t id) {
  Client& c = clients_[id];
  if (c.conn != kNone) {
    const uint32_t conn = c.conn;
    ++resultOf(id).connections.vanished;
    Connection& k = conns_[conn];
    k.client_vanished = true;
    k.client = kNone;
    readers_[conn].reset();
    c.conn = kNone;
    if (k.server_accepted && !k.server_closed) armServerTimer(conn);
    releaseIfDone(conn);
  }
  finishClient(id);
}

void World::finishClient(uint32_t id) {
  Client& c = clients_[id];
  if (c.phase == ClientPhase::kDone) return;
  if (c.quic != kNone) quicClientCloses(id);  // a background QUIC connection goes with it
  sim_.cancel(c.timer);
  c.phase = ClientPhase::kDone;
  if (c.ticket) packet_tickets_.erase(id);  // the slot's next client holds none
  ++c.gen;                                  // stale timers of this client are ignored from now on
  --clients_alive_;
  free_clients_.push_back(id);
}

}  // namespace ctplab::sim::run
