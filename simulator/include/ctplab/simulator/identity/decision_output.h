// A request decision for people (numbered steps and a `=>` verdict line) and for programs (JSON
// with the same steps and the structured outcome); both are pure functions of the decision.
#pragma once

#include <string>
#include <string_view>

#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/simulator/identity/request_decision.h"

namespace ctplab::sim::identity {

// One line per step, details indented under it, the outcome last; ends in a newline.
std::string decisionToText(const RequestDecision& decision);
// One pretty-printed JSON object; ends in a newline.
std::string decisionToJson(const RequestDecision& decision);

// The outcome in a few words: "403 RBAC: access denied", "forwarded (200)", "connection closed".
std::string outcomeSummary(const Outcome& outcome);
// "numTrustedHops 2 (skips 1 from the right)", "trustedCIDRs [10.0.0.0/8]", ...
std::string describeClientIpMode(const proxy::client_ip::ClientIpConfig& config);
std::string_view authorizationName(RequestDecision::Authorization a);  // "allowed", "denied", ...

}  // namespace ctplab::sim::identity
