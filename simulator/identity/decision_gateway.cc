#include "ctplab/simulator/identity/decision_gateway.h"

#include <optional>
#include <utility>
#include <vector>

namespace ctplab::sim::identity {

struct DecisionGateway::State {
  // Heap-held so the model's and route tables' pointers into it survive moves of the gateway.
  std::unique_ptr<policy::ir::Gateway> ir;
  std::unique_ptr<gateway::GatewayModel> model;
  // Parallel to model->listeners(): set only where the model compiled none (TCP/TLS proxying).
  std::vector<std::optional<proxy::router::RouteTable>> routes;
};

DecisionGateway::DecisionGateway(std::unique_ptr<State> state) : state_(std::move(state)) {}
DecisionGateway::DecisionGateway(DecisionGateway&&) noexcept = default;
DecisionGateway& DecisionGateway::operator=(DecisionGateway&&) noexcept = default;
DecisionGateway::~DecisionGateway() = default;

proxy::Result<DecisionGateway> DecisionGateway::build(const policy::ir::Gateway& gateway) {
  auto state = std::make_unique<State>();
  state->ir = std::make_unique<policy::ir::Gateway>(gateway);
  auto model = gateway::GatewayModel::fromIr(*state->ir, scenario::GatewayHostProfile{});
  if (!model) return model.error();
  state->model = std::move(model).value();
  for (const auto& listener : state->model->listeners()) {
    state->routes.emplace_back();
    if (listener.flow) continue;
    auto table = proxy::router::RouteTable::build(*listener.ir);
    if (!table) return proxy::Error{listener.ir->name + ": " + table.error().message};
    state->routes.back().emplace(std::move(table).value());
  }
  return DecisionGateway(std::move(state));
}

const policy::ir::Gateway& DecisionGateway::ir() const { return *state_->ir; }

const gateway::GatewayModel& DecisionGateway::model() const { return *state_->model; }

const gateway::PortRuntime* DecisionGateway::port(uint32_t external_port) const {
  // portFor only looks; the model is not const because the simulator counts through it.
  return state_->model->portFor(external_port);
}

const proxy::router::RouteTable& DecisionGateway::routes(size_t listener) const {
  const auto& own = state_->routes[listener];
  // HTTP listeners: the table the per-request flow routes with, so both always agree.
  return own ? *own : state_->model->listeners()[listener].flow->routes();
}

int DecisionGateway::selectListener(const gateway::PortRuntime& port, std::string_view sni) const {
  return state_->model->selectListener(port, sni);
}

int DecisionGateway::listenerForHost(const gateway::PortRuntime& port,
                                     std::string_view host) const {
  return state_->model->listenerForHost(port, host);
}

}  // namespace ctplab::sim::identity
