#include <cstdio>

#include "ctplab/simulator/run/result_output.h"

namespace ctplab::sim::run {
namespace {

std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string latencyLine(const results::LatencyHistogram& h) {
  auto p = [&](double q) {
    return fmt("%.3f", static_cast<double>(h.valueAtPercentile(q).ns()) / 1e6);
  };
  return "p50 " + p(50) + "  p90 " + p(90) + "  p99 " + p(99) + "  p99.9 " + p(99.9) + "  max " +
         fmt("%.3f", static_cast<double>(h.max().ns()) / 1e6) + " ms";
}

}  // namespace

std::string resultToText(const RunResult& result) {
  std::string out = "scenario " + result.scenario + "  seed " + std::to_string(result.seed) + "  " +
                    fmt("%.3f", static_cast<double>(result.duration.ns()) / 1e9) + " s virtual  " +
                    std::to_string(result.events) + " events\n";
  if (const auto& host = result.cost_model) {
    const auto& source = *host->cost_model;
    out += "cost model " + source.file + ", measured " + source.measured_on;
    if (!source.machine_cpu.empty()) out += " on " + source.machine_cpu;
    if (source.machine_cores > 0) out += " (" + std::to_string(source.machine_cores) + " cores)";
    if (!source.overridden.empty()) {
      std::string keys;
      for (const auto& k : source.overridden) keys += (keys.empty() ? "" : ", ") + k;
      out += "; the scenario sets " + keys;
    }
    out += "\n";
  }
  for (const auto& p : result.populations) {
    const auto& c = p.connections;
    const auto& r = p.requests;
    out += "\npopulation " + p.name + ": " + std::to_string(p.clients) + " clients\n";
    out += "  connections  attempted " + std::to_string(c.attempted) + "  established " +
           std::to_string(c.established) + "  admitted " + std::to_string(c.admitted) +
           "  limited " + std::to_string(c.limited) + "  reset " +
           std::to_string(c.reset_by_server) + "  closed-by-gateway " +
           std::to_string(c.closed_by_server) + "  connect-failed " +
           std::to_string(c.connect_failed) + "  retries " + std::to_string(c.retries) + "\n";
    out += "  requests     sent " + std::to_string(r.sent);
    for (const auto& [status, count] : r.by_status) {
      out += "  " + std::to_string(status) + ": " + std::to_string(count);
    }
    out += "  reset " + std::to_string(r.reset) + "  closed " + std::to_string(r.closed) +
           "  timeout " + std::to_string(r.timeout) + "  connect-failed " +
           std::to_string(r.connect_failed) + "  unfinished " + std::to_string(r.unfinished) + "\n";
    if (p.latency.count() > 0) out += "  latency      " + latencyLine(p.latency) + "\n";
    if (p.hold_completed > 0) {
      out += "  held to the end  " + std::to_string(p.hold_completed) + "\n";
    }
    // Only worth a line when authorization or failClosed decided something.
    std::string decided;
    for (size_t k = 0; k < kDecisionKinds; ++k) {
      if (k == static_cast<size_t>(DecisionKind::kNoPolicy) || p.decisions[k] == 0) continue;
      decided += "  " + std::string(decisionName(static_cast<DecisionKind>(k))) + " " +
                 std::to_string(p.decisions[k]);
    }
    if (!decided.empty()) out += "  decisions    " + decided.substr(2) + "\n";
    if (!p.tls.empty()) {
      out += "  tls         ";
      for (const auto& [name, value] : p.tls) out += " " + name + " " + std::to_string(value);
      out += "\n";
    }
    if (p.quic) {
      const QuicCounts& q = *p.quic;
      out += "  http3        clients capable " + std::to_string(q.capable_clients) +
             "  udp-blocked " + std::to_string(q.udp_blocked_clients) + "  responses " +
             std::to_string(q.responses) + " of " + std::to_string(p.requests.responses()) + "\n";
      out += "  quic         opened " + std::to_string(q.attempted) + "  established " +
             std::to_string(q.established) + "  0-rtt " + std::to_string(q.zero_rtt) +
             "  handshake-timeout " + std::to_string(q.handshake_timeout) + "  refused " +
             std::to_string(q.refused) + " (limited " + std::to_string(q.limited) +
             ")  fallbacks " + std::to_string(q.fallbacks) + "  idle-closed " +
             std::to_string(q.idle_closed) + "\n";
    }
  }
  out +=
      "\ngateway: peak active connections " + std::to_string(result.peak_active_connections) + "\n";
  if (!result.replicas.empty()) {
    // One line: how the balancer spread connections and how full each replica got.
    std::string connections, peaks;
    for (const ReplicaResult& r : result.replicas) {
      connections += (connections.empty() ? "" : "/") + std::to_string(r.connections);
      peaks += (peaks.empty() ? "" : "/") + std::to_string(r.peak_active_connections);
    }
    out += "  replicas " + std::to_string(result.replicas.size()) + " (" + result.load_balancer +
           "): connections " + connections + ", peak active " + peaks +
           "; stats below are summed\n";
  }
  if (const auto& rls = result.rate_limit_service) {
    out += "  rate-limit service: checks " + std::to_string(rls->checks) + "  answered " +
           std::to_string(rls->answered) + "  over-limit " + std::to_string(rls->over_limit) +
           "  refused " + std::to_string(rls->refused) + "  timed-out " +
           std::to_string(rls->timed_out) + "\n";
  }
  if (result.tls_handshakes_computed > 0) {
    out += "  TLS handshakes computed (distinct certificate verdicts) " +
           std::to_string(result.tls_handshakes_computed) + "\n";
  }
  for (const auto& [name, value] : result.gateway_stats) {
    if (value != 0) out += "  " + name + " " + std::to_string(value) + "\n";
  }
  for (const auto& w : result.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace ctplab::sim::run
