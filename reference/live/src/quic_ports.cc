#include "quic_ports.h"

#include <algorithm>

#include "ctplab/live/host_port.h"
#include "quic_config.h"
#include "worker.h"

namespace ctplab::live {

proxy::Result<bool> QuicPorts::update(const std::shared_ptr<const Generation>& generation,
                                      const std::vector<TcpPort>& tcp, const LiveOptions& options,
                                      const std::vector<std::unique_ptr<Worker>>& workers) {
  error_code ec;
  const auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) return proxy::Error{"--bind: \"" + options.bind_address + "\" is not an IP address"};
  struct Wanted {
    size_t port_index;
    uint16_t bound_port;
    proxy::http3::ServerSetupPtr setup;
    Port* kept = nullptr;
    std::unique_ptr<Port> fresh;
  };
  // First every setup and every new socket, so a failure leaves the running ports untouched.
  std::vector<Wanted> wanted;
  for (const TcpPort& t : tcp) {
    const PlannedPort& port = generation->plan.ports()[t.port_index];
    if (!servesHttp3(generation->plan, port)) continue;
    auto setup = quicSetupFor(generation, t.port_index);
    if (!setup) return setup.error();
    Wanted w{t.port_index, t.bound_port, std::move(setup).value(), nullptr, nullptr};
    auto same = std::find_if(ports_.begin(), ports_.end(),
                             [&](const Port& p) { return p.bound_port == t.bound_port; });
    if (same != ports_.end()) {
      w.kept = &*same;
    } else {
      Worker* worker = workers[next_worker_++ % workers.size()].get();
      udp::socket socket(worker->context());
      const udp::endpoint endpoint(address, t.bound_port);
      socket.open(endpoint.protocol(), ec);
      if (!ec) socket.set_option(udp::socket::reuse_address(true), ec);
      if (!ec) socket.bind(endpoint, ec);
      if (ec) {
        return proxy::Error{"cannot listen on udp " +
                            formatHostPort(options.bind_address, t.bound_port) +
                            " for HTTP/3 on gateway port " + std::to_string(port.gateway_port) +
                            ": " + ec.message()};
      }
      const proxy::http3::UdpEndpoint local{
          IpAddress::parse(options.bind_address).value_or(IpAddress()), t.bound_port};
      w.fresh = std::make_unique<Port>(
          Port{t.bound_port, port.gateway_port, worker,
               std::make_shared<QuicListener>(*worker, std::move(socket), local)});
    }
    wanted.push_back(std::move(w));
  }
  std::vector<Port> next;
  for (Wanted& w : wanted) {
    QuicPortConfig config{generation, w.port_index, w.setup};
    if (w.kept) {
      w.kept->listener->reconfigure(config);
      w.kept->gateway_port = generation->plan.ports()[w.port_index].gateway_port;
      next.push_back(*w.kept);
      w.kept->listener.reset();  // moved on: not closed below
      continue;
    }
    w.fresh->worker->addQuic(w.fresh->listener);
    w.fresh->listener->start(config);
    next.push_back(*w.fresh);
  }
  // Ports the new configuration does not serve over HTTP/3 close theirs.
  for (Port& old : ports_) {
    if (old.listener) old.worker->removeQuic(old.listener);
  }
  ports_ = std::move(next);
  return true;
}

std::vector<std::string> QuicPorts::describe(const LiveOptions& options) const {
  std::vector<std::string> out;
  for (const Port& p : ports_) {
    out.push_back("HTTP/3 gateway port " + std::to_string(p.gateway_port) + " -> udp " +
                  formatHostPort(options.bind_address, p.bound_port));
  }
  return out;
}

}  // namespace ctplab::live
