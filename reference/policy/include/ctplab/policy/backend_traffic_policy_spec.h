// BackendTrafficPolicy spec (gateway.envoyproxy.io/v1alpha1) as written: its targets and the
// `rateLimit` block. Its other features (timeout, retry, loadBalancer, ...) are only echoed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/ctp_spec.h"

namespace ctplab::policy {

// A header or query-parameter selector; `type` unset means the API server's default (Exact).
struct RateLimitValueMatchSpec {
  std::optional<std::string> type;  // Exact | RegularExpression | Distinct
  std::string name;
  std::optional<std::string> value;
  std::optional<bool> invert;
};

struct RateLimitMethodMatchSpec {
  std::string value;  // an HTTP method
  std::optional<bool> invert;
};

struct RateLimitPathMatchSpec {
  std::optional<std::string> type;  // Exact | PathPrefix (default) | RegularExpression
  std::string value = "/";
  std::optional<bool> invert;
};

struct RateLimitSourceMatchSpec {
  std::optional<std::string> type;  // Exact (default) | Distinct
  std::string value;
  std::optional<bool> invert;
};

// Unset members were absent; lists keep "written but empty" apart from absence because the
// CEL rule `has(self.headers) || ...` looks at presence.
struct RateLimitSelectConditionSpec {
  std::optional<std::vector<RateLimitValueMatchSpec>> headers;
  std::optional<std::vector<RateLimitMethodMatchSpec>> methods;
  std::optional<RateLimitPathMatchSpec> path;
  std::optional<RateLimitSourceMatchSpec> source_cidr;
  std::optional<std::vector<RateLimitValueMatchSpec>> query_params;
};

struct RateLimitCostSpecifierSpec {
  std::string from;  // Number | Metadata (required)
  std::optional<int64_t> number;
  struct Metadata {
    std::string ns, key;
  };
  std::optional<Metadata> metadata;
};

struct RateLimitCostSpec {
  std::optional<RateLimitCostSpecifierSpec> request, response;
};

struct RateLimitRuleSpec {
  std::vector<RateLimitSelectConditionSpec> client_selectors;
  bool has_client_selectors = false;  // the key was written (even as an empty list)
  bool has_limit = false;
  int64_t requests = 0;  // int64 so out-of-range values reach admission
  std::string unit;
  struct FromMetadata {
    std::string ns, key;
  };
  std::optional<FromMetadata> from_metadata;
  std::optional<RateLimitCostSpec> cost;
  std::optional<bool> shared, shadow_mode;
  std::optional<std::string> x_rate_limit_headers;  // Off | DraftVersion03
};

struct RateLimitSpec {
  std::optional<std::string> type;  // deprecated: Global | Local
  // Present blocks; `rules` is required in `global` and optional in `local`.
  std::optional<std::vector<RateLimitRuleSpec>> local_rules;
  bool has_local = false;
  std::optional<std::vector<RateLimitRuleSpec>> global_rules;
  bool has_global = false;
};

struct BackendTrafficPolicySpec {
  std::optional<PolicyTargetRef> target_ref;  // deprecated singular form
  std::vector<PolicyTargetRef> target_refs;
  std::vector<TargetSelectorSpec> target_selectors;
  std::optional<std::string> merge_type;
  std::optional<RateLimitSpec> rate_limit;
  // Echoed features whose presence CEL rules look at.
  bool has_compression = false, has_compressor = false;
  bool has_request_buffer = false;
  size_t http_upgrade_count = 0;
  bool has_admission_control = false;
  bool has_use_client_protocol = false;
};

}  // namespace ctplab::policy
