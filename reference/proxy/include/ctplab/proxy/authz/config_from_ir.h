// Turns the policy engine's IR authorization (a SecurityPolicy's `authorization` on a route) into
// the data plane's AuthzConfig, so one evaluator serves the simulator, the live proxy and explain.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/authz/authz_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::authz {

// Errors name the rule: an action other than Allow/Deny, a default action other than Allow/Deny.
Result<AuthzConfig> configFromIr(const policy::ir::Authorization& authorization);

}  // namespace ctplab::proxy::authz
