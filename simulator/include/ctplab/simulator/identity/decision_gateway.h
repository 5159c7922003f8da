// The gateway as one request's decision needs it, built once from the IR: listener runtimes,
// each listener's route table with compiled authorization, and each port's PROXY protocol filter.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"
#include "ctplab/proxy/router/route_table.h"
#include "ctplab/simulator/gateway/gateway_model.h"

namespace ctplab::sim::identity {

class DecisionGateway {
 public:
  // Keeps its own copy of `gateway`, so candidate settings can be tried on copies of an IR while
  // the original stays untouched. Errors name the listener whose settings, routes or
  // authorization cannot be built.
  static proxy::Result<DecisionGateway> build(const policy::ir::Gateway& gateway);

  DecisionGateway(DecisionGateway&&) noexcept;
  DecisionGateway& operator=(DecisionGateway&&) noexcept;
  ~DecisionGateway();

  const policy::ir::Gateway& ir() const;
  const gateway::GatewayModel& model() const;
  // The port clients dial as `external_port`; nullptr when the gateway does not serve it.
  const gateway::PortRuntime* port(uint32_t external_port) const;
  // By index into model().listeners(); TCP/TLS proxy listeners included, whose routes the
  // model does not compile.
  const proxy::router::RouteTable& routes(size_t listener) const;
  // model().selectListener / listenerForHost, usable on a const gateway.
  int selectListener(const gateway::PortRuntime& port, std::string_view sni) const;
  int listenerForHost(const gateway::PortRuntime& port, std::string_view host) const;

 private:
  struct State;
  explicit DecisionGateway(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ctplab::sim::identity
