#include "ctplab/proxy/authz/denial.h"

namespace ctplab::proxy::authz {

std::optional<HttpDenial> httpDenial(const Decision& decision) {
  if (decision.allowed) return std::nullopt;
  HttpDenial denial;
  denial.body = "RBAC: access denied";
  denial.head.status = 403;
  denial.head.headers = {{"content-type", "text/plain"},
                         {"content-length", std::to_string(denial.body.size())}};
  // Envoy names the matched policy, and `none` when nothing named matched.
  const std::string_view id = decision.rule_name.empty() ? "none" : decision.rule_name;
  denial.details = "rbac_access_denied_matched_policy[" + std::string(id) + "]";
  return denial;
}

TcpVerdict tcpVerdict(const Decision& decision) {
  return decision.allowed ? TcpVerdict::kForward : TcpVerdict::kCloseWithoutData;
}

}  // namespace ctplab::proxy::authz
