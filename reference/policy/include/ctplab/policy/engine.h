// The policy engine as a pure function: resources in, policy statuses + per-gateway IR out.
// Order of processing and every message follow Envoy Gateway's translator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/ir.h"
#include "ctplab/policy/resources.h"
#include "ctplab/policy/status.h"

namespace ctplab::policy {

struct TranslateOptions {
  TimePoint now;  // certificate and CRL validity are judged at this instant
  std::string controller_name = "gateway.envoyproxy.io/gatewayclass-controller";
  // When true, policies that the API server would reject (CEL and schema rules) are not
  // translated, as on a cluster. When false they are translated anyway (file-based config).
  bool enforce_admission = false;
  // Whether the controller runs with a global rate-limit service. Unset: an EnvoyGateway config
  // object in the input decides (its `rateLimit`); without one, test bundles count as enabled (as
  // upstream's translator tests run) and plain manifests as disabled (upstream's default).
  std::optional<bool> global_rate_limit;
};

struct PolicyResult {
  const ClientTrafficPolicy* policy = nullptr;
  PolicyStatus status;
  std::vector<std::string> admission_errors;  // `spec.x: Invalid value: ...: message`
  bool rejected = false;                      // admission enforced and failed
};

struct SecurityPolicyResult {
  const SecurityPolicy* policy = nullptr;
  PolicyStatus status;
  std::vector<std::string> admission_errors;  // `spec.x: Invalid value: ...: message`
  bool rejected = false;                      // admission enforced and failed
  // Some target reference has a kind upstream's translator processes; only such policies are
  // listed in its output.
  bool handled = false;
};

struct BackendTrafficPolicyResult {
  const BackendTrafficPolicy* policy = nullptr;
  PolicyStatus status;
  std::vector<std::string> admission_errors;  // `spec.x: Invalid value: ...: message`
  bool rejected = false;                      // admission enforced and failed
  bool handled = false;                       // listed in upstream's output
};

struct GatewayResult {
  const Gateway* gateway = nullptr;
  bool accepted = false;
  std::vector<ListenerStatus> listener_statuses;  // own listeners
  std::string ir_key;  // <ns>/<name>, or the GatewayClass name when gateways are merged
};

struct ListenerSetResult {
  const ListenerSet* listener_set = nullptr;
  std::vector<Condition> conditions;  // Accepted, Programmed
  std::vector<ListenerStatus> listener_statuses;
};

struct TranslationResult {
  std::vector<PolicyResult> policies;            // in the order the translator processed them
  std::vector<GatewayResult> gateways;           // input order
  std::vector<ListenerSetResult> listener_sets;  // those whose parent Gateway is ours
  std::vector<ir::Gateway> irs;                  // one per IR key, in order of first use
  // Handled policies in the order the translator first handled them, then the others.
  std::vector<SecurityPolicyResult> security_policies;
  // Likewise for BackendTrafficPolicies.
  std::vector<BackendTrafficPolicyResult> backend_traffic_policies;
  const ir::Gateway* findIR(const std::string& key) const;
};

TranslationResult translate(const ResourceSet& resources, const TranslateOptions& options);

// Admission-time (API server) validation of one policy: CEL rules and schema patterns.
std::vector<std::string> admissionErrors(const ClientTrafficPolicySpec& spec);
std::vector<std::string> admissionErrors(const SecurityPolicySpec& spec);
std::vector<std::string> admissionErrors(const BackendTrafficPolicySpec& spec);

}  // namespace ctplab::policy
