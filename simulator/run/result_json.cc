#include "ctplab/simulator/results/json_writer.h"
#include "ctplab/simulator/run/result_output.h"

namespace ctplab::sim::run {
namespace {

double ms(Duration d) { return static_cast<double>(d.ns()) / 1e6; }

void writeConnections(results::JsonWriter& w, const ConnectionCounts& c) {
  w.beginObject();
  w.key("attempted").number(c.attempted);
  w.key("connect_failed").number(c.connect_failed);
  w.key("established").number(c.established);
  w.key("admitted").number(c.admitted);
  w.key("limited").number(c.limited);
  w.key("no_filter_chain").number(c.no_filter_chain);
  w.key("closed_by_server").number(c.closed_by_server);
  w.key("reset_by_server").number(c.reset_by_server);
  w.key("closed_by_client").number(c.closed_by_client);
  w.key("vanished").number(c.vanished);
  w.key("retries").number(c.retries);
  w.endObject();
}

void writeRequests(results::JsonWriter& w, const RequestCounts& r) {
  w.beginObject();
  w.key("sent").number(r.sent);
  w.key("responses").number(r.responses());
  w.key("by_status").beginObject();
  for (const auto& [status, count] : r.by_status) w.key(std::to_string(status)).number(count);
  w.endObject();
  w.key("reset").number(r.reset);
  w.key("closed").number(r.closed);
  w.key("timeout").number(r.timeout);
  w.key("connect_failed").number(r.connect_failed);
  w.key("unfinished").number(r.unfinished);
  w.endObject();
}

void writeLatency(results::JsonWriter& w, const results::LatencyHistogram& h) {
  w.beginObject();
  w.key("count").number(h.count());
  w.key("mean").number(h.mean() / 1e6, 3);
  w.key("p50").number(ms(h.valueAtPercentile(50)), 3);
  w.key("p90").number(ms(h.valueAtPercentile(90)), 3);
  w.key("p99").number(ms(h.valueAtPercentile(99)), 3);
  w.key("p99.9").number(ms(h.valueAtPercentile(99.9)), 3);
  w.key("max").number(ms(h.max()), 3);
  w.endObject();
}

void writeSeries(results::JsonWriter& w, const results::TimeSeries& ts) {
  w.beginObject();
  w.key("bucket_s").number(static_cast<double>(ts.bucketWidth().ns()) / 1e9, 3);
  w.key("buckets").number(static_cast<uint64_t>(ts.bucketCount()));
  w.key("series").beginObject();
  for (size_t i = 0; i < ts.seriesCount(); ++i) {
    const results::SeriesId id{static_cast<uint32_t>(i)};
    const bool gauge = ts.kind(id) == results::SeriesKind::kGauge;
    w.key(ts.name(id)).beginArray();
    for (size_t b = 0; b < ts.bucketCount(); ++b) {
      w.number(gauge ? ts.gaugeLast(id, b) : ts.counter(id, b));
    }
    w.endArray();
    if (gauge) {
      w.key(ts.name(id) + ".max").beginArray();
      for (size_t b = 0; b < ts.bucketCount(); ++b) w.number(ts.gaugeMax(id, b));
      w.endArray();
    }
  }
  w.endObject();
  w.endObject();
}

double us(Duration d) { return static_cast<double>(d.ns()) / 1e3; }

// Which measurements the run's CPU costs stand on, for reports to cite.
void writeCostModel(results::JsonWriter& w, const scenario::GatewayHostProfile& host) {
  const scenario::CostModelSource& source = *host.cost_model;
  w.beginObject();
  w.key("file").string(source.file);
  w.key("measured_on").string(source.measured_on);
  w.key("machine").beginObject();
  w.key("cpu").string(source.machine_cpu);
  w.key("cores").number(source.machine_cores);
  w.endObject();
  w.key("overridden").beginArray();
  for (const auto& key : source.overridden) w.string(key);
  w.endArray();
  w.key("costs").beginObject();
  w.key("accept_cost_us").number(us(host.accept_cost), 3);
  w.key("request_cost_us").number(us(host.request_cost), 3);
  w.key("bytes_per_cpu_second").number(host.bytes_per_cpu_second, 0);
  if (host.tls_handshake_cost) {
    w.key("tls_handshake_cost_us").number(us(*host.tls_handshake_cost), 3);
  }
  w.key("tls_handshake_cost_rsa_us").number(us(host.tls_cost_rsa), 3);
  w.key("tls_handshake_cost_ecdsa_us").number(us(host.tls_cost_ecdsa), 3);
  w.key("tls_client_verify_cost_us").number(us(host.tls_cost_client_verify), 3);
  w.endObject();
  w.key("workers").number(host.workers);
  w.endObject();
}

}  // namespace

std::string resultToJson(const RunResult& result) {
  std::string out;
  results::JsonWriter w(&out);
  w.beginObject();
  w.key("scenario").string(result.scenario);
  w.key("seed").number(result.seed);
  w.key("duration_s").number(static_cast<double>(result.duration.ns()) / 1e9, 3);
  w.key("events").number(result.events);
  if (result.cost_model) {
    w.key("cost_model");
    writeCostModel(w, *result.cost_model);
  }
  w.key("populations").beginArray();
  for (const auto& p : result.populations) {
    w.beginObject();
    w.key("name").string(p.name);
    w.key("clients").number(p.clients);
    w.key("connections");
    writeConnections(w, p.connections);
    w.key("requests");
    writeRequests(w, p.requests);
    w.key("latency_ms");
    writeLatency(w, p.latency);
    w.key("hold_completed").number(p.hold_completed);
    w.key("decisions").beginObject();
    for (size_t k = 0; k < kDecisionKinds; ++k) {
      if (p.decisions[k] != 0) {
        w.key(std::string(decisionName(static_cast<DecisionKind>(k)))).number(p.decisions[k]);
      }
    }
    w.endObject();
    if (!p.tls.empty()) {
      w.key("tls").beginObject();
      for (const auto& [name, value] : p.tls) w.key(name).number(value);
      w.endObject();
    }
    if (p.quic) {
      const QuicCounts& q = *p.quic;
      w.key("http3").beginObject();
      w.key("capable_clients").number(q.capable_clients);
      w.key("udp_blocked_clients").number(q.udp_blocked_clients);
      w.key("responses").number(q.responses);
      w.key("quic_attempted").number(q.attempted);
      w.key("quic_established").number(q.established);
      w.key("zero_rtt").number(q.zero_rtt);
      w.key("handshake_timeout").number(q.handshake_timeout);
      w.key("refused").number(q.refused);
      w.key("limited").number(q.limited);
      w.key("fallbacks").number(q.fallbacks);
      w.key("idle_closed").number(q.idle_closed);
      w.endObject();
    }
    w.endObject();
  }
  w.endArray();
  w.key("gateway").beginObject();
  w.key("peak_active_connections").number(result.peak_active_connections);
  if (result.tls_handshakes_computed > 0) {
    w.key("tls_handshakes_computed").number(result.tls_handshakes_computed);
  }
  w.key("stats").beginObject();
  for (const auto& [name, value] : result.gateway_stats) w.key(name).number(value);
  w.endObject();
  if (!result.replicas.empty()) {
    w.key("load_balancer").string(result.load_balancer);
    w.key("replicas").beginArray();
    for (size_t i = 0; i < result.replicas.size(); ++i) {
      const ReplicaResult& r = result.replicas[i];
      w.beginObject();
      w.key("index").number(static_cast<uint64_t>(i));
      w.key("connections").number(r.connections);
      w.key("peak_active_connections").number(r.peak_active_connections);
      w.key("stats").beginObject();
      for (const auto& [name, value] : r.stats) w.key(name).number(value);
      w.endObject();
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
  if (const auto& rls = result.rate_limit_service) {
    w.key("rate_limit_service").beginObject();
    w.key("checks").number(rls->checks);
    w.key("descriptors").number(rls->descriptors);
    w.key("answered").number(rls->answered);
    w.key("over_limit").number(rls->over_limit);
    w.key("refused").number(rls->refused);
    w.key("timed_out").number(rls->timed_out);
    w.endObject();
  }
  w.key("time_series");
  writeSeries(w, result.series);
  if (!result.records.empty()) {
    w.key("records").beginArray();
    for (const auto& r : result.records) {
      w.beginObject();
      w.key("population").string(result.populations[r.population].name);
      w.key("client").number(r.client);
      w.key("source").string(r.source.toString());
      w.key("connection").number(r.connection);
      w.key("request").number(r.request);
      w.key("start_ms").number(ms(r.start - TimePoint()), 3);
      w.key("end_ms").number(ms(r.end - TimePoint()), 3);
      w.key("outcome").string(outcomeName(r.outcome));
      if (r.outcome == RequestOutcome::kResponse) w.key("status").number(r.status);
      if (r.client_ip) {
        w.key("client_ip").string(r.client_ip->toString());
        w.key("decision").string(std::string(decisionName(r.decision)));
        if (r.rule >= 0) w.key("rule").number(static_cast<uint64_t>(r.rule));
      }
      w.endObject();
    }
    w.endArray();
  }
  if (!result.backend_requests.empty()) {
    w.key("backend_requests").beginArray();
    for (const auto& b : result.backend_requests) {
      w.beginObject();
      w.key("population").string(result.populations[b.population].name);
      w.key("client").number(b.client);
      w.key("method").string(b.method);
      w.key("path").string(b.path);
      w.key("client_ip").string(b.client_ip.toString());
      w.key("headers").beginArray();
      for (const auto& [name, value] : b.headers)
        w.beginArray().string(name).string(value).endArray();
      w.endArray();
      w.endObject();
    }
    w.endArray();
  }
  w.key("warnings").beginArray();
  for (const auto& warning : result.warnings) w.string(warning);
  w.endArray();
  w.endObject();
  out += '\n';
  return out;
}

}  // namespace ctplab::sim::run
