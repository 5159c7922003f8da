// What the TCP and QUIC request paths share when they call the data plane's request flow: the
// stats bundle of a listener prefix, and how an authorization decision is reported.
#pragma once

#include "ctplab/proxy/authz/decision.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/simulator/gateway/gateway_model.h"
#include "ctplab/simulator/run/run_result.h"

namespace ctplab::sim::run {

inline DecisionKind decisionKind(const proxy::authz::Decision& d,
                                 proxy::authz::Action default_action) {
  switch (d.decided_by) {
    case proxy::authz::DecidedBy::kRule:
      return d.allowed ? DecisionKind::kAllowedByRule : DecisionKind::kDeniedByRule;
    case proxy::authz::DecidedBy::kDefaultAction:
      return default_action == proxy::authz::Action::kAllow ? DecisionKind::kDefaultAllow
                                                            : DecisionKind::kDefaultDeny;
    case proxy::authz::DecidedBy::kUnmodelledRule:
      return DecisionKind::kUnmodelledDeny;
  }
  return DecisionKind::kNoPolicy;
}

inline proxy::http_flow::FlowStats flowStats(
    gateway::PrefixStats& stats, proxy::ratelimit::GlobalRateLimitStats* global = nullptr) {
  return {&stats.client_ip, &stats.request, &stats.authz, &stats.jwt, &stats.rate_limit, global};
}

}  // namespace ctplab::sim::run
