#include "quic_ports.h"

#include <algorithm>

#include "ctplab/live/host_port.h"
#include "quic_config.h"
#include "worker.h"

namespace ctplab::live {

proxy::Result<QuicPorts::Port> QuicPorts::openPort(
    uint16_t bound_port, const asio::ip::address& address, const LiveOptions& options,
    uint32_t gateway_port, const std::vector<std::unique_ptr<Worker>>& workers) {
  Port port{bound_port, gateway_port, {}};
  auto group = std::make_shared<QuicPortGroup>();
  for (size_t w = 0; w < workers.size(); ++w) {
    udp::socket socket(workers[w]->context());
    const udp::endpoint endpoint(address, bound_port);
    error_code ec;
    socket.open(endpoint.protocol(), ec);
    if (!ec) socket.set_option(udp::socket::reuse_address(true), ec);
    // Every worker reads the port through its own socket: the kernel keeps a client's datagrams
    // on one socket by their addresses, and a connection's tag finds its worker when they move.
    if (!ec) socket.set_option(ReusePort(true), ec);
    if (!ec) socket.bind(endpoint, ec);
    if (ec) {
      return proxy::Error{
          "cannot listen on udp " + formatHostPort(options.bind_address, bound_port) +
          " for HTTP/3 on gateway port " + std::to_string(gateway_port) + ": " + ec.message()};
    }
    const proxy::http3::UdpEndpoint local{
        IpAddress::parse(options.bind_address).value_or(IpAddress()), bound_port};
    port.listeners.push_back(std::make_shared<QuicListener>(*workers[w], std::move(socket), local,
                                                            static_cast<uint8_t>(w), group));
    group->by_tag.push_back(port.listeners.back());
  }
  return port;
}

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
      auto opened = openPort(t.bound_port, address, options, port.gateway_port, workers);
      if (!opened) return opened.error();
      w.fresh = std::make_unique<Port>(std::move(opened).value());
    }
    wanted.push_back(std::move(w));
  }
  std::vector<Port> next;
  for (Wanted& w : wanted) {
    QuicPortConfig config{generation, w.port_index, w.setup};
    if (w.kept) {
      for (const auto& listener : w.kept->listeners) listener->reconfigure(config);
      w.kept->gateway_port = generation->plan.ports()[w.port_index].gateway_port;
      next.push_back(std::move(*w.kept));
      w.kept->listeners.clear();  // moved on: not closed below
      continue;
    }
    for (const auto& listener : w.fresh->listeners) {
      listener->worker().addQuic(listener);
      listener->start(config);
    }
    next.push_back(std::move(*w.fresh));
  }
  // Ports the new configuration does not serve over HTTP/3 close theirs.
  for (Port& old : ports_) {
    for (const auto& listener : old.listeners) listener->worker().removeQuic(listener);
  }
  ports_ = std::move(next);
  return true;
}

std::vector<std::string> QuicPorts::describe(const LiveOptions& options) const {
  std::vector<std::string> out;
  for (const Port& p : ports_) {
    std::string line = "HTTP/3 gateway port " + std::to_string(p.gateway_port) + " -> udp " +
                       formatHostPort(options.bind_address, p.bound_port);
    if (p.listeners.size() > 1) line += " (" + std::to_string(p.listeners.size()) + " workers)";
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace ctplab::live
