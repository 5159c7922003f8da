// Whether a request's method and path satisfy a rule's `operation` (spec 5.1): any listed method,
// and the path condition, both optional.
#pragma once

#include <string_view>

#include "ctplab/proxy/authz/authz_config.h"

namespace ctplab::proxy::authz {

// The path is compared without its query, as Envoy's RBAC path matcher does.
bool operationMatches(const AuthzRule& rule, std::string_view method, std::string_view path);

}  // namespace ctplab::proxy::authz
