// The Kubernetes resources the engine reads, decoded into plain structs (Gateway API kinds,
// core kinds, EnvoyProxy) plus the input bundle that holds them in load order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/backend_traffic_policy_spec.h"
#include "ctplab/policy/ctp_spec.h"
#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/security_policy_spec.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

// The Gateway API's group, the default group of a parent or target reference.
inline constexpr const char* kGatewayGroup = "gateway.networking.k8s.io";

struct ObjectMeta {
  std::string name;
  std::string ns;
  std::map<std::string, std::string> labels;
  int64_t generation = 0;
  std::string creation_timestamp;  // RFC 3339 as written; empty when absent
  SourceLocation location;
};

struct LabelSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
};
bool selectorMatches(const LabelSelector& selector,
                     const std::map<std::string, std::string>& labels);

struct GatewayClass {
  ObjectMeta meta;
  std::string controller_name;
  std::optional<std::string> parameters_ns, parameters_name;  // EnvoyProxy parametersRef
};

struct ObjectReference {
  std::string group;
  std::string kind;  // empty = the field's default kind
  std::string name;
  std::optional<std::string> ns;
};

struct RouteGroupKind {
  std::string group;
  std::string kind;
};

struct AllowedRoutes {
  std::string namespaces_from = "Same";  // Same | All | Selector
  std::optional<LabelSelector> namespaces_selector;
  std::optional<std::vector<RouteGroupKind>> kinds;
};

struct Listener {
  std::string name;
  std::optional<std::string> hostname;
  int64_t port = 0;
  std::string protocol;
  bool has_tls = false;
  std::string tls_mode = "Terminate";
  bool tls_mode_set = false;  // the API server defaults it to Terminate; test bundles may not
  std::vector<ObjectReference> certificate_refs;
  AllowedRoutes allowed_routes;
  SourceLocation location;
};

struct Gateway {
  ObjectMeta meta;
  std::string class_name;
  std::vector<Listener> listeners;
  // spec.allowedListeners.namespaces: which ListenerSets may attach (absent = none).
  std::optional<std::string> allowed_listeners_from;
  std::optional<LabelSelector> allowed_listeners_selector;
  std::optional<std::string> infrastructure_parameters;  // EnvoyProxy name (same namespace)
  Tree raw;                                              // echoed in translate output
};

struct ParentReference {
  std::string group = kGatewayGroup;
  std::string kind = "Gateway";
  std::optional<std::string> ns;
  std::string name;
  std::optional<std::string> section_name;
  std::optional<int64_t> port;
};

struct ListenerSet {
  ObjectMeta meta;
  ParentReference parent;
  std::vector<Listener> listeners;
  Tree raw;
};

// HTTPRoute, GRPCRoute, TCPRoute, TLSRoute: what listener attachment and the IR need.
struct Route {
  std::string kind;
  ObjectMeta meta;
  std::vector<ParentReference> parents;
  std::vector<std::string> hostnames;
  // HTTPRoute `matches[].path` and GRPCRoute `matches[].method`, the parts route order and
  // path routing need.
  struct PathCondition {
    std::string type;  // Exact | PathPrefix | RegularExpression
    std::string value;
  };
  struct GRPCMethod {
    std::string type = "Exact";  // Exact | RegularExpression
    std::optional<std::string> service, method;
  };
  struct Match {
    std::optional<PathCondition> path;  // unset: no path condition
    std::optional<GRPCMethod> method;
  };
  struct Rule {
    std::optional<std::string> name;  // the sectionName policies use to target this rule
    std::vector<Match> matches;       // empty: no matches listed (one catch-all route)
  };
  std::vector<Rule> rules;
};

struct Secret {
  ObjectMeta meta;
  std::string type;
  std::map<std::string, std::string> data;  // base64-decoded
};

struct ConfigMap {
  ObjectMeta meta;
  std::map<std::string, std::string> data;
};

struct ClusterTrustBundle {
  ObjectMeta meta;
  std::string trust_bundle;
};

struct ReferenceGrant {
  ObjectMeta meta;
  struct From {
    std::string group, kind, ns;
  };
  struct To {
    std::string group, kind;
    std::optional<std::string> name;
  };
  std::vector<From> from;
  std::vector<To> to;
};

struct Namespace {
  ObjectMeta meta;
};

struct EnvoyProxy {
  ObjectMeta meta;
  std::optional<bool> merge_gateways;
  std::optional<std::string> ip_family;  // IPv4 | IPv6 | DualStack
  bool for_gateway_class = false;        // bundle key envoyProxyForGatewayClass
  // spec.geoIP.provider: what SecurityPolicy clientIPGeoLocations rules require.
  struct GeoIP {
    std::string provider_type;  // MaxMind is the only type upstream supports
    bool has_max_mind = false;
    // maxMind.<x>DbSource.local.path
    std::optional<std::string> city_db, country_db, asn_db, isp_db, anonymous_ip_db;
  };
  std::optional<GeoIP> geo_ip;
};

struct ClientTrafficPolicy {
  ObjectMeta meta;
  ClientTrafficPolicySpec spec;
  Tree raw;
  std::vector<std::string> admission_errors;  // API-server rejections (section 1.5 of the spec)
};

struct SecurityPolicy {
  ObjectMeta meta;
  SecurityPolicySpec spec;
  Tree raw;  // echoed in translate output, with every feature the engine does not model
  std::vector<std::string> admission_errors;  // API-server rejections
};

struct BackendTrafficPolicy {
  ObjectMeta meta;
  BackendTrafficPolicySpec spec;
  Tree raw;  // echoed in translate output, with every feature the engine does not model
  std::vector<std::string> admission_errors;  // API-server rejections
};

// Envoy Gateway's own configuration (kind EnvoyGateway, the controller's config file), as far as
// translation depends on it: whether a global rate-limit service is deployed.
struct EnvoyGatewayConfig {
  ObjectMeta meta;
  bool rate_limit = false;  // spec `rateLimit` present (its backend, e.g. Redis)
};

// Everything loaded from the input files, in load order.
struct ResourceSet {
  std::vector<GatewayClass> gateway_classes;
  std::vector<Gateway> gateways;
  std::vector<ListenerSet> listener_sets;
  std::vector<Route> routes;
  std::vector<Secret> secrets;
  std::vector<ConfigMap> config_maps;
  std::vector<ClusterTrustBundle> cluster_trust_bundles;
  std::vector<ReferenceGrant> reference_grants;
  std::vector<Namespace> namespaces;
  std::vector<EnvoyProxy> envoy_proxies;
  std::vector<ClientTrafficPolicy> client_traffic_policies;
  std::vector<SecurityPolicy> security_policies;
  std::vector<BackendTrafficPolicy> backend_traffic_policies;
  std::vector<EnvoyGatewayConfig> envoy_gateway_configs;
  // True when any file used Envoy Gateway's test-bundle format; policies then keep input order
  // for equal creation timestamps (as upstream's translator tests do) instead of ns/name order.
  bool bundle_format = false;
};

}  // namespace ctplab::policy
