// Private to the client-IP audit: entry paths resolved against a gateway, the honest and forged
// requests run along them, and the findings those requests reveal (before any fix is known).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/simulator/identity/decision_gateway.h"
#include "ctplab/simulator/identity/request_decision.h"
#include "ctplab/simulator/identity/topology.h"
#include "ctplab/simulator/identity/xff_audit.h"

namespace ctplab::sim::identity::audit {

// Hops' egress addresses are taken at this client index, as a scenario's client would.
inline constexpr uint64_t kClientIndex = 4;

struct PathPlan {
  const EntryPath* path = nullptr;
  std::vector<const scenario::Hop*> hops;
  IpAddress client;  // a legitimate client's own address
  IpAddress forged;  // the address forgeries claim: one that matters to the route's authorization
};

// Connections that skip the hops, one per port the paths use.
struct DirectPlan {
  uint32_t port = 0;
  const EntryPath* like = nullptr;  // the first path on the port: its host, path and method
  IpAddress attacker;
  IpAddress forged;
};

struct RawFinding {
  AuditFinding finding;  // fix still empty
  uint32_t port = 0;
  bool direct = false;
};

struct RunResult {
  std::vector<RawFinding> findings;
  std::vector<RequestDecision> baselines;  // parallel to the path plans
  std::vector<size_t> attempts;            // requests run per path plan
};

// The honest request of a path, and of a direct connection.
RequestDescription honestRequest(const PathPlan& plan);
RequestDescription directRequest(const DirectPlan& plan);

// Every attempt of every plan against `gateway`, in plan order and a fixed attempt order.
RunResult runAttempts(const DecisionGateway& gateway, const std::vector<PathPlan>& paths,
                      const std::vector<DirectPlan>& direct);

// The address forgeries should claim: one the route's authorization treats differently from
// `client` (and that detection would not skip as trusted), else a documentation address.
IpAddress chooseForgedAddress(const DecisionGateway& gateway, const RequestDecision& honest,
                              const IpAddress& client, const IpAddress& avoid);

// Which hop's egress range holds `address` ("hop lb's egress"), or empty.
std::string whoIs(const std::vector<const scenario::Hop*>& hops, const IpAddress& address);

}  // namespace ctplab::sim::identity::audit
