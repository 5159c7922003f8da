#include "generation.h"

namespace ctplab::live {

proxy::Result<std::shared_ptr<const Generation>> makeGeneration(
    uint64_t number, std::shared_ptr<const policy::ir::Gateway> ir, const Generation* previous) {
  auto plan = GatewayPlan::fromIr(*ir);
  if (!plan) return plan.error();
  return std::shared_ptr<const Generation>(
      std::make_shared<Generation>(number, std::move(ir), std::move(plan).value(), previous));
}

}  // namespace ctplab::live
