// The per-gateway IR the engine produces: listeners with the effective client-traffic settings,
// named and shaped like Envoy Gateway's `xdsIR`/`infraIR` so results diff against its goldens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/ctp_spec.h"

namespace ctplab::policy::ir {

struct StringMatch {
  std::string name;
  std::optional<std::string> exact, prefix, suffix, safe_regex;
  bool distinct = false;
  std::optional<bool> invert;  // rate-limit selectors: the match result is negated
};

struct AddHeader {
  std::string name;
  std::vector<std::string> value;
  bool append = false;
  bool add_if_absent = false;
};

struct TLSCertificate {
  std::string name;
  std::string certificate_pem;
  bool has_private_key = true;
  // The Secret's tls.key, for the data plane to serve with; never written to any output (the
  // IR prints `[redacted]`, as upstream does).
  std::string private_key_pem;
};

struct TLSConfig {
  std::vector<TLSCertificate> certificates;
  std::optional<TLSCertificate> ca_certificate;  // name + PEM bundle
  bool require_client_certificate = false;
  bool client_validation_enabled = false;
  bool accept_untrusted = false;
  bool allow_expired_certificate = false;
  std::vector<std::string> verify_certificate_spki, verify_certificate_hash;
  struct Crl {
    std::string name;
    std::string data;
    bool only_verify_leaf = false;
  };
  std::optional<Crl> crl;
  std::vector<StringMatch> match_typed_subject_alt_names;
  std::optional<std::string> min_version, max_version;
  std::vector<std::string> ciphers, ecdh_curves, signature_algorithms;
  std::optional<std::vector<std::string>> alpn_protocols;  // nullopt = proxy default
  bool stateless_session_resumption = false;
  bool stateful_session_resumption = false;
  std::vector<std::string> fingerprints;
};

struct TCPKeepalive {
  std::optional<uint32_t> probes, idle_time_s, interval_s;
};

struct ConnectionLimit {
  std::optional<uint64_t> value;
  std::optional<Duration> close_delay, max_connection_duration, max_stream_duration;
  std::optional<uint32_t> max_requests_per_connection;
};

struct ClientConnection {
  std::optional<ConnectionLimit> limit;
  std::optional<uint32_t> buffer_limit_bytes;
  std::optional<uint32_t> max_accept_per_socket_event;
};

struct ClientTimeout {
  struct Tcp {
    std::optional<Duration> idle_timeout, tls_handshake_timeout, connection_inspection_timeout;
  };
  struct Http {
    std::optional<Duration> request_received_timeout, request_headers_received_timeout,
        idle_timeout, stream_idle_timeout;
  };
  std::optional<Tcp> tcp;
  std::optional<Http> http;
};

struct ProxyProtocol {
  bool optional = false;
};

// Envoy Gateway copies the policy's clientIPDetection into its IR unchanged; so does ctplab.
using ClientIPDetection = ClientIPDetectionSpec;

struct HeaderSettings {
  bool enable_envoy_headers = false;
  bool disable_rate_limit_headers = false;
  struct Xfcc {
    std::string mode;
    std::vector<std::string> cert_details_to_add;
  };
  std::optional<Xfcc> xfcc;
  std::string with_underscores_action;
  std::optional<std::string> request_id;
  std::vector<AddHeader> early_add_request_headers, late_add_response_headers;
  std::vector<std::string> early_remove_request_headers, late_remove_response_headers;
  std::vector<StringMatch> early_remove_on_match, late_remove_on_match;
  std::optional<uint32_t> max_request_headers_kb;
};

struct HTTP1Settings {
  bool enable_trailers = false;
  bool preserve_header_case = false;
  bool has_http10 = false;
  std::optional<std::string> http10_default_host;
  bool disable_safe_max_connection_duration = false;
  std::vector<StringMatch> ignored_upgrade_types;
};

struct HTTP2Settings {
  std::optional<uint32_t> initial_stream_window_size, initial_connection_window_size;
  std::optional<uint32_t> max_concurrent_streams;
  std::optional<bool> reset_stream_on_error;
  struct Keepalive {
    std::optional<Duration> interval, timeout, idle_interval;
    std::optional<uint32_t> interval_jitter;
  };
  std::optional<Keepalive> connection_keepalive;
};

struct GRPCSettings {
  std::optional<bool> enable_web;
  std::optional<bool> enable_stats;
};

struct ListenerMetadata {
  std::string kind, name, ns, section_name;
};

// An HTTPRoute match's path condition, as upstream's IR `pathMatch` holds it.
struct PathMatch {
  enum class Kind { kExact, kPrefix, kRegex };  // PathPrefix is segment-wise, as Gateway API says
  Kind kind = Kind::kPrefix;
  std::string value;
};

// principal.jwt of an authorization rule: claims and scopes read from the payload the named
// provider verified. A provider the policy does not configure never yields a payload, so such a
// rule never matches (Envoy Gateway accepts it without a message).
struct JWTClaim {
  std::string name;                   // dotted path into the payload, e.g. "user.roles"
  std::string value_type = "String";  // String: equals one value; StringArray: contains one
  std::vector<std::string> values;
};

struct JWTPrincipal {
  std::string provider;
  bool provider_configured = false;  // the same policy's jwt.providers names it
  std::vector<JWTClaim> claims;      // all must match
  std::vector<std::string> scopes;   // each must appear in the `scope`/`scp` claim
};

// One SecurityPolicy `authorization` rule (spec 5.1) as upstream's IR `security.authorization`
// holds it. Header, geolocation and CEL principals are kept only as flags: the data plane treats
// a rule carrying one as not evaluable (it fails closed).
struct AuthorizationRule {
  std::string name;
  std::string action;                     // "Allow" | "Deny"
  std::vector<std::string> client_cidrs;  // principal.clientCIDRs as written
  std::vector<std::string> methods;       // operation.methods
  std::optional<PathMatch> path;          // operation.path; unset: any path
  bool path_invert = false;               // operation.path.invert: match paths NOT matching
  // principal.jwt; tests as a bool the way the former flag did.
  std::optional<JWTPrincipal> jwt;
  bool headers = false, client_ip_geo_locations = false, cel = false;
};

struct Authorization {
  std::vector<AuthorizationRule> rules;  // in order; the first match decides
  std::string default_action = "Deny";
  std::string policy;  // "<ns>/<name>" of the SecurityPolicy it came from
};

// Rate limiting (BackendTrafficPolicy `rateLimit`) as upstream's IR `traffic.rateLimit` holds it.
struct RateLimitValue {
  uint32_t requests = 0;
  std::string unit;  // Second | Minute | Hour | Day | Week | Month | Year
  struct FromMetadata {
    std::string ns, key;
  };
  std::optional<FromMetadata> from_metadata;  // global only
};

// sourceCIDR selector; `cidr` is the masked network.
struct CIDRMatch {
  std::string cidr;
  uint32_t mask_len = 0;
  bool is_ipv6 = false;
  bool distinct = false;  // one bucket per client address inside the range
  bool invert = false;
};

struct RateLimitCost {
  std::optional<uint64_t> number;
  std::optional<std::string> format;  // "%DYNAMIC_METADATA(ns:key)%"
};

// One selector rule. All conditions must hold; methods match when any one does. PathPrefix
// selectors other than "/" arrive as a segment-aware safe_regex, as upstream writes them.
struct RateLimitRule {
  std::string name;  // <policy-ns>/<policy-name>/rule/<index in the policy's list>
  std::vector<StringMatch> header_matches;
  std::optional<StringMatch> path_match;
  std::vector<StringMatch> method_matches;  // exact method names
  std::optional<CIDRMatch> cidr_match;
  std::vector<StringMatch> query_param_matches;
  RateLimitValue limit;
  std::optional<RateLimitCost> request_cost, response_cost;
  std::optional<bool> shared, shadow_mode;
  std::optional<std::string> x_rate_limit_option;  // Off | DraftVersion03; unset: listener's
};

struct LocalRateLimit {
  // The bucket for requests no rule selects: the first rule without clientSelectors, else
  // 4294967295/Second.
  RateLimitValue default_limit;
  std::vector<RateLimitRule> rules;  // rules with clientSelectors, in API order
  std::optional<std::string> default_x_rate_limit_option;
};

struct GlobalRateLimit {
  std::vector<RateLimitRule> rules;
};

struct RateLimit {
  std::optional<LocalRateLimit> local;
  std::optional<GlobalRateLimit> global;
  std::string policy;  // "<ns>/<name>" of the BackendTrafficPolicy it came from
};

// SecurityPolicy `jwt` (upstream's IR `security.jwt`).
struct JWTProvider {
  std::string name;
  std::string issuer;  // "" = not checked
  std::vector<std::string> audiences;
  // The key set, resolved from localJWKS.inline or the ConfigMap valueRef names. Unset for a
  // remote key set, which offline translation cannot fetch.
  std::optional<std::string> local_jwks;
  std::optional<std::string> remote_jwks_uri;
  struct ClaimToHeader {
    std::string header, claim;
  };
  std::vector<ClaimToHeader> claim_to_headers;
  std::optional<bool> recompute_route;
  struct HeaderExtractor {
    std::string name;
    std::optional<std::string> value_prefix;
  };
  // Unset: the Authorization header's Bearer token or the access_token query parameter.
  struct ExtractFrom {
    std::vector<HeaderExtractor> headers;
    std::vector<std::string> cookies, params;
  };
  std::optional<ExtractFrom> extract_from;
};

struct JWT {
  bool allow_missing = false;            // jwt.optional
  bool allow_missing_or_failed = false;  // jwt.failOpen
  std::vector<JWTProvider> providers;
  std::string policy;  // "<ns>/<name>" of the SecurityPolicy it came from
};

// A route as far as client-traffic translation sees it: names, hostname, its match, the
// SecurityPolicy authorization and JWT authentication, the BackendTrafficPolicy rate limit, 500
// on policy failure.
struct Route {
  std::string name;
  std::string hostname;
  std::string rule_name;  // the xRoute rule's name (upstream's metadata.sectionName); "" if none
  std::optional<PathMatch> path_match;  // unset: any path (TCP/TLS routes, rules without match)
  std::optional<Authorization> authorization;
  std::optional<JWT> jwt;
  std::optional<RateLimit> rate_limit;
  // A BackendTrafficPolicy reached this route (with or without a rate limit): less specific
  // policies no longer apply to it.
  std::string traffic_policy;
  bool direct_response_500 = false;
};

struct Listener {
  std::string name;      // <gwNs>/<gwName>[/<lsNs>/<lsName>]/<listener>
  std::string protocol;  // HTTP, HTTPS, TLS, TCP, UDP (Gateway API protocol)
  std::string address = "0.0.0.0";
  std::optional<std::string> ip_family;  // from the EnvoyProxy, when it sets one
  uint32_t port = 0;                     // proxy (container) port
  uint32_t external_port = 0;            // Gateway listener port
  ListenerMetadata metadata;
  std::vector<std::string> hostnames;
  std::optional<TLSConfig> tls;
  // Certificates overlap another HTTPS listener's on this port: default ALPN is HTTP/1.1 only.
  bool tls_overlaps = false;
  // HTTP: in match-precedence order (upstream's route sort), so among the routes of the chosen
  // hostname the first whose path matches wins. TCP/TLS: in attachment order.
  std::vector<Route> routes;
  // Settings a ClientTrafficPolicy writes.
  std::optional<TCPKeepalive> tcp_keepalive;
  std::optional<HeaderSettings> headers;
  std::optional<ProxyProtocol> proxy_protocol;
  std::optional<ClientIPDetection> client_ip_detection;
  bool merge_slashes = true;
  std::string escaped_slashes_action = "UnescapeAndRedirect";
  std::optional<bool> strip_trailing_host_dot;
  std::optional<HTTP1Settings> http1;
  std::optional<HTTP2Settings> http2;
  bool http3 = false;
  std::optional<GRPCSettings> grpc;
  std::optional<std::string> health_check_path;
  std::optional<ClientTimeout> timeout;
  std::optional<ClientConnection> connection;
  bool match_backend_scheme = false;
  // Which policy configured this listener ("" = none), for people and the data plane.
  std::string policy;

  bool isHTTP() const { return protocol == "HTTP" || protocol == "HTTPS"; }
  bool isTCP() const { return protocol == "TCP" || protocol == "TLS"; }
};

struct ProxyListener {
  std::string name;
  std::string protocol;  // HTTP, HTTPS, TLS, TCP, UDP
  uint32_t service_port = 0;
  uint32_t container_port = 0;
  bool http3 = false;
};

struct Gateway {
  std::string key;  // <ns>/<name>
  std::string ns, name;
  std::vector<Listener> listeners;  // in Gateway order, then ListenerSet listeners
  std::vector<ProxyListener> proxy_listeners;
  Listener* find(const std::string& listener_name);
};

}  // namespace ctplab::policy::ir
