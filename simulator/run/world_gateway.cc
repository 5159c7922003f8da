// The gateway side: accept, listener and counter-scope selection, the reference data plane's
// HttpConnection per admitted connection, routing to the backend model, timers and closes.
#include <algorithm>
#include <cmath>
#include <variant>

#include "ctplab/proxy/connection/inspection_timeout.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/request/response_stage.h"
#include "run/flow_helpers.h"
#include "run/world.h"

namespace ctplab::sim::run {

void World::accept(uint32_t id) {
  Connection& c = conns_[id];
  PopulationRuntime& pop = populations_[c.population];
  gateway::PortRuntime& port = gatewayOf(id).ports()[pop.port];
  c.server_accepted = true;
  Replica& replica = replicaOf(id);
  if (!replica.workers.empty()) {
    c.worker = replica.next_worker++ % static_cast<uint32_t>(replica.workers.size());
  }
  ++port.socket.downstream_cx_total;
  ++port.socket.downstream_cx_active;
  result_.series.add(opened_series_, sim_.now(), 1);
  c.server = std::make_unique<ServerSide>();
  c.server->last_activity = sim_.now();
  gaugeActive();
  if (!port.proxy_protocol.enabled) {
    chooseFilterChain(id);
    return;
  }
  // Listener filters run before any filter chain, so before SNI, the connection limit and TLS.
  c.server->proxy_protocol = std::make_unique<proxy::proxy_protocol::ProxyProtocolFilter>(
      port.proxy_protocol, proxy::proxy_protocol::Endpoint{c.peer, 0},
      gatewayOf(id).proxyProtocolStats());
  if (auto timeout = proxy::connection::connectionInspectionTimeout(
          *gatewayOf(id).listeners()[port.settings_owner].ir)) {
    const uint32_t gen = c.gen;
    c.server->timer_at = sim_.now() + *timeout;
    c.server->timer = at(*c.server->timer_at, [this, id, gen] {
      Connection& cc = conns_[id];
      if (cc.gen != gen || cc.server_closed || cc.server->chain_chosen) return;
      cc.server->timer_at.reset();
      ++gatewayOf(id).ports()[populations_[cc.population].port].phases.downstream_pre_cx_timeout;
      serverClose(id, false, false);
    });
  }
  if (!c.pending_in.empty()) {
    std::string bytes = std::move(c.pending_in);
    c.pending_in.clear();
    inspectProxyProtocol(id, std::move(bytes));
    if (c.server_closed) return;
  }
  if (c.peer_fin_pending && !c.server->chain_chosen) {
    serverClose(id, false, true);  // gone before saying who it is: nothing to serve
  }
}

void World::inspectProxyProtocol(uint32_t id, std::string bytes) {
  Connection& c = conns_[id];
  auto& filter = *c.server->proxy_protocol;
  const size_t taken = filter.feed(bytes);
  switch (filter.state()) {
    case proxy::proxy_protocol::FilterState::kPending:
      return;
    case proxy::proxy_protocol::FilterState::kClose:
      // The filter only peeked: the client's bytes are still unread in the socket, so closing
      // it sends RST (what `curl --haproxy-protocol` against a plain port reports as a reset).
      serverClose(id, true, false);
      return;
    case proxy::proxy_protocol::FilterState::kContinue:
      break;
  }
  c.peer = filter.peer().address;
  // What the filter did not take is the connection's payload, after any bytes it held back.
  c.pending_in = std::string(filter.passthrough()) + bytes.substr(taken);
  if (gatewayOf(id).ports()[populations_[c.population].port].tls &&
      c.pending_in.starts_with(kClientHelloMarker)) {
    c.pending_in.erase(0, kClientHelloMarker.size());  // the TLS model consumes the ClientHello
  }
  if (c.server->timer_at) {
    sim_.cancel(c.server->timer);
    c.server->timer_at.reset();
  }
  c.server->proxy_protocol.reset();
  chooseFilterChain(id);
}

void World::chooseFilterChain(uint32_t id) {
  Connection& c = conns_[id];
  PopulationRuntime& pop = populations_[c.population];
  gateway::PortRuntime& port = gatewayOf(id).ports()[pop.port];
  ServerSide* server = c.server.get();
  server->chain_chosen = true;
  // The filter chain: by SNI on TLS ports (the ClientHello came with the handshake's last ACK),
  // the port's shared chain on plain-HTTP ports.
  const int listener = gatewayOf(id).selectListener(port, pop.sni);
  if (listener < 0) {
    ++port.socket.downstream_cx_no_filter_chain;
    if (c.client != kNone) ++resultOf(c.client).connections.no_filter_chain;
    serverClose(id, false, false);
    return;
  }
  server->listener = static_cast<size_t>(listener);
  server->group = gatewayOf(id).counterFor(server->listener);
  const auto& lrt = gatewayOf(id).listeners()[server->listener];
  ++lrt.stats->hcm.downstream_cx_total;
  ++lrt.stats->hcm.downstream_cx_active;
  if (lrt.tls) ++lrt.stats->hcm.downstream_cx_ssl_total;
  proxy::connection_limit::CounterGroup::Decision decision;
  if (server->group != nullptr) decision = server->group->onConnectionOpened(sim_.now());
  server->admitted = decision.admitted;
  if (c.client != kNone) {
    auto& counts = resultOf(c.client).connections;
    ++(decision.admitted ? counts.admitted : counts.limited);
  }
  if (!decision.admitted) result_.series.add(limited_series_, sim_.now(), 1);
  // A TLS client has sent its ClientHello: data the proxy never reads.
  server->client_sent_data = lrt.tls || !c.pending_in.empty();
  gaugeActive();
  if (!decision.admitted) {
    const TimePoint close_at = decision.close_at.value_or(sim_.now());
    if (close_at <= sim_.now()) {
      serverClose(id, c.server->client_sent_data, false);
    } else {
      const uint32_t gen = c.gen;
      c.server->timer_at = close_at;
      c.server->timer = at(close_at, [this, id, gen] {
        Connection& cc = conns_[id];
        if (cc.gen == gen && !cc.server_closed) serverClose(id, cc.server->client_sent_data, false);
      });
    }
    return;
  }
  c.server->http = std::make_unique<proxy::connection::HttpConnection>(
      sim_.now(), decision, lrt.codec, lrt.stats->codec, lrt.stats->connection, lrt.settings,
      &port.phases);
  if (lrt.tls) {
    c.server->http->onTlsHandshakeStarted(sim_.now());
    // The handshake's outcome: a real one at this instant, or the verdict the same population
    // already got on this chain while its certificates' validity stayed the same.
    // Certificates are judged on the calendar: the scenario's `now` plus the time run so far.
    std::shared_ptr<const tls::HandshakeVerdict> verdict =
        lrt.tls_context
            ? handshakes_.verdict(server->listener, lrt.tls_context, c.population, calendar())
            : nullptr;
    // The gateway's TLS flight leaves after the handshake's CPU cost; with workers, once the
    // connection's worker got to it.
    const uint32_t gen = c.gen;
    const Duration cost = tlsHandshakeCost(verdict.get());
    const bool own_cpu = replicaOf(id).workers.empty();
    at(own_cpu ? sim_.now() + cost : chargeCpu(id, cost), [this, id, gen, verdict] {
      Connection& cc = conns_[id];
      if (cc.gen != gen || cc.server_closed) return;
      if (verdict != nullptr) {
        gateway::PortRuntime& p = gatewayOf(id).ports()[populations_[cc.population].port];
        for (const auto& name : verdict->stats) ++p.ssl[name];
        if (cc.client != kNone) {
          // The client's view of its handshake, under the listener counters' names.
          auto& counts = resultOf(cc.client).tls;
          for (const auto& name : verdict->stats) ++counts[name.substr(name.find('.') + 1)];
          if (!verdict->alpn.empty()) ++counts["alpn." + verdict->alpn];
          if (verdict->session_tickets > 0) counts["session_tickets"] += verdict->session_tickets;
        }
        if (!verdict->ok) {
          // The alert goes out and the connection closes: no HTTP on it.
          serverClose(id, false, false);
          return;
        }
        cc.server->tls_peer = verdict->peer;
      }
      cc.server->tls_done = true;
      cc.server->http->onTlsHandshakeDone(sim_.now());
      // A handshake finishing after tlsHandshakeTimeout closes the connection instead.
      afterServerActivity(id);
      if (cc.server_closed || cc.client == kNone || cc.client_vanished) return;
      at(deliveryTime(id, false, 0), [this, id, gen] {
        if (conns_[id].gen == gen && conns_[id].client != kNone) tlsFlightArrives(id);
      });
    });
  }
  if (!c.pending_in.empty()) {
    std::string bytes = std::move(c.pending_in);
    c.pending_in.clear();
    serverBytes(id, std::move(bytes));
  }
  if (c.peer_fin_pending && !c.server_closed) serverPeerClosed(id);
  if (!c.server_closed) armServerTimer(id);
}

void World::serverBytes(uint32_t id, std::string bytes) {
  Connection& c = conns_[id];
  if (!c.server_accepted) {
    c.pending_in += bytes;
    return;
  }
  if (c.server_closed) return;
  ServerSide& s = *c.server;
  s.last_activity = sim_.now();
  if (!s.chain_chosen) {
    inspectProxyProtocol(id, std::move(bytes));
    return;
  }
  if (!s.admitted) {
    s.client_sent_data = true;
    return;
  }
  // TCP back-pressure: what the paused connection does not read waits in the socket buffer.
  s.held_input += bytes;
  afterServerActivity(id);
}

void World::serverPeerClosed(uint32_t id) {
  Connection& c = conns_[id];
  if (!c.server_accepted) {
    c.peer_fin_pending = true;
    return;
  }
  if (c.server_closed) return;
  ServerSide& s = *c.server;
  if (!s.chain_chosen) {
    serverClose(id, false, true);
    return;
  }
  if (!s.admitted) {
    // Spec 4.1 step 5: a remote close frees the slot and cancels the delay timer.
    serverClose(id, false, true);
    return;
  }
  s.peer_closed = true;
  s.http->onPeerClosed(sim_.now());
  afterServerActivity(id);
  if (!c.server_closed) serverClose(id, false, true);
}

void World::afterServerActivity(uint32_t id) {
  // Bounded: each round hands the connection at least one byte or stops.
  for (int round = 0; round < 1024; ++round) {
    Connection& c = conns_[id];
    if (c.server_closed) return;
    ServerSide& s = *c.server;
    if (!s.held_input.empty() && !s.http->readPaused() && !s.http->shouldClose()) {
      const size_t n = std::min(s.held_input.size(), s.http->readAllowance());
      if (n > 0) {
        chargeCpu(id, byteCost(n));
        s.http->onBytes(sim_.now(), std::string_view(s.held_input).substr(0, n));
        s.held_input.erase(0, n);
      }
    }
    serverPump(id);
    if (conns_[id].server_closed) return;
    flushServer(id);
    const ServerSide& after = *conns_[id].server;
    if (after.held_input.empty() || after.http->readPaused() || after.http->shouldClose()) break;
  }
  Connection& c = conns_[id];
  if (c.server_closed) return;
  if (c.server->http->shouldClose()) {
    const bool remote = c.server->peer_closed ||
                        c.server->http->closeReason() == proxy::connection::CloseReason::kPeer;
    serverClose(id, false, remote);
    return;
  }
  armServerTimer(id);
}

void World::serverPump(uint32_t id) {
  for (int guard = 0; guard < 4096; ++guard) {
    Connection& c = conns_[id];
    if (c.server_closed) return;
    ServerSide& s = *c.server;
    auto event = s.http->nextEvent();
    if (!event) return;
    if (auto* head = std::get_if<proxy::http1::RequestHead>(&*event)) {
      chargeCpu(id, scenario_.host.request_cost);
      const auto& lrt = gatewayOf(id).listeners()[s.listener];
      proxy::request::RequestContext context;
      Rng& ids = replicaOf(id).request_id_rng;
      context.request_id_bits = {ids.next(), ids.next()};
      auto outcome =
          std::make_unique<proxy::http_flow::HeadOutcome>(proxy::http_flow::onRequestHead(
              *lrt.flow, flowStats(*lrt.stats), c.peer, context, *head, s.tls_peer.get()));
      c.verdict = RequestVerdict{outcome->detection.client, DecisionKind::kNoPolicy, -1};
      if (outcome->detection.reject) c.verdict->decision = DecisionKind::kFailClosed;
      if (auto& reply = outcome->reply) {
        s.answered_early = head->request_id;
        respondLocal(id, reply->status, reply->body, std::move(reply->headers),
                     reply->count_status);
        continue;
      }
      const auto& port = gatewayOf(id).ports()[populations_[c.population].port];
      // The route's filters read the request as forwarded (and JWT adds claim headers to it);
      // which listener routes it is known only from its Host, so any route's filters count.
      if (scenario_.outputs.backend_requests || gatewayOf(id).hasRouteFilters()) {
        s.forwarded = std::make_unique<proxy::http1::RequestHead>(*head);
      }
      s.current_listener = port.tls ? static_cast<int>(s.listener)
                                    : gatewayOf(id).listenerForHost(port, outcome->host);
      s.head = std::move(outcome);
    } else if (auto* done = std::get_if<proxy::http1::RequestComplete>(&*event)) {
      if (done->request_id != s.answered_early) handleRequest(id, done->request_id);
    }
  }
}

void World::handleRequest(uint32_t id, uint64_t request_id) {
  Connection& c = conns_[id];
  ServerSide& s = *c.server;
  // Routing is the head's last use: an idle keep-alive connection keeps none of it.
  const std::unique_ptr<proxy::http_flow::HeadOutcome> head = std::move(s.head);
  if (s.current_listener < 0) {
    respondLocal(id, 404, "");
    return;
  }
  const auto& lrt = gatewayOf(id).listeners()[static_cast<size_t>(s.current_listener)];
  Duration jwt_cpu;
  auto routed = routeOn(lrt, replicaOf(id), *head, s.forwarded.get(), c.verdict, jwt_cpu);
  chargeCpu(id, jwt_cpu);
  if (auto& reply = routed.reply) {
    respondLocal(id, reply->status, reply->body, std::move(reply->headers), reply->count_status);
    return;
  }
  if (routed.global_check.empty()) {
    routeAccepted(id, request_id, std::move(routed.response_headers), head->detection.client);
    return;
  }
  // The request waits for the rate-limit service; its answer decides, or its failure lets it on.
  auto descriptors = routed.global_check;
  auto pending = std::make_shared<proxy::http_flow::RouteOutcome>(std::move(routed));
  const IpAddress client = head->detection.client;
  const size_t listener = static_cast<size_t>(s.current_listener);
  checkGlobal(id, std::move(descriptors),
              [this, id, request_id, pending, client,
               listener](const proxy::ratelimit::GlobalCheckReply& reply) {
                ServerSide& side = *conns_[id].server;
                // A local reply (a timeout) may have answered the request while it waited.
                if (!side.http || side.http->openRequest() != request_id) return;
                const auto& rt = gatewayOf(id).listeners()[listener];
                proxy::http_flow::applyGlobalReply(
                    *rt.flow, flowStats(*rt.stats, &replicaOf(id).global_rate_limit), *pending,
                    reply);
                if (auto& r = pending->reply) {
                  respondLocal(id, r->status, r->body, std::move(r->headers), r->count_status);
                  afterServerActivity(id);
                  return;
                }
                routeAccepted(id, request_id, std::move(pending->response_headers), client);
                afterServerActivity(id);
              });
}

void World::routeAccepted(uint32_t id, uint64_t request_id, proxy::http1::HeaderList route_headers,
                          const IpAddress& client) {
  Connection& c = conns_[id];
  ServerSide& s = *c.server;
  s.route_headers = std::move(route_headers);
  if (s.forwarded && scenario_.outputs.backend_requests) {
    recordBackendRequest(c.population, c.client_index, *s.forwarded, client);
  }
  s.forwarded.reset();
  if (c.cpu_done > sim_.now()) {
    // The request leaves for the backend once the gateway's CPU has processed it.
    s.backend_request = request_id;
    const uint32_t gen = c.gen;
    s.backend = at(c.cpu_done, [this, id, gen, request_id] {
      if (conns_[id].gen == gen) forwardToBackend(id, request_id, true);
    });
    return;
  }
  forwardToBackend(id, request_id, false);
}

proxy::http_flow::RouteOutcome World::routeOn(const gateway::ListenerRuntime& lrt, Replica& replica,
                                              const proxy::http_flow::HeadOutcome& head,
                                              proxy::http1::RequestHead* forwarded,
                                              std::optional<RequestVerdict>& verdict,
                                              Duration& cpu) {
  const proxy::http_flow::RouteContext context{calendar(), lrt.state.get(), forwarded};
  auto routed = proxy::http_flow::routeRequest(
      *lrt.flow, flowStats(*lrt.stats, &replica.global_rate_limit), head, context);
  cpu = Duration();
  if (routed.jwt && routed.jwt->signature_verifications != 0) {
    cpu = Duration::nanoseconds(scenario_.host.jwt_verify_cost.ns() *
                                routed.jwt->signature_verifications);
  }
  if (routed.authz && verdict) {
    const auto* policy = lrt.flow->routes().authorization(routed.route.index);
    verdict->decision = decisionKind(*routed.authz, policy->defaultAction());
    verdict->rule = routed.authz->rule ? static_cast<int32_t>(*routed.authz->rule) : -1;
  }
  return routed;
}

void World::recordBackendRequest(uint32_t population, uint64_t client_index,
                                 const proxy::http1::RequestHead& forwarded,
                                 const IpAddress& client) {
  BackendRequest seen{population, client_index, forwarded.method, forwarded.target, client,
                      {},         true};
  for (const auto& h : forwarded.headers) seen.headers.emplace_back(h.name, h.value);
  result_.backend_requests.push_back(std::move(seen));
}

void World::forwardToBackend(uint32_t id, uint64_t request_id, bool deferred) {
  Connection& c = conns_[id];
  if (c.server_closed || !c.server->http) return;
  ServerSide& s = *c.server;
  if (deferred) {
    s.backend_request = 0;
    // A local reply (a timeout) may have answered the request while it waited.
    if (s.http->openRequest() != request_id) return;
  }
  // Every filter is done with it and the CPU has processed it: it leaves for the backend.
  s.http->requestForwarded(sim_.now());
  auto ready = backend_.admit(sim_.now());
  if (!ready) {
    respondLocal(id, 503,
                 "upstream connect error or disconnect/reset before headers. "
                 "reset reason: overflow",
                 s.route_headers);
    // Called from an event of its own, nothing else writes the answer out.
    if (deferred) afterServerActivity(id);
    return;
  }
  s.backend_request = request_id;
  const uint32_t gen = c.gen;
  s.backend = at(*ready, [this, id, gen, request_id] {
    if (conns_[id].gen == gen) backendDone(id, request_id);
  });
}

void World::backendDone(uint32_t id, uint64_t request_id) {
  Connection& c = conns_[id];
  if (c.server_closed || !c.server->http) return;
  ServerSide& s = *c.server;
  s.backend_request = 0;
  // A local reply (a timeout) may have answered the request while the backend worked on it.
  if (s.http->openRequest() != request_id) return;
  std::string body(scenario_.backend.response_bytes, 'x');
  proxy::http1::ResponseHead head;
  head.status = 200;
  head.headers = {{"content-length", std::to_string(body.size())},
                  {"content-type", "application/octet-stream"}};
  head.headers.insert(head.headers.end(), s.route_headers.begin(), s.route_headers.end());
  proxy::request::applyLateResponseHeaders(
      gatewayOf(id)
          .listeners()[static_cast<size_t>(std::max(0, s.current_listener))]
          .flow->pipeline(),
      head);
  s.http->respond(sim_.now(), head, body);
  afterServerActivity(id);
}

void World::respondLocal(uint32_t id, int status, std::string_view body,
                         proxy::http1::HeaderList extra, bool count_status) {
  ServerSide& s = *conns_[id].server;
  proxy::http1::ResponseHead head;
  head.status = status;
  head.headers = std::move(extra);
  head.headers.push_back({"content-length", std::to_string(body.size())});
  if (!body.empty()) head.headers.push_back({"content-type", "text/plain"});
  s.http->respond(sim_.now(), head, body, count_status);
}

void World::flushServer(uint32_t id) {
  Connection& c = conns_[id];
  auto& http = *c.server->http;
  for (int guard = 0; guard < 64; ++guard) {
    std::string_view out = http.pendingOutput();
    if (out.empty()) return;
    std::string bytes(out);
    http.consumeOutput(sim_.now(), bytes.size());
    chargeCpu(id, byteCost(bytes.size()));
    sendToClient(id, std::move(bytes));
  }
}

void World::armServerTimer(uint32_t id) {
  Connection& c = conns_[id];
  ServerSide& s = *c.server;
  std::optional<TimePoint> next = s.http ? s.http->nextDeadline() : std::nullopt;
  if (c.client_vanished &&
      gatewayOf(id).ports()[populations_[c.population].port].keepalive.enabled) {
    // Keepalive probes go unanswered: the peer is declared dead after idle + probes × interval.
    const TimePoint dead =
        s.last_activity +
        gatewayOf(id).ports()[populations_[c.population].port].keepalive.deadPeerDetectionTime();
    if (!next || dead < *next) next = dead;
  }
  if (next == s.timer_at) return;
  if (s.timer_at) sim_.cancel(s.timer);
  s.timer_at = next;
  if (!next) return;
  const uint32_t gen = c.gen;
  s.timer = at(*next, [this, id, gen] {
    if (conns_[id].gen == gen && !conns_[id].server_closed) serverTimer(id);
  });
}

void World::serverTimer(uint32_t id) {
  Connection& c = conns_[id];
  ServerSide& s = *c.server;
  s.timer_at.reset();
  if (c.client_vanished) {
    const auto& ka = gatewayOf(id).ports()[populations_[c.population].port].keepalive;
    if (ka.enabled && sim_.now() >= s.last_activity + ka.deadPeerDetectionTime()) {
      serverClose(id, false, true);
      return;
    }
  }
  if (!s.http) return;
  s.http->onDeadline(sim_.now());
  afterServerActivity(id);
}

void World::serverClose(uint32_t id, bool reset, bool remote) {
  Connection& c = conns_[id];
  if (c.server_closed) return;
  c.server_closed = true;
  ServerSide& s = *c.server;
  if (s.timer_at) sim_.cancel(s.timer);
  s.timer_at.reset();
  if (s.backend_request != 0) sim_.cancel(s.backend);
  gateway::PortRuntime& port = gatewayOf(id).ports()[populations_[c.population].port];
  --port.socket.downstream_cx_active;
  ++port.socket.downstream_cx_destroy;
  if (s.group != nullptr) s.group->onConnectionClosed();
  if (s.group != nullptr || s.admitted) {
    auto& hcm = gatewayOf(id).listeners()[s.listener].stats->hcm;
    if (hcm.downstream_cx_active > 0) --hcm.downstream_cx_active;
    ++hcm.downstream_cx_destroy;
    ++(remote ? hcm.downstream_cx_destroy_remote : hcm.downstream_cx_destroy_local);
  }
  gaugeActive();
  // A client that closed has left already; one that only half-closed is still reading.
  sendCloseToClient(id, reset);
  c.server.reset();
  releaseReplica(id);
  releaseIfDone(id);
}

void World::tlsFlightArrives(uint32_t id) {
  Connection& c = conns_[id];
  if (c.client == kNone) return;
  clientReady(c.client);
}

TimePoint World::chargeCpu(uint32_t id, Duration cost) {
  Connection& c = conns_[id];
  return chargeCpuOn(c.replica, c.worker, c.cpu_done, cost);
}

TimePoint World::chargeCpuOn(uint32_t replica, uint32_t worker_index, TimePoint& cpu_done,
                             Duration cost) {
  const TimePoint now = sim_.now();
  std::vector<TimePoint>& workers = replicas_[replica].workers;
  if (workers.empty()) {
    // A CPU of its own: the connection's work runs back to back, nobody else's in between.
    if (cost > Duration()) cpu_done = std::max(now, cpu_done) + cost;
    return std::max(now, cpu_done);
  }
  TimePoint& worker = workers[worker_index];
  worker = std::max({now, worker, cpu_done}) + cost;
  cpu_done = worker;
  return worker;
}

Duration World::byteCost(size_t bytes) const {
  const double rate = scenario_.host.bytes_per_cpu_second;
  if (rate <= 0 || bytes == 0) return Duration();
  return Duration::nanoseconds(std::llround(static_cast<double>(bytes) * 1e9 / rate));
}

Duration World::tlsHandshakeCost(const tls::HandshakeVerdict* verdict) const {
  const auto& host = scenario_.host;
  if (host.tls_handshake_cost) return *host.tls_handshake_cost;
  if (verdict == nullptr) return host.tls_cost_ecdsa;
  return (verdict->server_key_rsa ? host.tls_cost_rsa : host.tls_cost_ecdsa) +
         (verdict->client_verified ? host.tls_cost_client_verify : Duration());
}

}  // namespace ctplab::sim::run
