#include "ctplab/live/live_gateway.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "admin_server.h"
#include "asio_signals.h"
#include "ctplab/live/config_dump.h"
#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/live_clock.h"
#include "generation.h"
#include "quic_ports.h"
#include "worker.h"

namespace ctplab::live {

namespace {

constexpr auto kDrainPoll = std::chrono::milliseconds(20);
constexpr auto kSnapshotWait = std::chrono::milliseconds(1000);

// The port a planned port listens on, or an error when the offset leaves 1..65535.
proxy::Result<uint16_t> listenPort(const PlannedPort& port, const LiveOptions& options) {
  if (options.any_port) return uint16_t{0};
  const int64_t wanted = options.port_offset
                             ? int64_t{port.gateway_port} + int64_t{*options.port_offset}
                             : int64_t{port.proxy_port};
  if (wanted < 1 || wanted > 65535) {
    return proxy::Error{"gateway port " + std::to_string(port.gateway_port) + " with offset " +
                        std::to_string(options.port_offset.value_or(0)) + " is outside 1..65535"};
  }
  return static_cast<uint16_t>(wanted);
}

std::string pathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

struct LiveGateway::Impl {
  // A TCP port the gateway listens on; each worker has its own socket on it and accepts there.
  struct TcpPort {
    size_t port_index;  // in the current generation's plan
    uint32_t gateway_port;
    uint16_t bound_port;
  };
  // The ports a configuration listens on, and what each worker is to accept on.
  struct OpenedPorts {
    std::vector<TcpPort> ports;
    std::vector<std::vector<Worker::Listen>> by_worker;
  };

  Impl(LiveOptions options_in, std::shared_ptr<const Generation> generation)
      : options(std::move(options_in)),
        current(std::move(generation)),
        signals(main, SIGINT, SIGTERM),
        hangup(main, SIGHUP),
        drain_timer(main) {
    if (!options.log) {
      options.log = [](std::string_view line) {
        static std::mutex mutex;  // workers log too: whole lines, never interleaved
        std::lock_guard<std::mutex> lock(mutex);
        std::cerr << line << std::endl;
      };
    }
  }
  ~Impl() { shutdownNow(); }

  proxy::Result<bool> bind();
  // Listening sockets for `plan`'s ports, one per worker; a port the gateway listens on already
  // keeps its sockets. On error nothing was handed to a worker.
  proxy::Result<OpenedPorts> openPorts(const GatewayPlan& plan);
  // Hands `opened` to the workers for the current generation; the ports it lacks close.
  void serve(OpenedPorts opened);
  void describe(const GatewayPlan& plan);
  // The HTTP/3 ports of the current configuration follow its TCP ports (same numbers).
  proxy::Result<bool> updateQuic();
  void awaitSignal();
  void awaitHangup();
  // Main thread: the outcome, for the log and POST /reload.
  proxy::Result<std::string> reload();
  void beginShutdown();
  void pollDrain();
  void shutdownNow();
  StatMap collectStats();
  AdminResponse admin(const std::string& method, const std::string& target);

  // Declaration order is destruction order reversed: the main loop goes before the workers, and
  // its objects before it.
  LiveOptions options;
  std::shared_ptr<const Generation> current;  // what new connections get
  LiveClock clock;
  GatewayShared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  QuicPorts quic;         // its sockets belong to worker loops: gone before the workers
  asio::io_context main;  // acceptors, admin, signals, shutdown
  asio::signal_set signals;
  asio::signal_set hangup;
  asio::steady_timer drain_timer;
  std::vector<TcpPort> tcp_ports;
  std::unique_ptr<AdminServer> admin_server;
  std::vector<ListenerReport> reports;
  std::vector<BoundPort> bound;
  std::optional<HostPort> admin_address;
  std::atomic<bool> draining{false};
  bool stopped = false;
  TimePoint drain_deadline;
};

proxy::Result<LiveGateway::Impl::OpenedPorts> LiveGateway::Impl::openPorts(
    const GatewayPlan& plan) {
  error_code ec;
  const auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) return proxy::Error{"--bind: \"" + options.bind_address + "\" is not an IP address"};
  OpenedPorts out;
  out.by_worker.resize(workers.size());
  for (size_t i = 0; i < plan.ports().size(); ++i) {
    const PlannedPort& port = plan.ports()[i];
    if (port.unsupported) continue;
    auto wanted = listenPort(port, options);
    if (!wanted) return wanted.error();
    // The same port keeps its sockets, so a reload loses no connection waiting in a backlog.
    auto same = std::find_if(tcp_ports.begin(), tcp_ports.end(), [&](const TcpPort& p) {
      return options.any_port ? p.gateway_port == port.gateway_port
                              : p.bound_port == wanted.value();
    });
    if (same != tcp_ports.end()) {
      out.ports.push_back({i, port.gateway_port, same->bound_port});
      for (auto& listens : out.by_worker) listens.push_back({same->bound_port, i, std::nullopt});
      continue;
    }
    // With --any-port the first socket takes what the kernel picks and the others join it.
    uint16_t bound_port = wanted.value();
    for (size_t w = 0; w < workers.size(); ++w) {
      tcp::acceptor a(workers[w]->context());
      const tcp::endpoint endpoint(address, bound_port);
      a.open(endpoint.protocol(), ec);
      if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
      if (!ec) a.set_option(ReusePort(true), ec);
      // Accepted sockets inherit it (Linux), which saves a system call per connection.
      if (!ec) a.set_option(tcp::no_delay(true), ec);
      if (!ec) a.bind(endpoint, ec);
      if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
      if (!ec && w == 0) bound_port = a.local_endpoint(ec).port();
      if (ec) {
        return proxy::Error{
            "cannot listen on " + formatHostPort(options.bind_address, wanted.value()) +
            " for gateway port " + std::to_string(port.gateway_port) + ": " + ec.message()};
      }
      out.by_worker[w].push_back({bound_port, i, std::move(a)});
    }
    out.ports.push_back({i, port.gateway_port, bound_port});
  }
  return out;
}

void LiveGateway::Impl::serve(OpenedPorts opened) {
  tcp_ports = std::move(opened.ports);
  for (size_t w = 0; w < workers.size(); ++w) {
    workers[w]->serve(current, std::move(opened.by_worker[w]));
  }
}

void LiveGateway::Impl::describe(const GatewayPlan& plan) {
  reports.clear();
  bound.clear();
  for (size_t i = 0; i < plan.ports().size(); ++i) {
    const PlannedPort& port = plan.ports()[i];
    std::optional<HostPort> where;
    for (const auto& a : tcp_ports) {
      if (a.port_index == i) {
        where = HostPort{options.bind_address, a.bound_port};
        bound.push_back({i, options.bind_address, a.bound_port});
      }
    }
    for (size_t l : port.listeners) {
      const auto& ir_listener = *plan.listeners()[l].ir;
      reports.push_back({ir_listener.name, ir_listener.protocol, port.gateway_port, port.proxy_port,
                         where, port.unsupported});
    }
  }
}

proxy::Result<bool> LiveGateway::Impl::updateQuic() {
  std::vector<QuicPorts::TcpPort> tcp;
  for (const auto& a : tcp_ports) tcp.push_back({a.port_index, a.bound_port});
  auto updated = quic.update(current, tcp, options, workers);
  if (!updated) return updated.error();
  for (const std::string& line : quic.describe(options)) options.log("listening " + line);
  return true;
}

proxy::Result<bool> LiveGateway::Impl::bind() {
  auto opened = openPorts(current->plan);
  if (!opened) return opened.error();
  serve(std::move(opened).value());
  describe(current->plan);
  error_code ec;
  if (options.admin) {
    const auto admin_ip = asio::ip::make_address(options.admin->host, ec);
    if (ec) return proxy::Error{"--admin: \"" + options.admin->host + "\" is not an IP address"};
    admin_server = std::make_unique<AdminServer>(
        main, tcp::endpoint(admin_ip, options.admin->port),
        [this](const std::string& method, const std::string& target) {
          return admin(method, target);
        },
        ec);
    if (ec) {
      return proxy::Error{"cannot listen on " +
                          formatHostPort(options.admin->host, options.admin->port) +
                          " for the admin endpoint: " + ec.message()};
    }
    admin_address = HostPort{options.admin->host, admin_server->localEndpoint().port()};
  }
  return true;
}

void LiveGateway::Impl::awaitSignal() {
  signals.async_wait([this](const error_code& ec, int signal) {
    if (ec) return;
    if (draining) {
      // A second signal does not wait for the drain.
      options.log("signal " + std::to_string(signal) + " again: stopping now");
      shutdownNow();
      return;
    }
    beginShutdown();
    awaitSignal();
  });
}

void LiveGateway::Impl::awaitHangup() {
  hangup.async_wait([this](const error_code& ec, int) {
    if (ec || draining) return;
    auto outcome = reload();
    options.log(outcome ? outcome.value() : "reload failed: " + outcome.error().message);
    awaitHangup();
  });
}

proxy::Result<std::string> LiveGateway::Impl::reload() {
  if (draining) return proxy::Error{"shutting down"};
  if (!options.reload) return proxy::Error{"this proxy was started without a way to reload"};
  auto ir = options.reload();
  if (!ir) return ir.error();
  auto next = makeGeneration(current->number + 1, std::move(ir).value(), current.get());
  if (!next) return next.error();
  auto opened = openPorts(next.value()->plan);
  if (!opened) return opened.error();
  current = std::move(next).value();
  // Sockets of ports the new configuration does not have close on their workers.
  serve(std::move(opened).value());
  describe(current->plan);
  std::string text = "reloaded: configuration " + std::to_string(current->number);
  // TCP already moved on; a QUIC port that cannot follow keeps serving the previous setup.
  if (auto q = updateQuic(); !q) text += "\n  HTTP/3 not updated: " + q.error().message;
  for (const auto& l : reports) {
    text += "\n  " + l.protocol + " gateway port " + std::to_string(l.gateway_port) + " -> " +
            (l.bound ? formatHostPort(l.bound->host, l.bound->port)
                     : "not served (" + l.reason.value_or("unsupported") + ")") +
            " (listener " + l.listener + ")";
  }
  return text;
}

void LiveGateway::Impl::beginShutdown() {
  if (draining.exchange(true)) return;
  options.log("shutting down: no new connections; draining for up to " +
              std::to_string(options.drain_time.wholeMilliseconds()) + " ms");
  // Each worker closes its listening sockets first.
  for (auto& w : workers) w->startDrain();
  drain_deadline = clock.now() + options.drain_time;
  pollDrain();
}

void LiveGateway::Impl::pollDrain() {
  size_t live = 0;
  for (auto& w : workers) live += w->liveConnections();
  if (live == 0 || clock.now() >= drain_deadline) {
    if (live > 0) {
      options.log("drain time over: closing " + std::to_string(live) + " connection(s)");
    }
    shutdownNow();
    options.log("stopped");
    return;
  }
  drain_timer.expires_after(kDrainPoll);
  drain_timer.async_wait([this](const error_code& ec) {
    if (!ec) pollDrain();
  });
}

void LiveGateway::Impl::shutdownNow() {
  if (stopped) return;
  stopped = true;
  draining = true;
  error_code ignored;
  for (auto& w : workers) w->stop();
  if (admin_server) admin_server->stop();
  signals.cancel(ignored);
  hangup.cancel(ignored);
  drain_timer.cancel();
  main.stop();
}

StatMap LiveGateway::Impl::collectStats() {
  StatMap out;
  current->counters.addTo(out);
  current->quic_counters.addTo(out);
  for (auto& w : workers) {
    if (auto s = w->snapshot(kSnapshotWait)) {
      for (const auto& [name, v] : *s) addStat(out, name, v.value, v.gauge);
    }
  }
  return out;
}

AdminResponse LiveGateway::Impl::admin(const std::string& method, const std::string& target) {
  const std::string path = pathOf(target);
  if (path == "/ready") {
    if (draining) return {503, "text/plain; charset=UTF-8", "DRAINING\n"};
    return {200, "text/plain; charset=UTF-8", "LIVE\n"};
  }
  if (path == "/stats") {
    const bool prometheus = target.find("format=prometheus") != std::string::npos;
    StatMap stats = collectStats();
    if (prometheus) return {200, "text/plain; version=0.0.4", formatPrometheus(stats)};
    return {200, "text/plain; charset=UTF-8", formatEnvoyText(stats)};
  }
  if (path == "/stats/prometheus") {
    return {200, "text/plain; version=0.0.4", formatPrometheus(collectStats())};
  }
  if (path == "/config_dump") return {200, "text/yaml", configDumpYaml(current->plan, bound)};
  if (path == "/reload") {
    if (method != "POST") return {405, "text/plain; charset=UTF-8", "use POST\n"};
    auto outcome = reload();
    if (!outcome) {
      options.log("reload failed: " + outcome.error().message);
      return {400, "text/plain; charset=UTF-8", "reload failed: " + outcome.error().message + "\n"};
    }
    options.log(outcome.value());
    return {200, "text/plain; charset=UTF-8", outcome.value() + "\n"};
  }
  if (path == "/quitquitquit") {
    if (method != "POST") return {405, "text/plain; charset=UTF-8", "use POST\n"};
    asio::post(main, [this] { beginShutdown(); });
    return {200, "text/plain; charset=UTF-8", "OK\n"};
  }
  if (path == "/" || path == "/help") {
    return {200, "text/plain; charset=UTF-8",
            "admin commands are:\n"
            "  /config_dump: the gateway IR and where each port listens (YAML)\n"
            "  /quitquitquit (POST): drain and exit\n"
            "  /ready: LIVE while serving, DRAINING after a shutdown began\n"
            "  /reload (POST): re-read the configuration (as SIGHUP does)\n"
            "  /stats: counters and gauges, Envoy names (?format=prometheus)\n"
            "  /stats/prometheus: the same in Prometheus text format\n"};
  }
  return {404, "text/plain; charset=UTF-8", "invalid path. try /help\n"};
}

proxy::Result<std::unique_ptr<LiveGateway>> LiveGateway::start(const policy::ir::Gateway& gateway,
                                                               LiveOptions options) {
  if (options.workers == 0) return proxy::Error{"--workers must be at least 1"};
  // The first configuration is the caller's (it outlives the proxy): not owned here.
  auto first = makeGeneration(
      1, std::shared_ptr<const policy::ir::Gateway>(std::shared_ptr<void>(), &gateway), nullptr);
  if (!first) return first.error();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(first).value());
  Impl& g = *impl;
  if (g.options.backend) {
    tcp::resolver resolver(g.main);
    error_code ec;
    auto results =
        resolver.resolve(g.options.backend->host, std::to_string(g.options.backend->port), ec);
    if (ec || results.empty()) {
      return proxy::Error{"--backend: cannot resolve " +
                          formatHostPort(g.options.backend->host, g.options.backend->port) + ": " +
                          (ec ? ec.message() : "no address")};
    }
    g.shared.backend = results.begin()->endpoint();
  }
  if (g.options.rate_limit_redis) {
    tcp::resolver resolver(g.main);
    error_code ec;
    const auto& redis = *g.options.rate_limit_redis;
    auto results = resolver.resolve(redis.host, std::to_string(redis.port), ec);
    if (ec || results.empty()) {
      return proxy::Error{"--rate-limit-redis: cannot resolve " +
                          formatHostPort(redis.host, redis.port) + ": " +
                          (ec ? ec.message() : "no address")};
    }
    g.shared.rate_limit_redis = results.begin()->endpoint();
  }
  g.shared.clock = &g.clock;
  g.shared.options = &g.options;
  // The workers' loops own the listening sockets: they come first.
  for (uint32_t i = 0; i < g.options.workers; ++i) {
    g.workers.push_back(std::make_unique<Worker>(i, g.shared, g.current));
  }
  auto bound = g.bind();
  if (!bound) return bound.error();
  if (auto q = g.updateQuic(); !q) return q.error();
  for (auto& w : g.workers) w->startThread();
  if (g.admin_server) g.admin_server->start();
  g.awaitSignal();
  g.awaitHangup();
  return std::make_unique<LiveGateway>(Key{}, std::move(impl));
}

LiveGateway::LiveGateway(Key, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LiveGateway::~LiveGateway() = default;

const std::vector<ListenerReport>& LiveGateway::listeners() const { return impl_->reports; }

std::optional<HostPort> LiveGateway::adminAddress() const { return impl_->admin_address; }

int LiveGateway::run() {
  impl_->main.run();
  impl_->shutdownNow();
  return 0;
}

void LiveGateway::requestShutdown() {
  asio::post(impl_->main, [impl = impl_.get()] { impl->beginShutdown(); });
}

void LiveGateway::requestReload() {
  asio::post(impl_->main, [impl = impl_.get()] {
    auto outcome = impl->reload();
    impl->options.log(outcome ? outcome.value() : "reload failed: " + outcome.error().message);
  });
}

}  // namespace ctplab::live
