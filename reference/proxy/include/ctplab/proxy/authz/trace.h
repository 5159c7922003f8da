// One human-readable line saying why a client was allowed or denied, for `ctplab explain` and
// logs: the deciding rule with the CIDR that matched, or the default action.
#pragma once

#include <string>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/authz/authz_policy.h"
#include "ctplab/proxy/authz/decision.h"

namespace ctplab::proxy::authz {

// e.g. `authz 192.168.1.1: rules[0] "deny-lan" (Deny) matched clientCIDR 192.168.1.0/24 -> deny`.
// Built on demand, so evaluation itself never formats text.
std::string traceLine(const AuthzPolicy& policy, const IpAddress& client, const Decision& decision);

}  // namespace ctplab::proxy::authz
