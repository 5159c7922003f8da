#include <openssl/evp.h>

#include "ctplab/policy/output.h"
#include "ctplab/policy/units.h"
#include "ratelimit_output.h"
#include "route_output.h"

namespace ctplab::policy {
namespace {

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Tree strings(const std::vector<std::string>& v) {
  Tree t = Tree::list();
  for (const auto& s : v) t.push(Tree::string(s));
  return t;
}

Tree dur(Duration d) { return Tree::string(formatGoDuration(d)); }

Tree addHeaders(const std::vector<ir::AddHeader>& v) {
  Tree t = Tree::list();
  for (const auto& h : v) {
    Tree e = Tree::map();
    e.set("name", Tree::string(h.name));
    e.set("value", strings(h.value));
    e.set("append", Tree::boolean(h.append));
    e.set("addIfAbsent", Tree::boolean(h.add_if_absent));
    t.push(std::move(e));
  }
  return t;
}

Tree tlsTree(const ir::TLSConfig& tls) {
  Tree t = Tree::map();
  if (!tls.certificates.empty()) {
    Tree certs = Tree::list();
    for (const auto& c : tls.certificates) {
      Tree e = Tree::map();
      e.set("name", Tree::string(c.name));
      e.set("certificate", Tree::string(base64(c.certificate_pem)));
      e.set("privateKey", Tree::string("[redacted]"));
      certs.push(std::move(e));
    }
    t.set("certificates", std::move(certs));
  }
  if (tls.ca_certificate) {
    Tree ca = Tree::map();
    ca.set("name", Tree::string(tls.ca_certificate->name));
    ca.set("certificate", Tree::string(base64(tls.ca_certificate->certificate_pem)));
    t.set("caCertificate", std::move(ca));
  }
  if (tls.require_client_certificate) t.set("requireClientCertificate", Tree::boolean(true));
  if (tls.client_validation_enabled) t.set("clientValidationEnabled", Tree::boolean(true));
  if (tls.accept_untrusted) t.set("acceptUntrusted", Tree::boolean(true));
  if (tls.allow_expired_certificate) t.set("allowExpiredCertificate", Tree::boolean(true));
  if (!tls.verify_certificate_spki.empty())
    t.set("verifyCertificateSpki", strings(tls.verify_certificate_spki));
  if (!tls.verify_certificate_hash.empty())
    t.set("verifyCertificateHash", strings(tls.verify_certificate_hash));
  if (tls.crl) {
    Tree c = Tree::map();
    c.set("name", Tree::string(tls.crl->name));
    c.set("data", Tree::string(base64(tls.crl->data)));
    if (tls.crl->only_verify_leaf) c.set("onlyVerifyLeafCertificate", Tree::boolean(true));
    t.set("crl", std::move(c));
  }
  if (!tls.match_typed_subject_alt_names.empty()) {
    t.set("matchTypedSubjectAltNames", matchList(tls.match_typed_subject_alt_names));
  }
  if (tls.min_version) t.set("minVersion", Tree::string(*tls.min_version));
  if (tls.max_version) t.set("maxVersion", Tree::string(*tls.max_version));
  if (!tls.ciphers.empty()) t.set("ciphers", strings(tls.ciphers));
  if (!tls.ecdh_curves.empty()) t.set("ecdhCurves", strings(tls.ecdh_curves));
  if (!tls.signature_algorithms.empty())
    t.set("signatureAlgorithms", strings(tls.signature_algorithms));
  t.set("alpnProtocols", tls.alpn_protocols ? strings(*tls.alpn_protocols) : Tree::null());
  if (tls.stateless_session_resumption) t.set("statelessSessionResumption", Tree::boolean(true));
  if (tls.stateful_session_resumption) t.set("statefulSessionResumption", Tree::boolean(true));
  if (!tls.fingerprints.empty()) t.set("fingerprints", strings(tls.fingerprints));
  return t;
}

Tree headersTree(const ir::HeaderSettings& h) {
  Tree t = Tree::map();
  if (h.enable_envoy_headers) t.set("enableEnvoyHeaders", Tree::boolean(true));
  if (h.disable_rate_limit_headers) t.set("disableRateLimitHeaders", Tree::boolean(true));
  if (h.xfcc) {
    Tree x = Tree::map();
    if (!h.xfcc->mode.empty()) x.set("mode", Tree::string(h.xfcc->mode));
    if (!h.xfcc->cert_details_to_add.empty())
      x.set("certDetailsToAdd", strings(h.xfcc->cert_details_to_add));
    t.set("xForwardedClientCert", std::move(x));
  }
  if (!h.with_underscores_action.empty())
    t.set("withUnderscoresAction", Tree::string(h.with_underscores_action));
  if (h.request_id) t.set("requestID", Tree::string(*h.request_id));
  if (!h.early_add_request_headers.empty())
    t.set("earlyAddRequestHeaders", addHeaders(h.early_add_request_headers));
  if (!h.early_remove_request_headers.empty())
    t.set("earlyRemoveRequestHeaders", strings(h.early_remove_request_headers));
  if (!h.early_remove_on_match.empty())
    t.set("earlyRemoveRequestHeadersOnMatch", matchList(h.early_remove_on_match));
  if (!h.late_add_response_headers.empty())
    t.set("lateAddResponseHeaders", addHeaders(h.late_add_response_headers));
  if (!h.late_remove_response_headers.empty())
    t.set("lateRemoveResponseHeaders", strings(h.late_remove_response_headers));
  if (!h.late_remove_on_match.empty())
    t.set("lateRemoveResponseHeadersOnMatch", matchList(h.late_remove_on_match));
  if (h.max_request_headers_kb)
    t.set("maxRequestHeadersKB", Tree::integer(*h.max_request_headers_kb));
  return t;
}

Tree timeoutTree(const ir::ClientTimeout& to) {
  Tree t = Tree::map();
  if (to.tcp) {
    Tree tcp = Tree::map();
    if (to.tcp->idle_timeout) tcp.set("idleTimeout", dur(*to.tcp->idle_timeout));
    if (to.tcp->tls_handshake_timeout)
      tcp.set("tlsHandshakeTimeout", dur(*to.tcp->tls_handshake_timeout));
    if (to.tcp->connection_inspection_timeout) {
      tcp.set("connectionInspectionTimeout", dur(*to.tcp->connection_inspection_timeout));
    }
    t.set("tcp", std::move(tcp));
  }
  if (to.http) {
    Tree http = Tree::map();
    if (to.http->request_received_timeout)
      http.set("requestReceivedTimeout", dur(*to.http->request_received_timeout));
    if (to.http->request_headers_received_timeout) {
      http.set("requestHeadersReceivedTimeout", dur(*to.http->request_headers_received_timeout));
    }
    if (to.http->idle_timeout) http.set("idleTimeout", dur(*to.http->idle_timeout));
    if (to.http->stream_idle_timeout)
      http.set("streamIdleTimeout", dur(*to.http->stream_idle_timeout));
    t.set("http", std::move(http));
  }
  return t;
}

Tree connectionTree(const ir::ClientConnection& c) {
  Tree t = Tree::map();
  if (c.limit) {
    Tree l = Tree::map();
    if (c.limit->value) l.set("value", Tree::integer(static_cast<int64_t>(*c.limit->value)));
    if (c.limit->close_delay) l.set("closeDelay", dur(*c.limit->close_delay));
    if (c.limit->max_connection_duration)
      l.set("maxConnectionDuration", dur(*c.limit->max_connection_duration));
    if (c.limit->max_requests_per_connection) {
      l.set("maxRequestsPerConnection", Tree::integer(*c.limit->max_requests_per_connection));
    }
    if (c.limit->max_stream_duration)
      l.set("maxStreamDuration", dur(*c.limit->max_stream_duration));
    t.set("limit", std::move(l));
  }
  if (c.buffer_limit_bytes) t.set("bufferLimit", Tree::integer(*c.buffer_limit_bytes));
  if (c.max_accept_per_socket_event) {
    t.set("maxAcceptPerSocketEvent", Tree::integer(*c.max_accept_per_socket_event));
  }
  return t;
}

}  // namespace

Tree listenerToTree(const ir::Listener& l, const TranslationResult* result) {
  Tree t = Tree::map();
  t.set("name", Tree::string(l.name));
  t.set("address", Tree::string(l.address));
  if (l.ip_family) t.set("ipFamily", Tree::string(*l.ip_family));
  t.set("port", Tree::integer(l.port));
  if (l.external_port) t.set("externalPort", Tree::integer(l.external_port));
  Tree md = Tree::map();
  md.set("kind", Tree::string(l.metadata.kind));
  md.set("name", Tree::string(l.metadata.name));
  md.set("namespace", Tree::string(l.metadata.ns));
  md.set("sectionName", Tree::string(l.metadata.section_name));
  t.set("metadata", std::move(md));
  if (l.isHTTP()) t.set("hostnames", strings(l.hostnames));
  if (l.tls) t.set("tls", tlsTree(*l.tls));
  if (l.tls_overlaps) t.set("tlsOverlaps", Tree::boolean(true));
  if (l.tcp_keepalive) {
    Tree k = Tree::map();
    if (l.tcp_keepalive->probes) k.set("probes", Tree::integer(*l.tcp_keepalive->probes));
    if (l.tcp_keepalive->idle_time_s)
      k.set("idleTime", Tree::integer(*l.tcp_keepalive->idle_time_s));
    if (l.tcp_keepalive->interval_s) k.set("interval", Tree::integer(*l.tcp_keepalive->interval_s));
    t.set("tcpKeepalive", std::move(k));
  }
  if (l.proxy_protocol) {
    Tree p = Tree::map();
    if (l.proxy_protocol->optional) p.set("optional", Tree::boolean(true));
    t.set("proxyProtocol", std::move(p));
  }
  if (l.timeout) t.set("timeout", timeoutTree(*l.timeout));
  if (l.connection) t.set("connection", connectionTree(*l.connection));
  if (!l.isHTTP()) {
    if (!l.routes.empty()) {
      Tree routes = Tree::list();
      for (const auto& r : l.routes) routes.push(routeToTree(r, false, result));
      t.set("routes", std::move(routes));
    }
    return t;
  }
  if (l.headers) t.set("headers", headersTree(*l.headers));
  if (l.client_ip_detection) {
    const auto& d = *l.client_ip_detection;
    Tree c = Tree::map();
    if (d.xff) {
      Tree x = Tree::map();
      if (d.xff->num_trusted_hops) x.set("numTrustedHops", Tree::integer(*d.xff->num_trusted_hops));
      if (d.xff->trusted_cidrs) x.set("trustedCIDRs", strings(*d.xff->trusted_cidrs));
      if (d.xff->disable_append)
        x.set("disableXForwardedForAppend", Tree::boolean(*d.xff->disable_append));
      c.set("xForwardedFor", std::move(x));
    }
    if (d.custom_header) {
      Tree h = Tree::map();
      h.set("name", Tree::string(d.custom_header->name));
      if (d.custom_header->fail_closed)
        h.set("failClosed", Tree::boolean(*d.custom_header->fail_closed));
      c.set("customHeader", std::move(h));
    }
    if (d.direct_source_ip) c.set("directSourceIP", Tree::map());
    t.set("clientIPDetection", std::move(c));
  }
  Tree path = Tree::map();
  path.set("mergeSlashes", Tree::boolean(l.merge_slashes));
  path.set("escapedSlashesAction", Tree::string(l.escaped_slashes_action));
  t.set("path", std::move(path));
  if (l.strip_trailing_host_dot) {
    Tree h = Tree::map();
    if (*l.strip_trailing_host_dot) h.set("stripTrailingHostDot", Tree::boolean(true));
    t.set("host", std::move(h));
  }
  if (l.http1) {
    Tree h = Tree::map();
    if (l.http1->enable_trailers) h.set("enableTrailers", Tree::boolean(true));
    if (l.http1->preserve_header_case) h.set("preserveHeaderCase", Tree::boolean(true));
    if (l.http1->has_http10) {
      Tree h10 = Tree::map();
      if (l.http1->http10_default_host)
        h10.set("defaultHost", Tree::string(*l.http1->http10_default_host));
      h.set("http10", std::move(h10));
    }
    if (l.http1->disable_safe_max_connection_duration) {
      h.set("disableSafeMaxConnectionDuration", Tree::boolean(true));
    }
    if (!l.http1->ignored_upgrade_types.empty())
      h.set("ignoredUpgradeTypes", matchList(l.http1->ignored_upgrade_types));
    t.set("http1", std::move(h));
  }
  if (l.http2) {
    Tree h = Tree::map();
    // Envoy Gateway's IR swaps the JSON names of the two window sizes; the goldens carry that.
    if (l.http2->initial_stream_window_size) {
      h.set("initialConnectionWindowSize", Tree::integer(*l.http2->initial_stream_window_size));
    }
    if (l.http2->initial_connection_window_size) {
      h.set("initialStreamWindowSize", Tree::integer(*l.http2->initial_connection_window_size));
    }
    if (l.http2->max_concurrent_streams)
      h.set("maxConcurrentStreams", Tree::integer(*l.http2->max_concurrent_streams));
    if (l.http2->reset_stream_on_error)
      h.set("resetStreamOnError", Tree::boolean(*l.http2->reset_stream_on_error));
    if (l.http2->connection_keepalive) {
      const auto& k = *l.http2->connection_keepalive;
      Tree ka = Tree::map();
      if (k.interval) ka.set("interval", dur(*k.interval));
      if (k.timeout) ka.set("timeout", dur(*k.timeout));
      if (k.interval_jitter) ka.set("intervalJitter", Tree::integer(*k.interval_jitter));
      if (k.idle_interval) ka.set("idleInterval", dur(*k.idle_interval));
      h.set("connectionKeepalive", std::move(ka));
    }
    t.set("http2", std::move(h));
  }
  if (l.http3) t.set("http3", Tree::map());
  if (l.grpc) {
    Tree g = Tree::map();
    if (l.grpc->enable_web) g.set("enableGRPCWeb", Tree::boolean(*l.grpc->enable_web));
    if (l.grpc->enable_stats) g.set("enableGRPCStats", Tree::boolean(*l.grpc->enable_stats));
    t.set("grpc", std::move(g));
  }
  if (l.health_check_path) {
    Tree h = Tree::map();
    h.set("path", Tree::string(*l.health_check_path));
    t.set("healthCheck", std::move(h));
  }
  if (l.match_backend_scheme) t.set("matchBackendScheme", Tree::boolean(true));
  if (!l.routes.empty()) {
    Tree routes = Tree::list();
    for (const auto& r : l.routes) routes.push(routeToTree(r, true, result));
    t.set("routes", std::move(routes));
  }
  return t;
}

namespace {

Tree conditionTree(const Condition& c, bool with_generation) {
  Tree t = Tree::map();
  t.set("type", Tree::string(c.type));
  t.set("status", Tree::string(c.status));
  t.set("reason", Tree::string(c.reason));
  t.set("message", Tree::string(c.message));
  t.set("lastTransitionTime", Tree::null());
  if (with_generation && c.observed_generation)
    t.set("observedGeneration", Tree::integer(c.observed_generation));
  return t;
}

Tree listenerStatusesTree(const std::vector<ListenerStatus>& statuses) {
  Tree listeners = Tree::list();
  for (const auto& ls : statuses) {
    Tree e = Tree::map();
    e.set("name", Tree::string(ls.name));
    e.set("attachedRoutes", Tree::integer(ls.attached_routes));
    Tree kinds = Tree::list();
    for (const auto& [group, kind] : ls.supported_kinds) {
      Tree k = Tree::map();
      k.set("group", Tree::string(group));
      k.set("kind", Tree::string(kind));
      kinds.push(std::move(k));
    }
    e.set("supportedKinds", std::move(kinds));
    Tree conds = Tree::list();
    for (const auto& c : ls.conditions) conds.push(conditionTree(c, false));
    e.set("conditions", std::move(conds));
    listeners.push(std::move(e));
  }
  return listeners;
}

Tree policyStatusTree(const PolicyStatus& s) {
  Tree ancestors = Tree::list();
  for (const auto& a : s.ancestors()) {
    Tree ref = Tree::map();
    ref.set("group", Tree::string(a.ref.group));
    ref.set("kind", Tree::string(a.ref.kind));
    ref.set("namespace", Tree::string(a.ref.ns));
    ref.set("name", Tree::string(a.ref.name));
    if (a.ref.section_name) ref.set("sectionName", Tree::string(*a.ref.section_name));
    Tree e = Tree::map();
    e.set("ancestorRef", std::move(ref));
    e.set("controllerName", Tree::string(a.controller_name));
    Tree conds = Tree::list();
    for (const auto& c : a.conditions) conds.push(conditionTree(c, true));
    e.set("conditions", std::move(conds));
    ancestors.push(std::move(e));
  }
  Tree status = Tree::map();
  status.set("ancestors", ancestors.items().empty() ? Tree::null() : std::move(ancestors));
  return status;
}

}  // namespace

Tree translationToTree(const TranslationResult& result) {
  Tree root = Tree::map();
  Tree policies = Tree::list();
  for (const auto& r : result.policies) {
    Tree p = r.policy->raw;
    p.set("status", policyStatusTree(r.status));
    policies.push(std::move(p));
  }
  if (!policies.items().empty()) root.set("clientTrafficPolicies", std::move(policies));
  Tree security_policies = Tree::list();
  for (const auto& r : result.security_policies) {
    if (!r.handled) continue;  // upstream lists only the policies it handled
    Tree p = r.policy->raw;
    p.set("status", policyStatusTree(r.status));
    security_policies.push(std::move(p));
  }
  if (!security_policies.items().empty()) {
    root.set("securityPolicies", std::move(security_policies));
  }
  Tree backend_traffic_policies = Tree::list();
  for (const auto& r : result.backend_traffic_policies) {
    if (!r.handled) continue;  // upstream lists only the policies it handled
    Tree p = r.policy->raw;
    p.set("status", policyStatusTree(r.status));
    backend_traffic_policies.push(std::move(p));
  }
  if (!backend_traffic_policies.items().empty()) {
    root.set("backendTrafficPolicies", std::move(backend_traffic_policies));
  }

  Tree gateways = Tree::list();
  Tree xds = Tree::map();
  Tree infra = Tree::map();
  for (const auto& g : result.gateways) {
    Tree gw = g.gateway->raw;
    if (g.accepted) {
      Tree status = Tree::map();
      status.set("listeners", listenerStatusesTree(g.listener_statuses));
      gw.set("status", std::move(status));
    }
    gateways.push(std::move(gw));
  }
  for (const auto& ir : result.irs) {
    {
      Tree x = Tree::map();
      Tree http = Tree::list(), tcp = Tree::list(), udp = Tree::list();
      for (const auto& l : ir.listeners) {
        if (l.isHTTP()) {
          http.push(listenerToTree(l, &result));
        } else if (l.isTCP()) {
          tcp.push(listenerToTree(l, &result));
        } else {
          udp.push(listenerToTree(l, &result));
        }
      }
      if (!http.items().empty()) x.set("http", std::move(http));
      if (!tcp.items().empty()) x.set("tcp", std::move(tcp));
      if (!udp.items().empty()) x.set("udp", std::move(udp));
      xds.set(ir.key, std::move(x));

      Tree proxy_listeners = Tree::list();
      for (const auto& pl : ir.proxy_listeners) {
        Tree e = Tree::map();
        e.set("name", Tree::string(pl.name));
        Tree port = Tree::map();
        std::string proto = pl.protocol;
        std::string lower = proto;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        port.set("name", Tree::string(lower + "-" + std::to_string(pl.service_port)));
        port.set("protocol", Tree::string(proto));
        port.set("servicePort", Tree::integer(pl.service_port));
        port.set("containerPort", Tree::integer(pl.container_port));
        Tree ports = Tree::list();
        ports.push(std::move(port));
        e.set("ports", std::move(ports));
        if (pl.http3) e.set("http3", Tree::map());
        proxy_listeners.push(std::move(e));
      }
      Tree proxy = Tree::map();
      proxy.set("name", Tree::string(ir.key));
      proxy.set("listeners", std::move(proxy_listeners));
      Tree inf = Tree::map();
      inf.set("proxy", std::move(proxy));
      infra.set(ir.key, std::move(inf));
    }
  }
  if (!gateways.items().empty()) root.set("gateways", std::move(gateways));
  Tree listener_sets = Tree::list();
  for (const auto& r : result.listener_sets) {
    Tree ls = r.listener_set->raw;
    Tree status = Tree::map();
    Tree conds = Tree::list();
    for (const auto& c : r.conditions) conds.push(conditionTree(c, true));
    status.set("conditions", std::move(conds));
    status.set("listeners", listenerStatusesTree(r.listener_statuses));
    ls.set("status", std::move(status));
    listener_sets.push(std::move(ls));
  }
  if (!listener_sets.items().empty()) root.set("listenerSets", std::move(listener_sets));
  root.set("infraIR", std::move(infra));
  root.set("xdsIR", std::move(xds));
  return root;
}

}  // namespace ctplab::policy
