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
        counters(*ir, plan, previous ? &previous->counters : nullptr) {}

  uint64_t number;
  std::shared_ptr<const policy::ir::Gateway> ir;  // what the plan's pointers refer to
  GatewayPlan plan;
  // Locks inside: the one part of a generation that changes, from every worker.
  mutable SharedCounters counters;
};

// Errors are the plan's (a listener setting the data plane refuses).
proxy::Result<std::shared_ptr<const Generation>> makeGeneration(
    uint64_t number, std::shared_ptr<const policy::ir::Gateway> ir, const Generation* previous);

}  // namespace ctplab::live
