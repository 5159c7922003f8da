// The policy engine's `security.jwt` of a route and `principal.jwt` of its authorization rules as
// the JWT module's plain values, validated and compiled by the module itself.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/jwt/jwt_config.h"
#include "ctplab/proxy/jwt/jwt_principal.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::jwt {

// A provider whose key set is remote has no keys offline: the error names it.
Result<JwtSpec> jwtSpecFromIr(const policy::ir::JWT& jwt);

JwtPrincipal principalFromIr(const policy::ir::JWTPrincipal& principal);

}  // namespace ctplab::proxy::jwt
