// Audits client-IP detection against a topology: honest and forged requests along every path (and
// around the hops when the gateway is reachable directly), with fixes re-checked by running again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/ir.h"
#include "ctplab/simulator/identity/topology.h"

namespace ctplab::sim::identity {

struct AuditFinding {
  std::string path;      // the entry path's name, or "direct :<port>" for a bypass
  std::string attempt;   // "baseline", "forged X-Forwarded-For", "forged PROXY header", ...
  std::string sent;      // what the client did, in one line
  std::string expected;  // the address the gateway should have seen
  std::string detected;  // what it saw; empty when the request never got that far
  std::string outcome;   // "forwarded (200)", "403 RBAC: access denied", "connection closed"
  std::string effect;    // what the difference does: authorization, rate limits, logs
  std::string fix;       // the settings (re-checked by running the attempts again) or advice
};

struct AuditedPath {
  std::string name;
  uint32_t port = 0;
  std::string listener;   // the listener whose clientIPDetection decided
  std::string detection;  // its mode, e.g. "numTrustedHops 2"
  std::string client;     // the legitimate client used
  std::string detected;   // what the gateway saw for it (empty: not reached)
  std::string outcome;    // of the honest request
  size_t attempts = 0;    // requests run for this path
};

struct AuditReport {
  std::string gateway;  // <ns>/<name>
  std::vector<AuditedPath> paths;
  std::vector<AuditFinding> findings;  // path order, then a fixed attempt order
  std::vector<std::string> notes;      // things the audit could not judge
};

// nullopt with `diagnostics` errors when the gateway cannot be built or a path names a port the
// gateway does not serve. Deterministic: the same inputs give the same report.
std::optional<AuditReport> auditClientIp(const policy::ir::Gateway& gateway,
                                         const Topology& topology,
                                         policy::Diagnostics& diagnostics);

std::string auditToText(const AuditReport& report);
std::string auditToJson(const AuditReport& report);

}  // namespace ctplab::sim::identity
