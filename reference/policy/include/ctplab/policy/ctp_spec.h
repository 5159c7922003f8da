// ClientTrafficPolicy spec (gateway.envoyproxy.io/v1alpha1), every field, as written by the user.
// Durations and quantities keep their text: validation and translation interpret them later.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ctplab::policy {

struct LabelSelector;

struct PolicyTargetRef {
  std::string group;
  std::string kind;
  std::string name;
  std::optional<std::string> section_name;
};

struct TargetSelectorSpec {
  std::optional<std::string> group;
  std::string kind;
  std::map<std::string, std::string> match_labels;
  struct Expression {
    std::string key, op;
    std::vector<std::string> values;
  };
  std::vector<Expression> match_expressions;
  std::string namespaces_from = "Same";
  bool has_namespaces = false;
  bool has_namespace_selector = false;
  std::map<std::string, std::string> namespace_match_labels;
  std::vector<Expression> namespace_match_expressions;
};

// int-or-string Kubernetes quantity as written.
struct QuantityText {
  std::string text;
};

struct StringMatchSpec {
  std::optional<std::string> type;  // Exact (default), Prefix, Suffix, RegularExpression
  std::string value;
};

struct TCPKeepaliveSpec {
  std::optional<uint32_t> probes;
  std::optional<std::string> idle_time;
  std::optional<std::string> interval;
};

struct ProxyProtocolSpec {
  std::optional<bool> optional;
};

struct ClientIPDetectionSpec {
  struct XForwardedFor {
    std::optional<uint32_t> num_trusted_hops;
    std::optional<std::vector<std::string>> trusted_cidrs;
    std::optional<bool> disable_append;
  };
  struct CustomHeader {
    std::string name;
    std::optional<bool> fail_closed;
  };
  std::optional<XForwardedFor> xff;
  std::optional<CustomHeader> custom_header;
  bool direct_source_ip = false;
};

struct SecretObjectRef {
  std::optional<std::string> group;
  std::optional<std::string> kind;
  std::string name;
  std::optional<std::string> ns;
};

struct ClientValidationSpec {
  std::optional<std::string> mode;
  bool optional = false;
  std::vector<SecretObjectRef> ca_certificate_refs;
  std::vector<std::string> spki_hashes;
  std::vector<std::string> certificate_hashes;
  struct OtherName {
    std::string oid;
    StringMatchSpec match;
  };
  struct SubjectAltNames {
    std::vector<StringMatchSpec> dns_names, email_addresses, ip_addresses, uris;
    std::vector<OtherName> other_names;
  };
  std::optional<SubjectAltNames> subject_alt_names;
  struct Crl {
    std::vector<SecretObjectRef> refs;
    std::optional<bool> only_verify_leaf;
  };
  std::optional<Crl> crl;
  std::optional<bool> allow_expired_certificate;
};

struct ClientTLSSpec {
  std::optional<std::string> min_version;
  std::optional<std::string> max_version;
  std::vector<std::string> ciphers;
  std::vector<std::string> ecdh_curves;
  std::vector<std::string> signature_algorithms;
  std::optional<std::vector<std::string>> alpn_protocols;  // [] disables ALPN
  std::optional<std::vector<std::string>> fingerprints;
  std::optional<ClientValidationSpec> client_validation;
  bool session_resumption_stateless = false;
  bool session_resumption_stateful = false;
};

struct PathSpec {
  std::optional<std::string> escaped_slashes_action;
  std::optional<bool> disable_merge_slashes;
};

struct HeaderValueSpec {
  std::string name;
  std::string value;
};

struct HTTPHeaderFilterSpec {
  std::vector<HeaderValueSpec> set, add, add_if_absent;
  std::vector<std::string> remove;
  std::vector<StringMatchSpec> remove_on_match;
};

struct HeaderSpec {
  std::optional<bool> enable_envoy_headers;
  std::optional<bool> disable_rate_limit_headers;
  struct Xfcc {
    std::optional<std::string> mode;
    std::vector<std::string> cert_details_to_add;
  };
  std::optional<Xfcc> xfcc;
  std::optional<std::string> with_underscores_action;
  std::optional<bool> preserve_x_request_id;
  std::optional<std::string> request_id;
  std::optional<HTTPHeaderFilterSpec> early_request_headers;
  std::optional<HTTPHeaderFilterSpec> late_response_headers;
  bool has_host = false;
  std::optional<bool> strip_trailing_host_dot;
  std::optional<QuantityText> max_request_header_limit;
};

struct TimeoutSpec {
  struct Tcp {
    std::optional<std::string> idle_timeout, tls_handshake_timeout, connection_inspection_timeout;
  };
  struct Http {
    std::optional<std::string> request_received_timeout, request_headers_received_timeout,
        idle_timeout, stream_idle_timeout;
  };
  std::optional<Tcp> tcp;
  std::optional<Http> http;
};

struct ConnectionSpec {
  struct Limit {
    std::optional<int64_t> value;
    std::optional<std::string> close_delay;
    std::optional<std::string> max_connection_duration;
    std::optional<uint32_t> max_requests_per_connection;
    std::optional<std::string> max_stream_duration;
  };
  std::optional<Limit> connection_limit;
  std::optional<QuantityText> buffer_limit;
  std::optional<QuantityText> socket_buffer_limit;
  std::optional<uint32_t> max_accept_per_socket_event;
};

struct HTTP1Spec {
  std::optional<bool> enable_trailers;
  std::optional<bool> preserve_header_case;
  bool has_http10 = false;
  std::optional<bool> use_default_host;
  std::optional<bool> disable_safe_max_connection_duration;
  std::vector<StringMatchSpec> ignored_upgrade_types;
};

struct HTTP2Spec {
  std::optional<QuantityText> initial_stream_window_size;
  std::optional<QuantityText> initial_connection_window_size;
  std::optional<uint32_t> max_concurrent_streams;
  std::optional<std::string> on_invalid_message;
  struct Keepalive {
    std::optional<std::string> interval, timeout, idle_interval;
    std::optional<uint32_t> interval_jitter;
  };
  std::optional<Keepalive> connection_keepalive;
};

struct ClientTrafficPolicySpec {
  std::optional<PolicyTargetRef> target_ref;  // deprecated singular form
  std::vector<PolicyTargetRef> target_refs;
  std::vector<TargetSelectorSpec> target_selectors;
  std::optional<TCPKeepaliveSpec> tcp_keepalive;
  std::optional<bool> enable_proxy_protocol;
  std::optional<ProxyProtocolSpec> proxy_protocol;
  bool has_client_ip_detection = false;
  ClientIPDetectionSpec client_ip_detection;
  std::optional<ClientTLSSpec> tls;
  std::optional<PathSpec> path;
  std::optional<HeaderSpec> headers;
  std::optional<TimeoutSpec> timeout;
  std::optional<ConnectionSpec> connection;
  std::optional<HTTP1Spec> http1;
  std::optional<HTTP2Spec> http2;
  bool http3 = false;
  std::optional<std::optional<bool>> grpc_enable_web;  // outer: grpc present
  std::optional<std::string> health_check_path;
  std::optional<std::string> scheme;
};

}  // namespace ctplab::policy
