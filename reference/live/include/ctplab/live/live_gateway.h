// The live reference proxy for one gateway: real sockets (Boost.Asio) around the sans-I/O data
// plane, serving HTTP and HTTPS ports (HTTP/1.1 and HTTP/2) with the same per-connection and
// per-request logic as the simulator. Asio stays behind this header.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/live/host_port.h"
#include "ctplab/live/live_options.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"

namespace ctplab::live {

// One IR listener and where its port listens (or why it does not).
struct ListenerReport {
  std::string listener;  // IR name, e.g. default/gw/http
  std::string protocol;
  uint32_t gateway_port = 0;
  uint32_t proxy_port = 0;
  std::optional<HostPort> bound;      // unset when the port is not served
  std::optional<std::string> reason;  // why not
};

class LiveGateway {
 public:
  // Builds the data plane from `gateway` (which must outlive the proxy), binds every port it can
  // serve and the admin endpoint, and starts the worker threads. Errors: the IR cannot be served
  // (a listener setting the data plane refuses), an address that cannot be bound, an upstream
  // that does not resolve.
  static proxy::Result<std::unique_ptr<LiveGateway>> start(const policy::ir::Gateway& gateway,
                                                           LiveOptions options);

  struct Impl;
  class Key {  // only start() can name it, so only start() constructs
    friend class LiveGateway;
    explicit Key() = default;
  };
  LiveGateway(Key, std::unique_ptr<Impl> impl);
  ~LiveGateway();
  LiveGateway(const LiveGateway&) = delete;
  LiveGateway& operator=(const LiveGateway&) = delete;

  // Main thread (or before run()): a reload replaces them.
  const std::vector<ListenerReport>& listeners() const;
  std::optional<HostPort> adminAddress() const;

  // Serves on the calling thread until SIGTERM, SIGINT or requestShutdown(); then stops
  // accepting, lets requests in flight finish for up to the drain time, closes what is left and
  // returns 0.
  int run();
  // Thread-safe; also what the admin endpoint's POST /quitquitquit does.
  void requestShutdown();
  // Thread-safe; also SIGHUP and POST /reload. Builds the configuration LiveOptions::reload
  // returns; ports in both keep their sockets, new ports are bound, removed ones closed.
  // Connections keep the configuration they were accepted under; those whose listener is gone
  // finish their request in flight and close. On any error nothing changes.
  void requestReload();

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctplab::live
