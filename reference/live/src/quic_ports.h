// The UDP side of the gateway: one socket per HTTP/3 port, on the TCP listener's address and
// port number, each driven by one worker; kept across reloads while the port stays HTTP/3.
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
    Worker* worker;
    std::shared_ptr<QuicListener> listener;
  };
  std::vector<Port> ports_;
  size_t next_worker_ = 0;
};

}  // namespace ctplab::live
