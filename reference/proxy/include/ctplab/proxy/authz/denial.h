// What the proxy sends when authorization denies (spec 5.1): an HTTP 403 local reply with
// `RBAC: access denied`, or, on a TCP route, closing the connection without sending anything.
#pragma once

#include <optional>
#include <string>

#include "ctplab/proxy/authz/decision.h"
#include "ctplab/proxy/http1/response_head.h"

namespace ctplab::proxy::authz {

struct HttpDenial {
  http1::ResponseHead head;  // 403, content-type: text/plain, content-length of the body
  std::string body;          // "RBAC: access denied"
  // Envoy's response code details, `rbac_access_denied_matched_policy[<rule name or none>]`;
  // the bracketed id Envoy Gateway's configuration produces is unconfirmed.
  std::string details;
};

// The local reply for a denied request; nullopt when the decision allows it.
std::optional<HttpDenial> httpDenial(const Decision& decision);

enum class TcpVerdict {
  kForward,           // go on to the TCP route's upstream
  kCloseWithoutData,  // close the downstream connection; no byte is written to it
};
TcpVerdict tcpVerdict(const Decision& decision);

}  // namespace ctplab::proxy::authz
