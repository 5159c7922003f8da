// IR routes as upstream's xdsIR YAML (pathMatch, directResponse, SecurityPolicy authorization and
// JWT: `security.{authorization,jwt}` on HTTP routes, `authorization` on TCP routes;
// BackendTrafficPolicy rate limits: `traffic.rateLimit`). Internal.
#pragma once

#include "ctplab/policy/engine.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

// `result` (optional) supplies the SecurityPolicy whose principal kinds the IR only flags.
Tree routeToTree(const ir::Route& route, bool http, const TranslationResult* result);

}  // namespace ctplab::policy
