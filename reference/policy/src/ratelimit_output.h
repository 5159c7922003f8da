// The route-level IR blocks BackendTrafficPolicy and SecurityPolicy JWT add, as upstream's xdsIR
// YAML writes them (`traffic.rateLimit`, `security.jwt`). Internal.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

Tree rateLimitTree(const ir::RateLimit& rl);
Tree jwtTree(const ir::JWT& jwt);

}  // namespace ctplab::policy
