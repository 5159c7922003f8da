// Decoding of ClientTrafficPolicy.spec (every field, unknown ones rejected) and of the policy
// target references all policy kinds share.
#include "decode.h"

namespace ctplab::policy {
namespace {

std::vector<TargetSelectorSpec::Expression> decodeExpressions(const Field& f) {
  std::vector<TargetSelectorSpec::Expression> out;
  for (const auto& e : f.items()) {
    e.rejectUnknown({"key", "operator", "values"});
    out.push_back(
        {e["key"].required("key"), e["operator"].required("operator"), e["values"].strings()});
  }
  return out;
}

}  // namespace

PolicyTargetRef decodeTargetRef(const Field& f) {
  f.rejectUnknown({"group", "kind", "name", "sectionName"});
  PolicyTargetRef r;
  if (!f.expectMap()) return r;
  r.group = f["group"].required("group");
  r.kind = f["kind"].required("kind");
  r.name = f["name"].required("name");
  r.section_name = f["sectionName"].str();
  return r;
}

TargetSelectorSpec decodeTargetSelector(const Field& f) {
  f.rejectUnknown({"group", "kind", "matchLabels", "matchExpressions", "namespaces"});
  TargetSelectorSpec s;
  s.group = f["group"].str();
  s.kind = f["kind"].required("kind");
  s.match_labels = f["matchLabels"].stringMap();
  s.match_expressions = decodeExpressions(f["matchExpressions"]);
  Field ns = f["namespaces"];
  if (ns.expectMap()) {
    ns.rejectUnknown({"from", "selector"});
    s.has_namespaces = true;
    s.namespaces_from = ns["from"].required("from");
    Field sel = ns["selector"];
    if (sel.expectMap()) {
      sel.rejectUnknown({"matchLabels", "matchExpressions"});
      s.has_namespace_selector = true;
      s.namespace_match_labels = sel["matchLabels"].stringMap();
      s.namespace_match_expressions = decodeExpressions(sel["matchExpressions"]);
    }
  }
  return s;
}

namespace {

StringMatchSpec decodeStringMatch(const Field& f) {
  f.rejectUnknown({"type", "value"});
  return {f["type"].str(), f["value"].required("value")};
}

std::vector<StringMatchSpec> decodeStringMatches(const Field& f) {
  std::vector<StringMatchSpec> out;
  for (const auto& item : f.items()) out.push_back(decodeStringMatch(item));
  return out;
}

std::optional<QuantityText> quantity(const Field& f) {
  auto text = f.intOrString();
  if (!text) return std::nullopt;
  if (!Quantity::parse(*text)) {
    f.error(
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    return std::nullopt;
  }
  return QuantityText{*text};
}

SecretObjectRef decodeSecretRef(const Field& f) {
  f.rejectUnknown({"group", "kind", "name", "namespace"});
  return {f["group"].str(), f["kind"].str(), f["name"].required("name"), f["namespace"].str()};
}

ClientValidationSpec decodeClientValidation(const Field& f) {
  f.rejectUnknown({"mode", "optional", "caCertificateRefs", "spkiHashes", "certificateHashes",
                   "subjectAltNames", "crl", "allowExpiredCertificate"});
  ClientValidationSpec v;
  v.mode = f["mode"].str();
  v.optional = f["optional"].boolean().value_or(false);
  for (const auto& r : f["caCertificateRefs"].items()) {
    v.ca_certificate_refs.push_back(decodeSecretRef(r));
  }
  v.spki_hashes = f["spkiHashes"].strings();
  v.certificate_hashes = f["certificateHashes"].strings();
  Field san = f["subjectAltNames"];
  if (san.expectMap()) {
    san.rejectUnknown({"dnsNames", "emailAddresses", "ipAddresses", "uris", "otherNames"});
    ClientValidationSpec::SubjectAltNames s;
    s.dns_names = decodeStringMatches(san["dnsNames"]);
    s.email_addresses = decodeStringMatches(san["emailAddresses"]);
    s.ip_addresses = decodeStringMatches(san["ipAddresses"]);
    s.uris = decodeStringMatches(san["uris"]);
    for (const auto& o : san["otherNames"].items()) {
      o.rejectUnknown({"oid", "type", "value"});
      s.other_names.push_back(
          {o["oid"].required("oid"), {o["type"].str(), o["value"].required("value")}});
    }
    v.subject_alt_names = std::move(s);
  }
  Field crl = f["crl"];
  if (crl.expectMap()) {
    crl.rejectUnknown({"refs", "onlyVerifyLeafCertificate"});
    ClientValidationSpec::Crl c;
    if (!crl["refs"].present()) crl["refs"].error("missing required field (refs)");
    for (const auto& r : crl["refs"].items()) c.refs.push_back(decodeSecretRef(r));
    c.only_verify_leaf = crl["onlyVerifyLeafCertificate"].boolean();
    v.crl = std::move(c);
  }
  v.allow_expired_certificate = f["allowExpiredCertificate"].boolean();
  return v;
}

ClientTLSSpec decodeTLS(const Field& f) {
  f.rejectUnknown({"minVersion", "maxVersion", "ciphers", "ecdhCurves", "signatureAlgorithms",
                   "alpnProtocols", "fingerprints", "clientValidation", "session"});
  ClientTLSSpec t;
  t.min_version = f["minVersion"].str();
  t.max_version = f["maxVersion"].str();
  t.ciphers = f["ciphers"].strings();
  t.ecdh_curves = f["ecdhCurves"].strings();
  t.signature_algorithms = f["signatureAlgorithms"].strings();
  if (f["alpnProtocols"].node().IsDefined() && !f["alpnProtocols"].node().IsNull()) {
    t.alpn_protocols = f["alpnProtocols"].strings();
  }
  if (f["fingerprints"].present()) t.fingerprints = f["fingerprints"].strings();
  if (f["clientValidation"].expectMap())
    t.client_validation = decodeClientValidation(f["clientValidation"]);
  Field session = f["session"];
  if (session.expectMap()) {
    session.rejectUnknown({"resumption"});
    Field r = session["resumption"];
    if (r.expectMap()) {
      r.rejectUnknown({"stateless", "stateful"});
      t.session_resumption_stateless = r["stateless"].node().IsDefined();
      t.session_resumption_stateful = r["stateful"].node().IsDefined();
    }
  }
  return t;
}

HTTPHeaderFilterSpec decodeHeaderFilter(const Field& f) {
  f.rejectUnknown({"set", "add", "addIfAbsent", "remove", "removeOnMatch"});
  HTTPHeaderFilterSpec h;
  auto values = [](const Field& list) {
    std::vector<HeaderValueSpec> out;
    for (const auto& item : list.items()) {
      item.rejectUnknown({"name", "value"});
      // An explicitly empty name is a translator error, so keep it rather than failing here.
      out.push_back({item["name"].str().value_or(""), item["value"].str().value_or("")});
    }
    return out;
  };
  h.set = values(f["set"]);
  h.add = values(f["add"]);
  h.add_if_absent = values(f["addIfAbsent"]);
  for (const auto& item : f["remove"].items()) {
    h.remove.push_back(item.present() ? item.str().value_or("") : "");
  }
  for (const auto& item : f["removeOnMatch"].items()) {
    item.rejectUnknown({"type", "value"});
    h.remove_on_match.push_back({item["type"].str(), item["value"].str().value_or("")});
  }
  return h;
}

HeaderSpec decodeHeaders(const Field& f) {
  f.rejectUnknown({"enableEnvoyHeaders", "disableRateLimitHeaders", "xForwardedClientCert",
                   "withUnderscoresAction", "preserveXRequestID", "requestID",
                   "earlyRequestHeaders", "lateResponseHeaders", "host", "maxRequestHeaderLimit"});
  HeaderSpec h;
  h.enable_envoy_headers = f["enableEnvoyHeaders"].boolean();
  h.disable_rate_limit_headers = f["disableRateLimitHeaders"].boolean();
  Field x = f["xForwardedClientCert"];
  if (x.expectMap()) {
    x.rejectUnknown({"mode", "certDetailsToAdd"});
    h.xfcc = HeaderSpec::Xfcc{x["mode"].str(), x["certDetailsToAdd"].strings()};
  }
  h.with_underscores_action = f["withUnderscoresAction"].str();
  h.preserve_x_request_id = f["preserveXRequestID"].boolean();
  h.request_id = f["requestID"].str();
  if (f["earlyRequestHeaders"].expectMap())
    h.early_request_headers = decodeHeaderFilter(f["earlyRequestHeaders"]);
  if (f["lateResponseHeaders"].expectMap())
    h.late_response_headers = decodeHeaderFilter(f["lateResponseHeaders"]);
  Field host = f["host"];
  if (host.expectMap()) {
    host.rejectUnknown({"stripTrailingHostDot"});
    h.has_host = true;
    h.strip_trailing_host_dot = host["stripTrailingHostDot"].boolean();
  }
  h.max_request_header_limit = quantity(f["maxRequestHeaderLimit"]);
  return h;
}

TimeoutSpec decodeTimeout(const Field& f) {
  f.rejectUnknown({"tcp", "http"});
  TimeoutSpec t;
  Field tcp = f["tcp"];
  if (tcp.expectMap()) {
    tcp.rejectUnknown({"idleTimeout", "tlsHandshakeTimeout", "connectionInspectionTimeout"});
    t.tcp = TimeoutSpec::Tcp{tcp["idleTimeout"].str(), tcp["tlsHandshakeTimeout"].str(),
                             tcp["connectionInspectionTimeout"].str()};
  }
  Field http = f["http"];
  if (http.expectMap()) {
    http.rejectUnknown({"requestReceivedTimeout", "requestHeadersReceivedTimeout", "idleTimeout",
                        "streamIdleTimeout"});
    t.http = TimeoutSpec::Http{http["requestReceivedTimeout"].str(),
                               http["requestHeadersReceivedTimeout"].str(),
                               http["idleTimeout"].str(), http["streamIdleTimeout"].str()};
  }
  return t;
}

ConnectionSpec decodeConnection(const Field& f) {
  f.rejectUnknown(
      {"connectionLimit", "bufferLimit", "socketBufferLimit", "maxAcceptPerSocketEvent"});
  ConnectionSpec c;
  Field l = f["connectionLimit"];
  if (l.expectMap()) {
    l.rejectUnknown({"value", "closeDelay", "maxConnectionDuration", "maxRequestsPerConnection",
                     "maxStreamDuration"});
    c.connection_limit = ConnectionSpec::Limit{
        l["value"].integer(), l["closeDelay"].str(), l["maxConnectionDuration"].str(),
        l["maxRequestsPerConnection"].uint32(), l["maxStreamDuration"].str()};
  }
  c.buffer_limit = quantity(f["bufferLimit"]);
  c.socket_buffer_limit = quantity(f["socketBufferLimit"]);
  c.max_accept_per_socket_event = f["maxAcceptPerSocketEvent"].uint32();
  return c;
}

HTTP1Spec decodeHTTP1(const Field& f) {
  f.rejectUnknown({"enableTrailers", "preserveHeaderCase", "http10",
                   "disableSafeMaxConnectionDuration", "ignoredUpgradeTypes"});
  HTTP1Spec h;
  h.enable_trailers = f["enableTrailers"].boolean();
  h.preserve_header_case = f["preserveHeaderCase"].boolean();
  Field h10 = f["http10"];
  if (h10.node().IsDefined() && (h10.node().IsNull() || h10.expectMap())) {
    h10.rejectUnknown({"useDefaultHost"});
    h.has_http10 = true;
    h.use_default_host = h10["useDefaultHost"].boolean();
  }
  h.disable_safe_max_connection_duration = f["disableSafeMaxConnectionDuration"].boolean();
  h.ignored_upgrade_types = decodeStringMatches(f["ignoredUpgradeTypes"]);
  return h;
}

HTTP2Spec decodeHTTP2(const Field& f) {
  f.rejectUnknown({"initialStreamWindowSize", "initialConnectionWindowSize", "maxConcurrentStreams",
                   "onInvalidMessage", "connectionKeepalive"});
  HTTP2Spec h;
  h.initial_stream_window_size = quantity(f["initialStreamWindowSize"]);
  h.initial_connection_window_size = quantity(f["initialConnectionWindowSize"]);
  h.max_concurrent_streams = f["maxConcurrentStreams"].uint32();
  h.on_invalid_message = f["onInvalidMessage"].str();
  Field k = f["connectionKeepalive"];
  if (k.expectMap()) {
    k.rejectUnknown({"interval", "timeout", "intervalJitter", "idleInterval"});
    h.connection_keepalive =
        HTTP2Spec::Keepalive{k["interval"].str(), k["timeout"].str(), k["idleInterval"].str(),
                             k["intervalJitter"].uint32()};
  }
  return h;
}

// Presence-only objects (`http3: {}`, `directSourceIP: {}`) count even when written as null.
bool presentObject(const Field& f) {
  if (!f.node().IsDefined()) return false;
  if (f.node().IsNull()) return true;
  return f.expectMap();
}

}  // namespace

void decodeClientTrafficPolicySpec(const Field& spec, ClientTrafficPolicySpec& out) {
  spec.rejectUnknown({"targetRef", "targetRefs", "targetSelectors", "tcpKeepalive",
                      "enableProxyProtocol", "proxyProtocol", "clientIPDetection", "tls", "path",
                      "headers", "timeout", "connection", "http1", "http2", "http3", "grpc",
                      "healthCheck", "scheme"});
  if (spec["targetRef"].present()) out.target_ref = decodeTargetRef(spec["targetRef"]);
  for (const auto& r : spec["targetRefs"].items()) out.target_refs.push_back(decodeTargetRef(r));
  for (const auto& s : spec["targetSelectors"].items()) {
    out.target_selectors.push_back(decodeTargetSelector(s));
  }
  Field ka = spec["tcpKeepalive"];
  if (presentObject(ka)) {
    ka.rejectUnknown({"probes", "idleTime", "interval"});
    out.tcp_keepalive =
        TCPKeepaliveSpec{ka["probes"].uint32(), ka["idleTime"].str(), ka["interval"].str()};
  }
  out.enable_proxy_protocol = spec["enableProxyProtocol"].boolean();
  Field pp = spec["proxyProtocol"];
  if (presentObject(pp)) {
    pp.rejectUnknown({"optional"});
    out.proxy_protocol = ProxyProtocolSpec{pp["optional"].boolean()};
  }
  Field ip = spec["clientIPDetection"];
  if (presentObject(ip)) {
    ip.rejectUnknown({"xForwardedFor", "customHeader", "directSourceIP"});
    out.has_client_ip_detection = true;
    Field xff = ip["xForwardedFor"];
    if (presentObject(xff)) {
      xff.rejectUnknown({"numTrustedHops", "trustedCIDRs", "disableXForwardedForAppend"});
      ClientIPDetectionSpec::XForwardedFor x;
      x.num_trusted_hops = xff["numTrustedHops"].uint32();
      if (xff["trustedCIDRs"].present()) x.trusted_cidrs = xff["trustedCIDRs"].strings();
      x.disable_append = xff["disableXForwardedForAppend"].boolean();
      out.client_ip_detection.xff = std::move(x);
    }
    Field ch = ip["customHeader"];
    if (presentObject(ch)) {
      ch.rejectUnknown({"name", "failClosed"});
      out.client_ip_detection.custom_header = ClientIPDetectionSpec::CustomHeader{
          ch["name"].required("name"), ch["failClosed"].boolean()};
    }
    out.client_ip_detection.direct_source_ip = presentObject(ip["directSourceIP"]);
  }
  if (presentObject(spec["tls"])) out.tls = decodeTLS(spec["tls"]);
  Field path = spec["path"];
  if (presentObject(path)) {
    path.rejectUnknown({"escapedSlashesAction", "disableMergeSlashes"});
    out.path = PathSpec{path["escapedSlashesAction"].str(), path["disableMergeSlashes"].boolean()};
  }
  if (presentObject(spec["headers"])) out.headers = decodeHeaders(spec["headers"]);
  if (presentObject(spec["timeout"])) out.timeout = decodeTimeout(spec["timeout"]);
  if (presentObject(spec["connection"])) out.connection = decodeConnection(spec["connection"]);
  if (presentObject(spec["http1"])) out.http1 = decodeHTTP1(spec["http1"]);
  if (presentObject(spec["http2"])) out.http2 = decodeHTTP2(spec["http2"]);
  out.http3 = presentObject(spec["http3"]);
  spec["http3"].rejectUnknown({});
  Field grpc = spec["grpc"];
  if (presentObject(grpc)) {
    grpc.rejectUnknown({"enableWeb"});
    out.grpc_enable_web = grpc["enableWeb"].boolean();
  }
  Field hc = spec["healthCheck"];
  if (presentObject(hc)) {
    hc.rejectUnknown({"path"});
    out.health_check_path = hc["path"].required("path");
  }
  out.scheme = spec["scheme"].str();
}

}  // namespace ctplab::policy
