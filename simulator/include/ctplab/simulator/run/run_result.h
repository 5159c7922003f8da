// What one simulation run observed: per population connection and request outcomes with latency
// histograms, the gateway's stats under Envoy's names, time series and optional request records.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/common/time.h"
#include "ctplab/simulator/results/latency_histogram.h"
#include "ctplab/simulator/results/time_series.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::run {

// Connections as the clients experienced them, plus the gateway's verdict on each (ground truth
// a real client cannot see: `admitted`/`limited`).
struct ConnectionCounts {
  uint64_t attempted = 0;         // TCP connection attempts, retries included
  uint64_t connect_failed = 0;    // SYN retries exhausted, or no listener on the port
  uint64_t established = 0;       // TCP handshake completed
  uint64_t admitted = 0;          // passed the connection limit
  uint64_t limited = 0;           // rejected by the connection limit
  uint64_t no_filter_chain = 0;   // no listener for the SNI: closed by the gateway
  uint64_t closed_by_server = 0;  // the gateway sent FIN
  uint64_t reset_by_server = 0;   // the gateway sent RST
  uint64_t closed_by_client = 0;
  uint64_t vanished = 0;  // the client disappeared without FIN or RST
  uint64_t retries = 0;   // reconnects after a failure
};

enum class RequestOutcome : uint8_t {
  kResponse,       // an HTTP response arrived (any status)
  kReset,          // the connection was reset before the response completed
  kClosed,         // the gateway closed (FIN) before the response completed
  kTimeout,        // the client's own request timeout
  kConnectFailed,  // the connection for it never opened
  kUnfinished,     // still waiting when the run ended
};

// Who let a request through or stopped it at the gateway's identity and authorization steps.
enum class DecisionKind : uint8_t {
  kNoPolicy,        // no authorization applies to its route (or it never got that far)
  kAllowedByRule,   // a rule with action Allow matched first
  kDeniedByRule,    // a rule with action Deny matched first
  kDefaultAllow,    // no rule matched; defaultAction Allow
  kDefaultDeny,     // no rule matched; defaultAction Deny (or unset)
  kUnmodelledDeny,  // a rule with conditions this model does not evaluate might match: denied
  kFailClosed,      // customHeader failClosed: no address in the header, 403 before routing
};
inline constexpr size_t kDecisionKinds = 7;
// "no-policy", "allowed-by-rule", ... as results print them.
std::string_view decisionName(DecisionKind kind);

struct RequestCounts {
  uint64_t sent = 0;  // requests started (first byte written), retries not counted again
  std::map<int, uint64_t> by_status;
  uint64_t reset = 0, closed = 0, timeout = 0, connect_failed = 0, unfinished = 0;
  uint64_t responses() const {
    uint64_t n = 0;
    for (const auto& [status, count] : by_status) n += count;
    return n;
  }
};

// HTTP/3 as the population's clients experienced it (populations with `http3` only).
struct QuicCounts {
  uint64_t capable_clients = 0;      // clients that speak HTTP/3
  uint64_t udp_blocked_clients = 0;  // clients whose network drops UDP to the gateway
  uint64_t attempted = 0;            // QUIC connections opened (handshakes started)
  uint64_t established = 0;          // handshakes completed
  uint64_t zero_rtt = 0;             // requests sent as 0-RTT early data
  uint64_t handshake_timeout = 0;    // no answer before handshakeTimeout (UDP blocked, loss)
  // The gateway closed the handshake: no QUIC chain for the SNI (mTLS listeners have none), or
  // the QUIC chain's connection limit.
  uint64_t refused = 0;
  uint64_t limited = 0;      // of `refused`: by the connection limit (ground truth)
  uint64_t fallbacks = 0;    // requests that waited for QUIC and went over TCP
  uint64_t idle_closed = 0;  // connections ended by the QUIC idle timeout
  uint64_t responses = 0;    // responses received over HTTP/3
};

struct PopulationResult {
  std::string name;
  uint64_t clients = 0;  // arrived during the run
  ConnectionCounts connections;
  RequestCounts requests;
  // Response latency from the request's intended start (its arrival or the end of its think time)
  // to the last response byte, connection setup included: free of coordinated omission.
  results::LatencyHistogram latency;
  uint64_t hold_completed = 0;  // hold behaviour: connections held for the full time
  // Requests the gateway read, by who decided them (index: DecisionKind).
  std::array<uint64_t, kDecisionKinds> decisions{};
  // TLS handshakes by outcome, named as the listener's ssl counters without `ssl.`:
  // `handshake`, `fail_verify_error`, `fail_verify_no_cert`, `connection_error`, ...
  std::map<std::string, uint64_t> tls;
  std::optional<QuicCounts> quic;  // set for populations with `http3`
};

struct RequestRecord {
  uint32_t population = 0;
  uint64_t client = 0;
  IpAddress source;         // from the population's address pool
  uint32_t connection = 0;  // the client's n-th connection, from 1
  uint32_t request = 0;     // n-th request on that connection, from 1
  TimePoint start, end;
  RequestOutcome outcome = RequestOutcome::kResponse;
  int status = 0;
  // What the gateway made of it; unset when the request never reached the HTTP stage.
  std::optional<IpAddress> client_ip;
  DecisionKind decision = DecisionKind::kNoPolicy;
  int32_t rule = -1;  // index of the deciding rule, or -1
};

// A request as the backend received it: after the gateway's request stage (header rules,
// request id, normalized path and Host).
struct BackendRequest {
  uint32_t population = 0;
  uint64_t client = 0;
  std::string method, path;
  IpAddress client_ip;                                       // what the gateway detected (spec 4.6)
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent
  bool client_ip_known = true;  // false: a real backend that does not report it
};

// One gateway replica's share of the run (results list them only with more than one).
struct ReplicaResult {
  uint64_t connections = 0;  // new connections the load balancer sent it
  uint64_t peak_active_connections = 0;
  std::map<std::string, uint64_t> stats;  // as RunResult::gateway_stats, this replica's only
};

// What the global rate-limit service saw (results show it when the scenario declares the
// service or a fault, or a check was made).
struct RateLimitServiceResult {
  uint64_t checks = 0, descriptors = 0, answered = 0, over_limit = 0, refused = 0, timed_out = 0;
};

struct RunResult {
  std::string scenario;
  uint64_t seed = 0;
  Duration duration;
  uint64_t events = 0;
  // Set when the host's costs came from a cost-model file: the costs the run charged (after the
  // scenario's overrides) and host.cost_model, the file's provenance.
  std::optional<scenario::GatewayHostProfile> cost_model;
  std::vector<PopulationResult> populations;
  std::map<std::string, uint64_t> gateway_stats;  // summed over the replicas
  // With more than one replica: each one's counters, by index; empty for a single replica.
  std::vector<ReplicaResult> replicas;
  std::string load_balancer;  // "roundRobin", ... with more than one replica
  std::optional<RateLimitServiceResult> rate_limit_service;
  uint64_t peak_active_connections = 0;
  // Real TLS handshakes the model ran (once per chain, population and validity epoch).
  uint64_t tls_handshakes_computed = 0;
  results::TimeSeries series;
  std::vector<RequestRecord> records;
  std::vector<BackendRequest> backend_requests;
  std::vector<std::string> warnings;

  explicit RunResult(results::TimeSeries s) : series(std::move(s)) {}
};

const char* outcomeName(RequestOutcome outcome);

}  // namespace ctplab::sim::run
