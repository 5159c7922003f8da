// The route-level IR blocks BackendTrafficPolicy and SecurityPolicy JWT add, as upstream's xdsIR
// YAML writes them (`traffic.rateLimit`, `security.jwt`). Internal.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

Tree rateLimitTree(const ir::RateLimit& rl);
// Upstream's StringMatch (header, query, SAN and upgrade matchers alike), and a list of them.
Tree stringMatchTree(const ir::StringMatch& m);
Tree matchList(const std::vector<ir::StringMatch>& v);
Tree jwtTree(const ir::JWT& jwt);

}  // namespace ctplab::policy
