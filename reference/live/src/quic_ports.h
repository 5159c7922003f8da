// The UDP side of the gateway: per HTTP/3 port one socket per worker (SO_REUSEPORT), on the TCP
// listener's address and port number; kept across reloads while the port stays HTTP/3.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ctplab/live/live_options.h"
#include "ctplab/proxy/result.h"
#include "generation.h"
#include "quic_listener.h"

namespace ctplab::live {

class Worker;

class QuicPorts {
 public:
  struct TcpPort {
    size_t port_index;    // in the generation's plan
    uint16_t bound_port;  // where its TCP acceptor listens; UDP takes the same number
  };

  // Main thread. Opens the sockets `generation` needs (keeping the ones of ports still served),
  // hands each to its worker, and closes the rest. A port that cannot be bound or whose
  // certificates GnuTLS refuses is an error and changes nothing.
  proxy::Result<bool> update(const std::shared_ptr<const Generation>& generation,
                             const std::vector<TcpPort>& tcp, const LiveOptions& options,
                             const std::vector<std::unique_ptr<Worker>>& workers);
  // One line per HTTP/3 port, for the log.
  std::vector<std::string> describe(const LiveOptions& options) const;

 private:
  struct Port {
    uint16_t bound_port;
    uint32_t gateway_port;
    // One per worker, in worker order: the listener's connection-ID tag is its index here.
    std::vector<std::shared_ptr<QuicListener>> listeners;
  };
  // A socket and a listener per worker on `bound_port`; nothing runs until they are started.
  static proxy::Result<Port> openPort(uint16_t bound_port, const asio::ip::address& address,
                                      const LiveOptions& options, uint32_t gateway_port,
                                      const std::vector<std::unique_ptr<Worker>>& workers);

  std::vector<Port> ports_;
};

}  // namespace ctplab::live
