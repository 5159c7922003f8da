// A traffic scenario as plain data: the gateway resources, the network, the backend and the client
// populations to replay against them. Built by the YAML loader or programmatically; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/diagnostics.h"

namespace ctplab::sim::scenario {

// A random duration. kConstant uses `mean` only; kUniform draws on [min, max]; kExponential has
// `mean`; kLognormal has `mean` and `stddev` of the distribution itself (not of its logarithm).
struct DurationDistribution {
  enum class Kind { kConstant, kUniform, kExponential, kLognormal };
  Kind kind = Kind::kConstant;
  Duration mean;
  Duration min, max;
  Duration stddev;

  static DurationDistribution constant(Duration d) { return {Kind::kConstant, d, {}, {}, {}}; }
};

// One direction-symmetric path between a client population and the gateway.
struct LinkProfile {
  Duration latency = Duration::microseconds(500);  // one way
  Duration jitter;                                 // uniform extra delay on [0, jitter]
  uint64_t bandwidth_bps = 0;                      // bits per second; 0 = unlimited
  double loss = 0;                                 // per segment, 0..1; loss costs a retransmission
};

// Where a host profile's costs came from when a cost-model file (`ctplab calibrate`) supplied
// them, so results can say which machine's measurements a run stands on.
struct CostModelSource {
  std::string file;         // resolved against the scenario's directory
  std::string measured_on;  // RFC 3339, as written in the file
  std::string machine_cpu;  // empty: not recorded
  uint32_t machine_cores = 0;
  // The file's costs the scenario's `host:` sets itself, so the file's values are not used.
  std::vector<std::string> overridden;
};

// What the gateway's host does before the data plane sees a connection, and what the data
// plane's work costs it in CPU time.
struct GatewayHostProfile {
  uint32_t listen_backlog = 4096;  // accept queue per port (Linux somaxconn)
  Duration accept_cost;            // CPU per accepted connection; 0 = accepts never queue
  Duration request_cost;           // CPU per request head the gateway processes
  // CPU per JWT signature verification (the JWT filter verifies every request's token unless a
  // cache is configured, which Envoy Gateway does not do).
  Duration jwt_verify_cost;
  // CPU per relayed byte, as bytes one CPU second relays (a nanosecond per byte is too coarse
  // for a Duration); 0 = bytes cost nothing. Counts what the gateway reads from and writes to
  // clients: request heads and bodies, response heads and bodies.
  double bytes_per_cpu_second = 0;
  // Worker threads sharing the request, byte and TLS costs; each accepted connection is bound
  // to one, round-robin. 0: every connection has a CPU of its own (costs delay only it).
  uint32_t workers = 0;
  // CPU time of a TLS handshake on the gateway. Set: that, for every handshake. Unset: by the
  // serving key (its signature plus two X25519 operations, from `openssl speed` on a 2-core VM:
  // RSA-2048 sign 302 us, P-256 sign 24 us, X25519 32 us), plus the client chain's verification
  // when a client certificate is checked.
  std::optional<Duration> tls_handshake_cost;
  Duration tls_cost_rsa = Duration::microseconds(370);
  Duration tls_cost_ecdsa = Duration::microseconds(90);
  Duration tls_cost_client_verify = Duration::microseconds(100);
  // kCached: one real handshake per listener, population and validity epoch, reused for every
  // connection that matches; kFull: a real OpenSSL handshake for every connection.
  enum class TlsFidelity { kCached, kFull };
  TlsFidelity tls_handshakes = TlsFidelity::kCached;
  // Linux defaults, used when a listener's tcpKeepalive leaves a field unset.
  uint32_t keepalive_idle_s = 7200, keepalive_interval_s = 75, keepalive_probes = 9;
  std::optional<CostModelSource> cost_model;  // unset: the built-in defaults above
};

struct BackendProfile {
  DurationDistribution service_time = DurationDistribution::constant(Duration::milliseconds(1));
  uint32_t concurrency = 0;  // requests served at once; 0 = unlimited
  uint32_t queue_limit = 0;  // waiting requests beyond concurrency; 0 = unlimited; over → 503
  uint64_t response_bytes = 128;
};

struct ArrivalProcess {
  enum class Kind { kPoisson, kConstant, kBurst, kRamp, kTrace };
  Kind kind = Kind::kBurst;
  double rate_per_s = 0;       // kPoisson, kConstant
  TimePoint start;             // first arrival not before this (scenario-relative)
  double ramp_from_per_s = 0;  // kRamp: rate rises linearly from..to over `ramp_over`,
  double ramp_to_per_s = 0;    //        then stays at `ramp_to_per_s`
  Duration ramp_over;
  std::vector<Duration> trace;  // kTrace: arrival offsets from the scenario start, ascending
};

struct RequestTemplate {
  std::string method = "GET";
  std::string path = "/";
  std::string
      host;  // empty: the target's host, else the listener's first hostname, else "example.com"
  std::vector<std::pair<std::string, std::string>> headers;
  uint64_t body_bytes = 0;
  bool chunked = false;
};

struct Behavior {
  enum class Kind {
    kRequests,   // `connections` connections one after another, `requests_per_connection` each
    kHold,       // open, optionally send one request, then hold the connection for `hold_for`
    kSlowloris,  // open and drip the request head `drip_bytes` every `drip_interval`
    kVanish,     // open, send one request, then disappear without FIN or RST
  };
  Kind kind = Kind::kRequests;
  uint32_t connections = 1;
  uint32_t requests_per_connection = 1;
  DurationDistribution think_time;  // between a response and the next request
  RequestTemplate request;
  std::optional<Duration> request_timeout;  // client gives up on a request (and the connection)
  // Shut down the sending side (FIN) right after writing each request, as `curl` with
  // half-close or a one-shot script does; the connection then serves that one request only.
  bool half_close = false;
  // kHold
  Duration hold_for = Duration::seconds(3600);
  bool hold_sends_request = false;
  // kSlowloris
  uint32_t drip_bytes = 1;
  Duration drip_interval = Duration::seconds(1);
  bool drip_completes = false;  // finish the head after it has been dripped (else never)
};

// Reconnect-on-failure: a connection that fails (refused, reset, limited) is retried.
struct RetryPolicy {
  uint32_t max_attempts = 1;  // 1 = no retry
  Duration backoff_base = Duration::milliseconds(100);
  Duration backoff_max = Duration::seconds(10);
  bool jitter = true;  // full jitter: uniform on [0, backoff]
};

struct AddressPool {
  std::string cidr = "10.0.0.0/8";  // IPv4 or IPv6
  bool random = false;              // false: consecutive addresses in arrival order
};

struct Target {
  uint32_t port = 80;  // the Gateway listener port (not the proxy's shifted port)
  std::string host;    // Host header; empty: the listener's first hostname
  std::string sni;     // TLS SNI; empty: the Host
};

// A device between clients and the gateway. Each client connection crosses the population's hops
// in order; every hop opens its own connection to the next one (one upstream connection per
// client connection: no pooling), so the gateway's peer is the last hop's egress address unless
// that hop preserves the source.
struct Hop {
  enum class Kind {
    kL4LoadBalancer,  // forwards bytes; may prepend a PROXY protocol header of its own
    kL7LoadBalancer,  // terminates HTTP (a CDN, an ingress proxy): rewrites forwarding headers
    kNat,             // rewrites the source address only
  };
  enum class ProxyProtocol { kNone, kV1, kV2 };
  enum class Xff {
    kAppend,   // append the address it received the request from (what nearly every proxy does)
    kReplace,  // drop what the client sent, keep only that address
    kLeave,    // forward X-Forwarded-For untouched
  };
  std::string name;
  Kind kind = Kind::kL4LoadBalancer;
  // The addresses it connects onwards from; a client uses the one at its index modulo the size.
  std::string egress_cidr = "10.255.0.0/24";
  policy::SourceLocation location;
  // kL4LoadBalancer
  ProxyProtocol proxy_protocol = ProxyProtocol::kNone;
  bool preserve_source = false;  // transparent (e.g. DSR): the next hop sees the client's address
  // kL7LoadBalancer
  Xff xff = Xff::kAppend;
  // A header set (overwriting any the client sent) to the address the hop received the request
  // from, e.g. `CF-Connecting-IP`; empty: none.
  std::string client_header;
  // Reads a PROXY header from the previous hop (else such a header makes the request malformed).
  bool accept_proxy_protocol = false;
};

// A PROXY protocol header the client writes itself: a legitimate proxy client, or a forgery.
struct ClientProxyHeader {
  Hop::ProxyProtocol version = Hop::ProxyProtocol::kV1;  // kV1 or kV2
  std::string source;                                    // the address it claims (IPv4 or IPv6)
  uint16_t source_port = 40000;
};

// The certificates a population's TLS clients present and how they negotiate (spec 4.7-4.8).
struct TlsClientProfile {
  // A client certificate of the scenario's generated set (`client-valid`, `client-valid-rsa`,
  // `client-expired`, `client-not-yet-valid`, `client-wrong-ca`, `client-revoked`,
  // `client-wrong-san`), or PEM files; neither: no certificate.
  std::string certificate;
  std::string certificate_file, key_file;  // resolved against the scenario's directory
  std::string certificate_secret;          // "<ns>/<name>": a Secret's tls.crt and tls.key
  std::optional<std::string> min_version, max_version;  // "1.0" .. "1.3"
  std::string ciphers;                                  // OpenSSL list for TLS <= 1.2
  std::string groups;                                   // e.g. "P-256:X25519"
  std::vector<std::string> alpn;
  policy::SourceLocation location;
};

// Certificates generated for the scenario (the set `ctplab certs` writes), valid around `now`:
// their Secrets (`server-<host>`, `client-ca` with ca.crt and ca.crl) join the resources.
struct CertificateFixtures {
  uint64_t seed = 1;
  std::vector<std::string> hosts = {"www.example.com"};
  std::string ns = "default";
  // More client certificates (SAN client.example.com, by the intermediate CA) whose validity
  // ends `valid_for` after `now`: certificates that expire during the run.
  struct Client {
    std::string name;
    Duration valid_for;
    bool rsa = false;
  };
  std::vector<Client> clients;
  policy::SourceLocation location;
};

// How a population's clients use HTTP/3 (spec 4.10): a browser-like client learns the gateway's
// `alt-svc` from a response, opens QUIC in the background and moves its later requests there; a
// failed or timed-out QUIC handshake marks the alternative broken for a while and the client
// stays on TCP, so a blocked UDP path costs no request.
struct Http3ClientProfile {
  double capable = 1;      // share of the clients that speak HTTP/3 (the others ignore alt-svc)
  double udp_blocked = 0;  // share of the clients whose network drops UDP to the gateway
  // Clients arrive with the alternative already cached (returning visitors, `curl --http3`).
  bool known_alternative = false;
  // A client that has finished a QUIC connection resumes the next one with 0-RTT (safe methods
  // only), which Envoy's QUIC listener accepts by default (enable_early_data).
  bool zero_rtt = true;
  // A request waiting for a QUIC handshake also opens TCP after this long (RFC 8305's
  // connection attempt delay); the first transport up serves it.
  Duration fallback_after = Duration::milliseconds(250);
  // A QUIC handshake without an answer gives up after this long (Initials retransmitted at
  // 1 s, 2 s, ...).
  Duration handshake_timeout = Duration::seconds(10);
  // A failed alternative is not tried again for this long, doubling with every failure in a row.
  Duration broken_for = Duration::seconds(300);
  // The client's QUIC idle timeout; a connection idle for the lower of it and the gateway's ends.
  Duration idle_timeout = Duration::seconds(30);
  // How QUIC connections are run: kModel (handshake and stream events on the link's delays:
  // millions of clients), or kPackets (real QUIC and HTTP/3 on both ends, every datagram on the
  // link: each handshake costs real cryptography, so thousands of clients, not millions).
  enum class Fidelity { kModel, kPackets };
  Fidelity fidelity = Fidelity::kModel;
  policy::SourceLocation location;
};

struct Population {
  std::string name;
  uint64_t clients = 1;
  ArrivalProcess arrival;
  Behavior behavior;
  RetryPolicy retry;
  AddressPool source;
  Target target;
  std::optional<LinkProfile> link;  // else the scenario's network
  std::vector<std::string> via;     // names of Scenario::hops, client side first
  std::optional<ClientProxyHeader> proxy_header;
  TlsClientProfile tls;                     // on TLS ports
  std::optional<Http3ClientProfile> http3;  // unset: TCP only, alt-svc ignored
  policy::SourceLocation location;          // where it was declared, for messages
};

struct Outputs {
  Duration bucket = Duration::seconds(1);  // time-series resolution
  bool records = false;                    // per-request outcome records in the JSON
  bool backend_requests = false;           // every request as the backend received it
};

// The gateway's replicas behind a load balancer that picks one per new connection (L4, like a
// cloud load balancer or kube-proxy). Each replica is a whole data plane: connection limits,
// stats, workers and per-route state are its own.
struct GatewayReplicas {
  enum class Balancing {
    kRoundRobin,        // in turn, per connection
    kLeastConnections,  // fewest open connections through the balancer; ties: lowest index
    kSourceIpHash,      // FNV-1a of the source address the balancer sees, modulo the replicas
  };
  uint32_t replicas = 1;
  Balancing balancing = Balancing::kRoundRobin;
};

// The global rate-limit service every replica asks (Envoy's ratelimit service): how long a
// check takes there and back, and how long the filter waits for it.
struct RateLimitServiceProfile {
  DurationDistribution round_trip = DurationDistribution::constant(Duration::milliseconds(1));
  // Envoy's rate limit filter gives up after 20 ms by default; the request then fails open.
  Duration timeout = Duration::milliseconds(20);
  policy::SourceLocation location;
};

// Something that goes wrong around the gateway during the run, in scenario time [from, to).
struct EnvironmentFault {
  enum class Kind {
    kRateLimitServiceDown,  // checks reaching the service are refused: the call fails
  };
  Kind kind = Kind::kRateLimitServiceDown;
  Duration from, to;
  policy::SourceLocation location;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from; resource paths are relative to it
  uint64_t seed = 1;
  Duration duration = Duration::seconds(60);
  // Policy inputs: files (resolved relative to the scenario) and inline documents, loaded in order.
  std::vector<std::string> resource_files;
  std::vector<std::pair<std::string, std::string>> inline_resources;  // (label, YAML text)
  std::string gateway;  // "<ns>/<name>" of the Gateway to run; empty: the only one
  GatewayReplicas replicas;
  // As on a cluster, policies the API server would reject are not applied. false: translate
  // them anyway, as Envoy Gateway's file-based translator does (its status messages then show).
  bool enforce_admission = true;
  TimePoint now = TimePoint::fromUnixSeconds(1'780'272'000);  // 2026-06-01, certificate checks
  LinkProfile network;
  GatewayHostProfile host;
  BackendProfile backend;
  std::vector<Hop> hops;  // the devices populations may go through (`via`)
  std::optional<CertificateFixtures> certificates;
  std::vector<Population> populations;
  Outputs outputs;
  // Set when the scenario declares the global rate-limit service (`rateLimitService`).
  std::optional<RateLimitServiceProfile> rate_limit_service;
  std::vector<EnvironmentFault> faults;
};

}  // namespace ctplab::sim::scenario
