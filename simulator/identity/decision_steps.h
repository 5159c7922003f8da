// Private to the request decision: the stages after the connection is accepted, each appending
// its steps to the decision and setting the outcome when it ends the request.
#pragma once

#include <string>

#include "ctplab/simulator/identity/request_decision.h"

namespace ctplab::sim::identity::detail {

// What the connection stage hands on: the bytes after the PROXY header, the effective peer and
// the listener the connection landed on.
struct Accepted {
  const gateway::PortRuntime* port = nullptr;
  size_t listener = 0;  // index into the model's listeners
  IpAddress peer;
  std::string bytes;  // what the HTTP codec (or the TCP proxy) reads
};

// HTTP listeners: codec → client IP → request stage → forwarding headers → route → authz.
void decideHttp(const DecisionGateway& gateway, const RequestDescription& request,
                const Accepted& accepted, RequestDecision& out);

// TCP/TLS proxy listeners: the route's authorization judges the connection's peer.
void decideTcp(const DecisionGateway& gateway, const Accepted& accepted, RequestDecision& out);

void addStep(RequestDecision& out, Step::Kind kind, std::string text);
void finish(RequestDecision& out, Outcome::Kind kind, int status, std::string body,
            std::string detail, Outcome::DecidedBy by);

}  // namespace ctplab::sim::identity::detail
