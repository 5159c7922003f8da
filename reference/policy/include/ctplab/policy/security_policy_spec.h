// SecurityPolicy spec (gateway.envoyproxy.io/v1alpha1) as written: its targets, `authorization`
// and `jwt` blocks. Its other features (cors, oidc, basicAuth, ...) are only echoed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/ctp_spec.h"

namespace ctplab::policy {

// operation.path: a Gateway API path match (type defaults to PathPrefix).
struct AuthorizationPathSpec {
  std::optional<std::string> type;  // Exact | PathPrefix | RegularExpression
  std::string value;
  std::optional<bool> invert;
};

struct AuthorizationOperationSpec {
  std::optional<std::vector<std::string>> methods;  // unset: field absent
  std::optional<AuthorizationPathSpec> path;
};

struct JWTClaimSpec {
  std::string name;
  std::optional<std::string> value_type;  // String (default) | StringArray
  std::vector<std::string> values;
};

struct JWTPrincipalSpec {
  std::string provider;
  std::optional<std::vector<JWTClaimSpec>> claims;
  std::optional<std::vector<std::string>> scopes;
};

struct AuthorizationHeaderSpec {
  std::string name;
  std::vector<std::string> values;
};

// One clientIPGeoLocations entry; translation only needs to know which fields are present.
struct ClientIPGeoLocationSpec {
  std::optional<std::string> country, region, city, isp;
  std::optional<int64_t> asn;
  bool has_anonymous = false;
  int anonymous_flags = 0;  // how many of anonymous.is* are written
};

// Unset members were absent; an empty list is kept distinct from absence because the schema's
// minItems rules apply to written lists only.
struct AuthorizationPrincipalSpec {
  std::optional<std::vector<std::string>> client_cidrs;
  std::optional<JWTPrincipalSpec> jwt;
  std::optional<std::vector<AuthorizationHeaderSpec>> headers;
  std::optional<std::vector<ClientIPGeoLocationSpec>> client_ip_geo_locations;
};

struct AuthorizationRuleSpec {
  std::optional<std::string> name;
  std::string action;  // Allow | Deny (required)
  std::optional<AuthorizationOperationSpec> operation;
  std::optional<AuthorizationPrincipalSpec> principal;
  std::optional<std::string> cel;
};

struct AuthorizationSpec {
  std::optional<std::string> default_action;  // unset: Deny
  std::vector<AuthorizationRuleSpec> rules;   // in order; the first match decides
};

// One jwt.providers entry. Unset members were absent.
struct JWTProviderSpec {
  std::string name;
  std::optional<std::string> issuer;
  std::optional<std::vector<std::string>> audiences;
  struct Remote {
    std::string uri;
    bool has_backend_ref = false;  // the singular form the CRD rejects
    bool has_backend_refs = false;
    std::optional<std::string> cache_duration, failed_refetch_duration;
  };
  std::optional<Remote> remote_jwks;
  struct Local {
    std::optional<std::string> type;  // Inline (default) | ValueRef
    std::optional<std::string> inline_jwks;
    std::optional<std::string> value_ref;  // ConfigMap name, policy namespace
  };
  std::optional<Local> local_jwks;
  struct ClaimToHeader {
    std::string header, claim;
  };
  std::vector<ClaimToHeader> claim_to_headers;
  std::optional<bool> recompute_route;
  struct HeaderExtractor {
    std::string name;
    std::optional<std::string> value_prefix;
  };
  struct ExtractFrom {
    std::vector<HeaderExtractor> headers;
    std::vector<std::string> cookies, params;
  };
  std::optional<ExtractFrom> extract_from;
};

struct JWTSpec {
  std::optional<bool> optional, fail_open;
  std::vector<JWTProviderSpec> providers;
};

struct SecurityPolicySpec {
  std::optional<PolicyTargetRef> target_ref;  // deprecated singular form
  std::vector<PolicyTargetRef> target_refs;
  std::vector<TargetSelectorSpec> target_selectors;
  std::optional<std::string> merge_type;
  std::optional<AuthorizationSpec> authorization;
  std::optional<JWTSpec> jwt;
  bool has_jwt = false;  // spec.jwt present; principal.jwt needs it
  // Any of cors, csrf, jwt, oidc, apiKeyAuth, basicAuth, extAuth present (TCP allows none).
  bool has_http_features = false;
  // Deprecated backendRef forms of extAuth, for the DeprecatedField warning.
  bool ext_auth_grpc_backend_ref = false, ext_auth_http_backend_ref = false;
};

}  // namespace ctplab::policy
