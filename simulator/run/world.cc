#include "run/world.h"

#include <fstream>
#include <sstream>

#include "ctplab/simulator/clients/request_bytes.h"
#include "ctplab/simulator/net/hop_path.h"
#include "tls/scenario_certificates.h"

namespace ctplab::sim::run {
namespace {

SimulatorOptions simulatorOptions(const scenario::Scenario& s, const SimulateOptions& o) {
  SimulatorOptions so;
  so.scheduler = o.scheduler;
  so.seed = s.seed;
  so.event_budget = o.event_budget;
  return so;
}

}  // namespace

std::string_view decisionName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kNoPolicy:
      return "no-policy";
    case DecisionKind::kAllowedByRule:
      return "allowed-by-rule";
    case DecisionKind::kDeniedByRule:
      return "denied-by-rule";
    case DecisionKind::kDefaultAllow:
      return "default-allow";
    case DecisionKind::kDefaultDeny:
      return "default-deny";
    case DecisionKind::kUnmodelledDeny:
      return "unmodelled-rule-deny";
    case DecisionKind::kFailClosed:
      return "fail-closed";
  }
  return "unknown";
}

const char* outcomeName(RequestOutcome outcome) {
  switch (outcome) {
    case RequestOutcome::kResponse:
      return "response";
    case RequestOutcome::kReset:
      return "reset";
    case RequestOutcome::kClosed:
      return "closed";
    case RequestOutcome::kTimeout:
      return "timeout";
    case RequestOutcome::kConnectFailed:
      return "connect_failed";
    case RequestOutcome::kUnfinished:
      return "unfinished";
  }
  return "unknown";
}

World::World(const scenario::Scenario& scenario,
             std::vector<std::unique_ptr<gateway::GatewayModel>> replicas,
             const SimulateOptions& options)
    : scenario_(scenario),
      options_(options),
      sim_(simulatorOptions(scenario, options)),
      start_(sim_.now()),
      end_(sim_.now() + scenario.duration),
      balancer_(scenario.replicas.balancing, static_cast<uint32_t>(replicas.size())),
      backend_(scenario.backend, sim_.rngFor("backend")),
      ratelimit_service_(scenario.rate_limit_service.value_or(scenario::RateLimitServiceProfile{}),
                         gateway::rateLimitServiceOutages(scenario.faults, sim_.now()),
                         sim_.rngFor("ratelimit-service")),
      handshakes_(scenario.host.tls_handshakes == scenario::GatewayHostProfile::TlsFidelity::kFull),
      result_(results::TimeSeries(sim_.now(), scenario.outputs.bucket, scenario.duration)) {
  auto& ts = result_.series;
  active_series_ = ts.addGauge("connections.active");
  opened_series_ = ts.addCounter("connections.opened");
  limited_series_ = ts.addCounter("connections.limited");
  failed_series_ = ts.addCounter("requests.failed");
  const char* classes[5] = {"responses.1xx", "responses.2xx", "responses.3xx", "responses.4xx",
                            "responses.5xx"};
  for (int i = 0; i < 5; ++i) status_series_[i] = ts.addCounter(classes[i]);
  replicas_.reserve(replicas.size());
  for (uint32_t i = 0; i < replicas.size(); ++i) {
    // Replica 0 keeps the single gateway's stream, so one replica runs exactly as before.
    const std::string stream =
        i == 0 ? "gateway/request-id" : "gateway/" + std::to_string(i) + "/request-id";
    replicas_.emplace_back(i, std::move(replicas[i]), sim_.rngFor(stream));
  }
}

proxy::Result<bool> World::init() {
  result_.scenario = scenario_.name;
  result_.seed = scenario_.seed;
  result_.duration = scenario_.duration;
  if (scenario_.host.cost_model) result_.cost_model = scenario_.host;
  for (Replica& r : replicas_) {
    // Every replica is a host of its own: its own accept queues and worker threads.
    r.accept.resize(r.gateway->ports().size());
    r.workers.assign(scenario_.host.workers, start_);
  }
  // Replicas share one structure; the first stands for all when populations are placed.
  gateway::GatewayModel* const model = replicas_.front().gateway.get();
  populations_.reserve(scenario_.populations.size());
  for (const auto& pop : scenario_.populations) {
    size_t port_index = model->ports().size();
    for (size_t i = 0; i < model->ports().size(); ++i) {
      if (model->ports()[i].external_port == pop.target.port) port_index = i;
    }
    if (port_index == model->ports().size()) {
      std::string ports;
      for (const auto& p : model->ports()) {
        ports += (ports.empty() ? "" : ", ") + std::to_string(p.external_port);
      }
      return proxy::Error{pop.location.file + ":" + std::to_string(pop.location.line) +
                          ": population " + pop.name + ": the gateway has no listener on port " +
                          std::to_string(pop.target.port) + " (ports: " + ports + ")"};
    }
    const auto& port = model->ports()[port_index];
    if (!port.http) {
      return proxy::Error{"population " + pop.name + ": port " + std::to_string(pop.target.port) +
                          " proxies TCP/TLS routes; the client models speak HTTP only"};
    }
    auto source = IpCidr::parse(pop.source.cidr);
    if (!source) return proxy::Error{"population " + pop.name + ": bad source CIDR"};
    Rng rng = sim_.rngFor("population/" + pop.name);
    PopulationRuntime rt{&pop,
                         net::LinkModel(pop.link.value_or(scenario_.network)),
                         clients::ArrivalSchedule(pop.arrival, pop.clients, start_,
                                                  sim_.rngFor("arrivals/" + pop.name)),
                         rng,
                         *source,
                         port_index,
                         {},
                         {},
                         {},
                         {},
                         result_.series.addCounter(pop.name + ".responses"),
                         result_.series.addCounter(pop.name + ".failed")};
    // Host: the template's, the target's, else the first hostname of the port's listener.
    std::string host = pop.target.host;
    if (host.empty()) {
      const auto& names = model->listeners()[port.settings_owner].ir->hostnames;
      host = names.empty() || names.front().find('*') != std::string::npos ? "example.com"
                                                                           : names.front();
    }
    rt.host = host;
    rt.sni = pop.target.sni.empty()
                 ? (pop.behavior.request.host.empty() ? host : pop.behavior.request.host)
                 : pop.target.sni;
    rt.request_bytes = clients::buildRequestBytes(pop.behavior.request, host);
    rt.request_head = clients::buildRequestHead(pop.behavior.request, host);
    for (const auto& name : pop.via) {
      for (const auto& hop : scenario_.hops) {
        if (hop.name == name) rt.path.push_back(&hop);
      }
    }
    rt.routed = !rt.path.empty() || pop.proxy_header.has_value();
    for (const auto* hop : rt.path) {
      rt.edits_headers = rt.edits_headers || hop->kind == scenario::Hop::Kind::kL7LoadBalancer;
    }
    if (rt.routed) {
      // Whether a hop refuses depends on configuration only, so one probe speaks for every client:
      // a population that can never reach the gateway is a mistake in the scenario.
      proxy::http1::HeaderList headers;
      const auto probe =
          net::traverse(rt.path, {rt.source.addressAt(0), 40000, 0, pop.proxy_header},
                        static_cast<uint16_t>(port.external_port), headers);
      if (probe.refused_by) {
        return proxy::Error{pop.location.file + ":" + std::to_string(pop.location.line) +
                            ": population " + pop.name + ": hop " + *probe.refused_by +
                            " refuses every connection: " + probe.trace.back()};
      }
    }
    if (port.tls) {
      auto added = addTlsClient(static_cast<uint32_t>(populations_.size()), rt);
      if (!added) return added.error();
    }
    if (pop.http3) {
      rt.quic_head = clients::buildQuicRequestHead(pop.behavior.request, host);
      // Named so a report pairs them: the HTTP/3 share of `responses.*`.
      rt.http1_series = result_.series.addCounter(pop.name + ".responses.http1");
      rt.http3_series = result_.series.addCounter(pop.name + ".responses.http3");
      if (!http3_series_) {
        http1_series_ = result_.series.addCounter("responses.http1");
        http3_series_ = result_.series.addCounter("responses.http3");
      }
    }
    populations_.push_back(std::move(rt));
    PopulationResult pr;
    pr.name = pop.name;
    if (pop.http3) pr.quic.emplace();
    result_.populations.push_back(std::move(pr));
  }
  return initPacketServers();
}

RunResult World::run() {
  for (uint32_t p = 0; p < populations_.size(); ++p) {
    if (auto first = populations_[p].arrivals.next()) {
      at(*first, [this, p] { onArrival(p); });
    }
  }
  gaugeActive();
  TimePoint next_report = start_;
  while (true) {
    next_report = std::min(end_, next_report + options_.progress_every);
    RunOutcome outcome = sim_.runUntil(next_report);
    if (options_.progress) {
      options_.progress(Progress{sim_.now() - start_, scenario_.duration, sim_.eventsExecuted(),
                                 activeConnections(), clients_alive_});
    }
    if (outcome == RunOutcome::kBudgetExhausted) {
      result_.warnings.push_back("event budget exhausted at " +
                                 std::to_string((sim_.now() - start_).wholeMilliseconds()) +
                                 " ms of virtual time; results cover the run until then");
      break;
    }
    if (next_report >= end_) break;
  }
  // Requests still outstanding when the run ends are reported, never silently dropped.
  for (uint32_t c = 0; c < clients_.size(); ++c) {
    Client& cl = clients_[c];
    if (cl.phase == ClientPhase::kAwaiting || cl.phase == ClientPhase::kDripping) {
      finishRequest(c, RequestOutcome::kUnfinished, 0);
    }
  }
  result_.events = sim_.eventsExecuted();
  collectReplicaStats();
  result_.tls_handshakes_computed = handshakes_.handshakesComputed();
  return std::move(result_);
}

void World::gaugeActive() {
  const uint64_t active = activeConnections();
  for (Replica& r : replicas_) {
    r.peak_active_connections = std::max(r.peak_active_connections, r.gateway->activeConnections());
  }
  result_.peak_active_connections = std::max(result_.peak_active_connections, active);
  result_.series.setGauge(active_series_, sim_.now(), static_cast<int64_t>(active));
}

PopulationResult& World::resultOf(uint32_t client) {
  return result_.populations[clients_[client].population];
}

namespace {

// The planted faults act on a copy of the IR, so the data plane itself never carries them.
policy::ir::Gateway withFaults(policy::ir::Gateway gateway, const Faults& faults) {
  for (auto& l : gateway.listeners) {
    if (l.connection && l.connection->limit) {
      auto& limit = *l.connection->limit;
      if (faults.connection_limit_off_by_one && limit.value) ++*limit.value;
      if (faults.ignore_close_delay) limit.close_delay.reset();
    }
    if (faults.ignore_request_received_timeout && l.timeout && l.timeout->http) {
      l.timeout->http->request_received_timeout.reset();
    }
    if (faults.ignore_idle_timeout) {
      if (!l.timeout) l.timeout.emplace();
      if (!l.timeout->http) l.timeout->http.emplace();
      l.timeout->http->idle_timeout = Duration();  // zero disables the timer
    }
  }
  return gateway;
}

}  // namespace

proxy::Result<RunResult> simulate(const scenario::Scenario& scenario, const policy::ir::Gateway& ir,
                                  const SimulateOptions& options) {
  // Kept alive for the run: the gateway model points into it.
  const policy::ir::Gateway gateway = withFaults(ir, options.faults);
  std::vector<std::unique_ptr<gateway::GatewayModel>> replicas;
  for (uint32_t i = 0; i < std::max<uint32_t>(scenario.replicas.replicas, 1); ++i) {
    auto model = gateway::GatewayModel::fromIr(gateway, scenario.host);
    if (!model) return model.error();
    replicas.push_back(std::move(model).value());
  }
  auto world = std::make_unique<World>(scenario, std::move(replicas), options);
  auto ok = world->init();
  if (!ok) return ok.error();
  return world->run();
}

proxy::Result<bool> World::addTlsClient(uint32_t population, const PopulationRuntime& rt) {
  const scenario::Population& pop = *rt.spec;
  const scenario::TlsClientProfile& profile = pop.tls;
  const std::string where = pop.location.file + ":" + std::to_string(pop.location.line) +
                            ": population " + pop.name + ": ";
  proxy::tls::ProbeOptions options;
  options.sni = rt.sni;
  if (profile.min_version) options.min_version = proxy::tls::protocolVersion(*profile.min_version);
  if (profile.max_version) options.max_version = proxy::tls::protocolVersion(*profile.max_version);
  options.ciphers = profile.ciphers;
  options.groups = profile.groups;
  options.alpn = profile.alpn;
  if (!profile.certificate.empty() && scenario_.certificates) {
    auto generated = tls::generatedCertificates(*scenario_.certificates, scenario_.now);
    if (!generated) return proxy::Error{where + generated.error().message};
    const certgen::Issued* cert = tls::clientCertificate(*generated.value(), profile.certificate);
    if (cert == nullptr) return proxy::Error{where + "unknown certificate " + profile.certificate};
    options.cert_pem = cert->chain_pem;
    options.key_pem = cert->key_pem;
  } else if (!profile.certificate_secret.empty()) {
    const policy::Secret* found = nullptr;
    if (options_.resources != nullptr) {
      for (const auto& secret : options_.resources->secrets) {
        if (secret.meta.ns + "/" + secret.meta.name == profile.certificate_secret) found = &secret;
      }
    }
    if (found == nullptr || !found->data.count("tls.crt") || !found->data.count("tls.key")) {
      return proxy::Error{where + "tls.certificateSecret: no Secret " + profile.certificate_secret +
                          " with tls.crt and tls.key"};
    }
    options.cert_pem = found->data.at("tls.crt");
    options.key_pem = found->data.at("tls.key");
  } else if (!profile.certificate_file.empty()) {
    auto slurp = [](const std::string& path, std::string& out) {
      std::ifstream in(path, std::ios::binary);
      if (!in) return false;
      std::ostringstream text;
      text << in.rdbuf();
      out = text.str();
      return true;
    };
    if (!slurp(profile.certificate_file, options.cert_pem)) {
      return proxy::Error{where + "cannot read " + profile.certificate_file};
    }
    if (!slurp(profile.key_file, options.key_pem)) {
      return proxy::Error{where + "cannot read " + profile.key_file};
    }
  }
  // Settings OpenSSL refuses are the scenario's mistake, reported before the run.
  if (auto probe = proxy::tls::ProbeClient::create(options); !probe) {
    return proxy::Error{where + "tls: " + probe.error().message};
  }
  handshakes_.addClient(population, std::move(options));
  return true;
}

}  // namespace ctplab::sim::run
