// One case's gateway for `--mode live`: ctplab's live proxy on ephemeral loopback ports with the
// echo backend and an admin endpoint, serving on its own thread until the session ends.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "live/traffic_driver.h"

namespace ctplab::conformance::live {

class LiveSession {
 public:
  // `gateway` must outlive the session. Errors: the proxy refuses the IR or cannot bind.
  static proxy::Result<std::unique_ptr<LiveSession>> start(const policy::ir::Gateway& gateway);
  ~LiveSession();  // drains for no time: the clients are done
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  const GatewayEndpoints& endpoints() const { return endpoints_; }
  // Listeners the proxy does not serve (and why), for failure messages.
  const std::vector<std::string>& unserved() const { return unserved_; }
  // What the proxy logged (it would otherwise write to stderr in the middle of the report).
  std::string log() const;

  struct State;
  explicit LiveSession(std::unique_ptr<State> state);

 private:
  std::unique_ptr<State> state_;
  GatewayEndpoints endpoints_;
  std::vector<std::string> unserved_;
};

}  // namespace ctplab::conformance::live
