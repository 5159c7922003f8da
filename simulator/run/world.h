// The running simulation: clients, TCP connections and the gateway host, wired through the event
// queue. Client logic, transport and gateway logic live in separate .cc files of this class.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctplab/common/ip_cidr.h"
#include "ctplab/proxy/authz/decision.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http3/http3_client.h"
#include "ctplab/proxy/http3/http3_server.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "ctplab/proxy/ratelimit/global_rate_limit.h"
#include "ctplab/simulator/clients/arrival_schedule.h"
#include "ctplab/simulator/clients/response_reader.h"
#include "ctplab/simulator/gateway/backend_model.h"
#include "ctplab/simulator/gateway/gateway_model.h"
#include "ctplab/simulator/gateway/load_balancer.h"
#include "ctplab/simulator/gateway/ratelimit_service_model.h"
#include "ctplab/simulator/net/link_model.h"
#include "ctplab/simulator/run/simulate.h"
#include "ctplab/simulator/simulator.h"
#include "run/replica.h"
#include "tls/handshake_model.h"

namespace ctplab::sim::run {

inline constexpr uint32_t kNone = UINT32_MAX;
// The first byte of a TLS ClientHello (record type handshake): what a PROXY protocol filter sees
// from a TLS client that sends no PROXY header. The rest of the handshake stays modelled.
inline constexpr std::string_view kClientHelloMarker = "\x16";

// Per population: its fixed inputs and the streams its clients draw from.
struct PopulationRuntime {
  const scenario::Population* spec = nullptr;
  net::LinkModel link;
  clients::ArrivalSchedule arrivals;
  Rng rng;  // think times, backoff jitter, random source addresses, link draws
  IpCidr source;
  size_t port = 0;  // index into GatewayModel::ports()
  std::string host, sni;
  std::string request_bytes, request_head;
  results::SeriesId responses_series, failures_series;
  // Hops the population's connections cross, client side first (`via`).
  std::vector<const scenario::Hop*> path = {};
  // Whether each connection needs its own arrival (hops or a client-written PROXY header).
  bool routed = false;
  // Whether an L7 hop rewrites headers, so each connection needs its own request bytes.
  bool edits_headers = false;
  // HTTP/3 populations: the request as its HEADERS frame carries it, and its responses over
  // HTTP/3 in time.
  proxy::http1::RequestHead quic_head = {};
  std::optional<results::SeriesId> http1_series = {}, http3_series = {};
  uint64_t quic_opened = 0;  // QUIC connections its clients opened: names their link streams
};

enum class ClientPhase : uint8_t {
  kConnecting,  // SYN sent, waiting for the handshake
  kTls,         // TCP up, waiting for the gateway's TLS flight
  kAwaiting,    // a request is out, its response has not completed
  kThinking,    // between a response and the next request
  kHolding,     // hold behaviour: keeping the connection open
  kDripping,    // slowloris: writing the head slowly
  kBackoff,     // waiting to reconnect after a failure
  kDone,
};

struct Client {
  uint32_t gen = 0;
  uint32_t population = 0;
  uint64_t index = 0;
  uint64_t address = 0;  // index into the population's source range
  uint32_t conn = kNone;
  uint32_t conn_gen = 0;
  ClientPhase phase = ClientPhase::kDone;
  uint32_t failures = 0;              // consecutive failed attempts of the current step
  uint32_t connections = 0;           // connections opened (retries included), for records
  uint32_t requests_left = 0;         // kRequests: logical requests still to send
  uint32_t on_conn = 0;               // responses received on the current connection
  uint32_t dripped = 0;               // slowloris: head bytes written
  bool close_after_response = false;  // the last response said `connection: close`
  TimePoint intended;                 // the outstanding request's intended start
  TimePoint hold_until;
  EventId timer{};
  // HTTP/3 (populations with `http3`): what the client is, what it learned, and its QUIC
  // connection (handshaking or up) beside the TCP one.
  bool h3 = false;            // speaks HTTP/3 and follows alt-svc
  bool udp_blocked = false;   // its network drops UDP to the gateway
  bool ticket = false;        // holds a session ticket: the next QUIC handshake may carry 0-RTT
  bool via_quic = false;      // the current transport (its requests, its hold) is QUIC
  bool waiting_quic = false;  // a request waits for the QUIC handshake (TCP after fallbackAfter)
  uint32_t quic = kNone;
  uint32_t quic_gen = 0;
  uint32_t broken_count = 0;  // failed alternatives in a row: the broken period doubles
  uint16_t alt_port = 0;      // the alternative's UDP port (alt-svc `h3=":port"`)
  TimePoint alt_until;        // the alternative is remembered until then (`ma`)
  TimePoint broken_until;     // not tried again before then
};

struct ServerSide {
  // PROXY protocol listener filter, while it inspects the first bytes (ports that enable it).
  std::unique_ptr<proxy::proxy_protocol::ProxyProtocolFilter> proxy_protocol;
  bool chain_chosen = false;  // listener filters done: filter chain, counter scope, HTTP
  size_t listener = 0;
  proxy::connection_limit::CounterGroup* group = nullptr;
  bool admitted = false;
  bool tls_done = false;
  bool client_sent_data = false;  // decides FIN or RST when a rejected connection closes
  bool peer_closed = false;       // the client's FIN arrived: the close is a remote one
  std::unique_ptr<proxy::connection::HttpConnection> http;
  EventId timer{};
  std::optional<TimePoint> timer_at;
  EventId backend{};
  uint64_t backend_request = 0;  // request the backend is working on (0: none)
  uint64_t answered_early = 0;   // request the request stage answered at its head
  // The current request as forwarded upstream; kept only when outputs.backendRequests is on.
  std::unique_ptr<proxy::http1::RequestHead> forwarded;
  // What the current request's route appends to its responses (alt-svc).
  proxy::http1::HeaderList route_headers;
  // The current request after its head: detected client, normalized host and path.
  std::unique_ptr<proxy::http_flow::HeadOutcome> head;
  // HTTPS: what XFCC reports about the connection (shared by every connection of the
  // population that reached the same verdict).
  std::shared_ptr<const proxy::http_flow::TlsPeer> tls_peer;
  std::string held_input;     // bytes TCP holds back while the connection's reading is paused
  int current_listener = -1;  // virtual host's listener of the current request
  TimePoint last_activity;
};

// How one request fared at the gateway's identity and authorization steps.
struct RequestVerdict {
  IpAddress client_ip;  // detected (spec 4.6)
  DecisionKind decision = DecisionKind::kNoPolicy;
  int32_t rule = -1;  // the deciding authorization rule, for kAllowedByRule / kDeniedByRule
};

// A connection whose population crosses hops or writes a PROXY header: what it sends, per client.
struct RoutedBytes {
  std::string preamble;                     // PROXY header bytes in front of everything else
  std::string request_bytes, request_head;  // empty: the population's (no hop edits headers)
};

struct Connection {
  uint32_t gen = 0;
  uint32_t client = kNone;  // kNone once the client side is finished
  uint32_t population = 0;
  uint64_t client_index = 0;  // the client's index in its population, for results
  IpAddress peer;             // the client's source address as the gateway sees it
  // The replica the load balancer sent it to (kNone before its first SYN reached the balancer),
  // and whether the balancer still counts it as open there.
  uint32_t replica = kNone;
  bool balanced = false;
  bool in_use = false;
  bool server_accepted = false;
  bool server_closed = false;
  bool client_vanished = false;
  bool peer_fin_pending = false;  // client FIN arrived before the accept
  uint32_t syn_attempt = 0;
  uint32_t synack_retries = 0;   // final ACKs dropped because the accept queue was full
  TimePoint c2s_last, s2c_last;  // last delivery time per direction: TCP delivers in order
  // When the gateway's CPU has done the work charged for this connection so far: nothing it
  // writes leaves before. Stays in the past while the host's costs are zero.
  TimePoint cpu_done;
  uint32_t worker = 0;                  // host.workers > 0: the worker thread serving it
  std::string pending_in;               // bytes that arrived before the accept
  std::unique_ptr<RoutedBytes> routed;  // set for populations with hops or a PROXY header
  // The current request's, once the gateway read its head; cleared when the client sends anew.
  std::optional<RequestVerdict> verdict;
  std::unique_ptr<ServerSide> server;
};

// A QUIC connection from a client to a gateway UDP listener (spec 4.10): its handshake as the
// client drives it (Initials, timeouts, 0-RTT) and the gateway's side (filter chain, the QUIC
// chain's connection limit, handshake CPU, HTTP/3 requests through the same request flow).
struct QuicConnection {
  uint32_t gen = 0;
  bool in_use = false;
  uint32_t client = kNone;  // kNone once the client is done with it
  uint32_t population = 0;
  uint64_t client_index = 0;  // the client's index in its population, for results
  size_t port = 0;            // index into GatewayModel::ports()
  IpAddress peer;
  uint32_t replica = kNone;
  bool balanced = false;
  uint32_t worker = 0;
  // Client side.
  uint32_t initials = 0;       // Initial flights sent
  bool client_ready = false;   // the handshake completed for the client
  bool early_request = false;  // the first request rode as 0-RTT data with the first Initial
  // Gateway side.
  bool server_open = false;  // the gateway took the connection (its first Initial arrived)
  bool server_closed = false;
  bool handshake_done = false;  // the gateway's handshake flight has left
  int listener = -1;
  proxy::connection_limit::CounterGroup* group = nullptr;
  std::shared_ptr<const proxy::http_flow::TlsPeer> tls_peer;
  uint64_t next_stream = 0;  // client-initiated bidirectional streams: 0, 4, 8, ...
  uint64_t open_stream = 0;  // the request the gateway is answering (stream id + 1; 0: none)
  // open_stream's timers (model fidelity): requestReceivedTimeout until the request leaves for
  // the backend, and the first due of maxStreamDuration and streamIdleTimeout (which one).
  std::optional<TimePoint> request_deadline;
  std::optional<TimePoint> stream_deadline;
  bool deadline_is_duration = false;
  bool pending_early = false;             // a 0-RTT request arrived before the handshake finished
  std::optional<RequestVerdict> verdict;  // the current request's, as on TCP connections
  TimePoint cpu_done, c2s_last, s2c_last, last_activity;
  uint32_t requests = 0;  // requests the gateway took on it (maxRequestsPerConnection)
  bool draining = false;  // GOAWAY sent: closed once the request in progress is answered
  // Packet fidelity (`http3.fidelity: packets`): the client's real QUIC connection and timer, its
  // UDP port, the server's number for the connection (0 before it is reported open), whether the
  // handshake's CPU was charged, the responses the client received on it, and whether the
  // session ticket it brought was kept for the client's next connection.
  bool packets = false;
  std::unique_ptr<proxy::http3::Http3Client> h3;
  uint16_t udp_port = 0;
  EventId client_timer{};
  std::optional<TimePoint> client_timer_at;
  bool client_flush_pending = false;
  uint64_t server_conn = 0;
  bool cpu_charged = false;
  uint32_t responses = 0;
  bool ticket_kept = false;
  // The link's draws for this connection's datagrams: its own stream, so the handshake's
  // signature length (ECDSA's varies by a byte or two) cannot shift other connections' draws.
  Rng link_rng = Rng(0);
};

// Packet fidelity: one replica's real HTTP/3 server for one UDP port, on the virtual clock, and
// which QUIC connection slot (with its generation) each client endpoint and server connection is.
struct PacketServer {
  std::unique_ptr<proxy::http3::Http3Server> server;
  std::map<proxy::http3::UdpEndpoint, std::pair<uint32_t, uint32_t>> by_peer;
  std::unordered_map<uint64_t, uint32_t> by_conn;
  EventId timer{};
  std::optional<TimePoint> timer_at;
  bool flush_pending = false;
};

class World {
 public:
  // One model per replica, all built from the same IR (at least one).
  World(const scenario::Scenario& scenario,
        std::vector<std::unique_ptr<gateway::GatewayModel>> replicas,
        const SimulateOptions& options);
  proxy::Result<bool> init();
  RunResult run();

  // The hook for the global rate limit (spec 5.3's global sibling): asks the rate-limit service
  // all replicas share to hit `descriptors` for the request connection `conn` is serving.
  // `then` runs on the event queue when the answer (or the failure: an outage, a timeout) is
  // back, and only if that connection is still open on the gateway side; the caller decides with
  // proxy::ratelimit::decideGlobal and answers or routes. A scenario without `rateLimitService`
  // gets the defaults (1 ms round trip, 20 ms timeout). Until the answer, the request waits: the
  // caller parks it as forwardToBackend parks a request behind the CPU.
  void checkGlobal(uint32_t conn, std::vector<proxy::ratelimit::GlobalDescriptor> descriptors,
                   std::function<void(const proxy::ratelimit::GlobalCheckReply&)> then);
  const gateway::RateLimitServiceModel& rateLimitService() const { return ratelimit_service_; }
  const std::vector<Replica>& replicas() const { return replicas_; }

 private:
  // --- clients (world_clients.cc)
  void onArrival(uint32_t population);
  void startConnection(uint32_t client);
  void clientEstablished(uint32_t conn);
  void clientReady(uint32_t client);  // transport (and TLS) up: start the behaviour
  void sendRequest(uint32_t client);
  void drip(uint32_t client);
  void clientBytes(uint32_t conn, std::string_view bytes);
  void clientPeerClosed(uint32_t conn, bool reset);
  void clientTimer(uint32_t client);
  void afterResponse(uint32_t client);
  void connectionEnded(uint32_t client, bool failure,
                       RequestOutcome outcome = RequestOutcome::kConnectFailed);
  void finishRequest(uint32_t client, RequestOutcome outcome, int status);
  void clientCloses(uint32_t client);
  void clientVanishes(uint32_t client);
  void setClientTimer(uint32_t client, TimePoint at);
  void finishClient(uint32_t client);
  uint32_t allocClient();
  PopulationResult& resultOf(uint32_t client);

  // --- HTTP/3 clients and QUIC connections (world_quic.cc)
  // Draws what the client is (capable, UDP blocked) and what it knows on arrival.
  void initHttp3Client(uint32_t client);
  // The next request or hold goes over QUIC, or waits for a QUIC handshake: handled here.
  bool startOverQuic(uint32_t client);
  // A response's alt-svc: remember the alternative, open QUIC in the background.
  void learnAltSvc(uint32_t client, std::string_view alt_svc);
  bool alternativeUsable(const Client& c) const;
  uint32_t openQuic(uint32_t client, bool with_request);
  void quicSendInitial(uint32_t q);
  void quicHandshakeTimeout(uint32_t q, uint32_t gen);
  void quicClientReady(uint32_t q);
  void quicFailed(uint32_t q, bool timeout);  // the client gives up on the handshake
  void quicFallback(uint32_t client);         // the waiting request goes over TCP instead
  void quicSendRequest(uint32_t client);
  void quicResponseArrives(uint32_t q, int status, const std::string& alt_svc);
  void quicClientCloses(uint32_t client);
  void releaseQuic(uint32_t q);
  TimePoint quicDelivery(uint32_t q, bool to_server, uint64_t bytes);
  // Gateway side.
  void quicInitialArrives(uint32_t q);
  void quicRefuse(uint32_t q, TimePoint at);  // CONNECTION_CLOSE during the handshake
  // The population's request as the gateway's HTTP/3 codec takes it (header limits, underscore
  // policy, counted on the listener); false when it resets the stream instead (the client
  // learns it one transit later).
  bool quicCheckHead(uint32_t q, uint64_t stream, proxy::http1::RequestHead& out);
  void quicResetArrives(uint32_t q);  // a reset stream: the client's request failed
  // Spec 4.2 on QUIC: the gateway opened it (maxConnectionDuration starts), took a request
  // (maxRequestsPerConnection), and GOAWAY, then CONNECTION_CLOSE once nothing is in progress.
  void quicLifetimeStarts(uint32_t q);
  void quicCountRequest(uint32_t q);
  void quicDrain(uint32_t q);
  void quicGoawayClose(uint32_t q);
  void quicClosedByGateway(uint32_t q);  // the client learns of the graceful close
  // `decoded`: the head the real server decoded (packet fidelity); else the population's.
  void quicRequestArrives(uint32_t q, uint64_t stream,
                          const proxy::http1::RequestHead* decoded = nullptr);
  void quicRoute(uint32_t q, uint64_t stream, std::unique_ptr<proxy::http_flow::HeadOutcome> head,
                 std::unique_ptr<proxy::http1::RequestHead> forwarded);
  // Every filter let the request on: the backend record, then the backend.
  void quicAccepted(uint32_t q, uint64_t stream, proxy::http1::HeaderList route_headers,
                    const proxy::http1::RequestHead* forwarded, const IpAddress& client);
  void quicToBackend(uint32_t q, uint64_t stream, proxy::http1::HeaderList route_headers);
  void quicRespond(uint32_t q, uint64_t stream, int status, uint64_t body_bytes,
                   const proxy::http1::HeaderList& headers, bool count_status);
  // Spec 4.3 on a modelled stream: the request arrived whole, so its timers end it only while
  // the gateway holds it: requestReceivedTimeout (504) until it leaves for the backend (a CPU
  // queue, the rate-limit service), maxStreamDuration (504) and streamIdleTimeout (408) until
  // the answer. Noted when the request arrives; a wait that would end at or past a deadline
  // schedules the timer's answer instead (quicTimesOutFirst: true), so no event is held per
  // request. `forwarded`: the request already left, its request timer is over.
  void quicNoteStreamDeadline(uint32_t q);
  bool quicTimesOutFirst(uint32_t q, uint64_t stream, TimePoint answer_at, bool forwarded);
  // The timer's local reply on the open stream, if it is still open.
  void quicStreamTimeout(uint32_t q, uint64_t stream, bool request_timer);
  void quicServerClose(uint32_t q, bool remote, bool idle);
  void quicArmIdle(uint32_t q);
  gateway::GatewayModel& quicGateway(uint32_t q) { return *replicas_[quics_[q].replica].gateway; }
  // The first datagram reached the balancer: the connection's replica and worker.
  void quicBalance(uint32_t q);
  // A failed alternative: not tried again for brokenFor, doubling per failure in a row.
  void markBroken(Client& c);
  // The gateway took a QUIC connection on `listener`: its stats and its chain's counter. Set when
  // the counter refuses it (counted as limited): when the caller is to close it.
  std::optional<TimePoint> quicOpened(uint32_t q, int listener);
  // The handshake on `listener`: its verdict, and its CPU charged on the gateway (`done`: when).
  std::shared_ptr<const tls::HandshakeVerdict> quicHandshake(uint32_t q, int listener,
                                                             TimePoint& done);

  // --- packet fidelity (world_quic_packets.cc): real QUIC on both ends, datagrams on the link
  proxy::Result<bool> initPacketServers();
  void pqOpen(uint32_t q);
  void pqRequest(uint32_t q);
  void pqClientCloses(uint32_t q);
  void pqDropClient(uint32_t q);  // the client is done with it: its QUIC state goes
  void pqRelease(uint32_t q);     // the slot is freed: the server forgets its endpoint too
  void pqTouchClient(uint32_t q);
  void pqClientFlush(uint32_t q, uint32_t gen);
  void pqClientLost(uint32_t q, const proxy::http3::ClientClosed& closed);
  void pqResponse(uint32_t q, int64_t stream);
  void pqToServer(uint32_t q, std::string bytes);
  void pqServerReceives(uint32_t q, uint32_t gen, const std::string& bytes);
  PacketServer& packetServer(uint32_t replica, size_t port);
  void pqTouchServer(uint32_t replica, size_t port);
  void pqServerFlush(uint32_t replica, size_t port);
  void pqServerEvent(uint32_t replica, size_t port, proxy::http3::ServerEvent event);
  void pqToClient(uint32_t q, std::string bytes);
  void pqRespond(uint32_t q, uint64_t stream, int status, uint64_t body_bytes,
                 const proxy::http1::HeaderList& headers);

  // --- transport (world_transport.cc)
  uint32_t allocConnection(uint32_t client);
  // Crosses the population's hops: the gateway's peer and the bytes this connection sends.
  void routeConnection(uint32_t conn);
  const std::string& requestBytes(uint32_t conn) const;
  const std::string& requestHead(uint32_t conn) const;
  void releaseIfDone(uint32_t conn);
  void sendSyn(uint32_t conn);
  void scheduleSynRetry(uint32_t conn);  // a lost or dropped SYN: retransmit or give up
  void synArrives(uint32_t conn);
  void ackArrives(uint32_t conn);
  void sendToServer(uint32_t conn, std::string bytes);
  void sendFinToServer(uint32_t conn);
  void sendToClient(uint32_t conn, std::string bytes);
  void sendCloseToClient(uint32_t conn, bool reset);
  TimePoint deliveryTime(uint32_t conn, bool to_server, uint64_t bytes);
  // When `bytes` sent now on the population's link arrive, in order after `last` (which it
  // advances); the gateway's side leaves once its CPU is done (`cpu_done`).
  TimePoint deliverOnLink(uint32_t population, bool to_server, uint64_t bytes, TimePoint cpu_done,
                          TimePoint& last);

  // --- replicas and the services they share (world_replicas.cc)
  // The balancer picks the connection's replica when its first SYN arrives.
  void pickReplica(uint32_t conn);
  // The connection is gone from the balancer's view (closed by the gateway, or never accepted).
  void releaseReplica(uint32_t conn);
  Replica& replicaOf(uint32_t conn) { return replicas_[conns_[conn].replica]; }
  gateway::GatewayModel& gatewayOf(uint32_t conn) { return *replicaOf(conn).gateway; }
  // Connections every replica's counter scopes hold, summed.
  uint64_t activeConnections() const;
  // Per-replica stats and their sums into the result, once the run is over.
  void collectReplicaStats();

 private:
  // --- gateway (world_gateway.cc)
  // Listener filters (PROXY protocol) of an accepted connection, then its filter chain.
  void inspectProxyProtocol(uint32_t conn, std::string bytes);
  void chooseFilterChain(uint32_t conn);
  void accept(uint32_t conn);
  void serverBytes(uint32_t conn, std::string bytes);
  void serverPeerClosed(uint32_t conn);
  void serverPump(uint32_t conn);
  void handleRequest(uint32_t conn, uint64_t request_id);
  // After every filter let the request on: the route's response headers, the backend record,
  // then the backend once the gateway's CPU is done with it.
  void routeAccepted(uint32_t id, uint64_t request_id, proxy::http1::HeaderList route_headers,
                     const IpAddress& client);
  // What TCP and QUIC requests share once their head is read: the route's filters on `lrt` at
  // the run's calendar time (JWT adds claim headers to `forwarded`), the authorization decision
  // written into `verdict`, and the CPU the JWT signature checks cost (returned in `cpu`, for the
  // caller's connection to pay).
  proxy::http_flow::RouteOutcome routeOn(const gateway::ListenerRuntime& lrt, Replica& replica,
                                         const proxy::http_flow::HeadOutcome& head,
                                         proxy::http1::RequestHead* forwarded,
                                         std::optional<RequestVerdict>& verdict, Duration& cpu);
  // outputs.backendRequests: the request as the backend receives it.
  void recordBackendRequest(uint32_t population, uint64_t client_index,
                            const proxy::http1::RequestHead& forwarded, const IpAddress& client);
  // The calendar the run stands on: certificates and JWT exp/nbf are judged against it.
  TimePoint calendar() const { return scenario_.now + (sim_.now() - start_); }
  // Hands the routed request to the backend model; `deferred` when it waited for the CPU.
  void forwardToBackend(uint32_t conn, uint64_t request_id, bool deferred);
  // Charges `cost` of gateway CPU to the connection: on its worker behind the work queued there
  // (host.workers), else on a CPU of its own. Returns when that work is done.
  TimePoint chargeCpu(uint32_t conn, Duration cost);
  // The same on any connection's worker and CPU clock (TCP or QUIC).
  TimePoint chargeCpuOn(uint32_t replica, uint32_t worker, TimePoint& cpu_done, Duration cost);
  // CPU time to relay `bytes` to or from a client (host.bytesPerCpuSecond).
  Duration byteCost(size_t bytes) const;
  void backendDone(uint32_t conn, uint64_t request_id);
  void respondLocal(uint32_t conn, int status, std::string_view body,
                    proxy::http1::HeaderList extra = {}, bool count_status = true);
  void flushServer(uint32_t conn);
  void afterServerActivity(uint32_t conn);
  void armServerTimer(uint32_t conn);
  void serverTimer(uint32_t conn);
  void serverClose(uint32_t conn, bool reset, bool remote);
  void tlsFlightArrives(uint32_t conn);
  // The gateway's CPU time for one handshake: the scenario's fixed cost, or the model's by key.
  Duration tlsHandshakeCost(const tls::HandshakeVerdict* verdict) const;
  // The population's TLS client side: its options and certificate, for the handshake model.
  proxy::Result<bool> addTlsClient(uint32_t population, const PopulationRuntime& rt);

  void gaugeActive();
  template <typename F>
  EventId at(TimePoint t, F&& f) {
    return sim_.schedule(t, std::forward<F>(f));
  }

  const scenario::Scenario& scenario_;
  SimulateOptions options_;
  Simulator sim_;
  TimePoint start_, end_;
  std::vector<Replica> replicas_;
  gateway::LoadBalancer balancer_;
  gateway::BackendModel backend_;
  gateway::RateLimitServiceModel ratelimit_service_;
  std::vector<PopulationRuntime> populations_;
  std::vector<Client> clients_;
  std::vector<uint32_t> free_clients_;
  std::vector<Connection> conns_;
  std::vector<uint32_t> free_conns_;
  std::vector<QuicConnection> quics_;
  std::vector<uint32_t> free_quics_;
  // Packet fidelity: each HTTP/3 port's server setup (by port index; null where none), the
  // servers by replica and port (made on first use), and the next client UDP port to hand out.
  std::vector<proxy::http3::ServerSetupPtr> packet_setups_;
  std::vector<std::vector<std::unique_ptr<PacketServer>>> packet_servers_;
  uint32_t next_udp_port_ = 0;
  // Packet fidelity: the session ticket each client holds from its latest QUIC connection (the
  // real TLS session), by client slot; Client::ticket says whether one is there.
  std::unordered_map<uint32_t, proxy::http3::ClientTicket> packet_tickets_;
  std::vector<clients::ParsedResponse> scratch_;
  std::vector<std::unique_ptr<clients::ResponseReader>> readers_;  // by connection slot
  tls::HandshakeModel handshakes_;
  RunResult result_;
  results::SeriesId active_series_, opened_series_, limited_series_, failed_series_;
  results::SeriesId status_series_[5];
  // Responses by protocol, when a population speaks HTTP/3 (the upgrade curve).
  std::optional<results::SeriesId> http1_series_, http3_series_;
  uint64_t clients_alive_ = 0;
};

}  // namespace ctplab::sim::run
