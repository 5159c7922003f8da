// One configuration of the running proxy: the IR it was built from, its plan and its connection
// counters. A reload makes a new generation; connections keep the one they were accepted under.
#pragma once

#include <cstdint>
#include <memory>

#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/shared_counters.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"

namespace ctplab::live {

struct Generation {
  // `previous`: the generation it replaces; counter scopes whose settings did not change carry
  // over, so a reload neither forgets connections nor lets a flood in twice.
  Generation(uint64_t number_in, std::shared_ptr<const policy::ir::Gateway> ir_in,
             GatewayPlan plan_in, const Generation* previous)
      : number(number_in),
        ir(std::move(ir_in)),
        plan(std::move(plan_in)),
        counters(*ir, plan, previous ? &previous->counters : nullptr),
        quic_counters(*ir, plan, previous ? &previous->quic_counters : nullptr) {
    listener_states.reserve(plan.listeners().size());
    for (const auto& l : plan.listeners()) {
      listener_states.push_back(
          l.flow ? std::make_unique<proxy::http_flow::ListenerState>(l.flow->routeFilters())
                 : nullptr);
    }
  }

  uint64_t number;
  std::shared_ptr<const policy::ir::Gateway> ir;  // what the plan's pointers refer to
  GatewayPlan plan;
  // Locks inside: the one part of a generation that changes, from every worker.
  mutable SharedCounters counters;
  // The QUIC filter chains' own scopes (spec 3.3): Envoy Gateway gives each HTTP/3 chain a
  // connection-limit counter beside its TCP chain's, so a limit holds per transport.
  mutable SharedCounters quic_counters;
  // Per listener (null for TCP ones): rate-limit buckets and JWT caches, locked per route. A
  // reload starts them afresh, as a new Envoy listener does.
  std::vector<std::unique_ptr<proxy::http_flow::ListenerState>> listener_states;
};

// Errors are the plan's (a listener setting the data plane refuses).
proxy::Result<std::shared_ptr<const Generation>> makeGeneration(
    uint64_t number, std::shared_ptr<const policy::ir::Gateway> ir, const Generation* previous);

}  // namespace ctplab::live
