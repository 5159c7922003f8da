#include "ctp_listener_translator.h"

#include <strings.h>

#include <regex>
#include <set>

#include "ctplab/policy/units.h"
#include "pki/go_strings.h"
#include "pki/pki.h"

namespace ctplab::policy {
namespace {

// Joined errors of one feature: the prefix appears once, before the first line.
struct ErrorGroup {
  std::vector<std::string> lines;
  void add(std::string line) { lines.push_back(std::move(line)); }
  bool empty() const { return lines.empty(); }
  std::string joined(const std::string& prefix) const {
    std::string out = prefix + ": ";
    for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
    return out;
  }
};

std::optional<Duration> parseOr(const std::optional<std::string>& text, const std::string& what,
                                std::string& error) {
  if (!text) return std::nullopt;
  auto parsed = parseGoDuration(*text);
  if (!parsed.value && error.empty()) error = "invalid " + what + " value " + *text;
  return parsed.value;
}

ir::StringMatch stringMatch(const std::string& name, const StringMatchSpec& m) {
  ir::StringMatch out;
  out.name = name;
  std::string type = m.type.value_or("Exact");
  if (type == "Prefix") {
    out.prefix = m.value;
  } else if (type == "Suffix") {
    out.suffix = m.value;
  } else if (type == "RegularExpression") {
    out.safe_regex = m.value;
  } else {
    out.exact = m.value;
  }
  return out;
}

std::optional<ir::TCPKeepalive> buildKeepalive(const ClientTrafficPolicySpec& spec,
                                               std::string& error) {
  if (!spec.tcp_keepalive) return std::nullopt;
  const auto& k = *spec.tcp_keepalive;
  ir::TCPKeepalive out;
  out.probes = k.probes;
  std::string err;
  if (auto d = parseOr(k.idle_time, "IdleTime", err)) {
    out.idle_time_s = static_cast<uint32_t>(d->wholeSeconds());
  }
  if (!err.empty()) {
    error = err;
    return std::nullopt;
  }
  if (auto d = parseOr(k.interval, "Interval", err)) {
    out.interval_s = static_cast<uint32_t>(d->wholeSeconds());
  }
  if (!err.empty()) {
    error = err;
    return std::nullopt;
  }
  return out;
}

std::optional<ir::ClientConnection> buildConnection(const ClientTrafficPolicySpec& spec,
                                                    std::string& error) {
  if (!spec.connection) return std::nullopt;
  const auto& c = *spec.connection;
  ir::ClientConnection out;
  if (c.connection_limit) {
    const auto& l = *c.connection_limit;
    ir::ConnectionLimit limit;
    if (l.value) limit.value = static_cast<uint64_t>(*l.value);
    std::string err;
    limit.close_delay = parseOr(l.close_delay, "CloseDelay", err);
    if (err.empty())
      limit.max_connection_duration =
          parseOr(l.max_connection_duration, "MaxConnectionDuration", err);
    if (err.empty()) limit.max_requests_per_connection = l.max_requests_per_connection;
    if (err.empty())
      limit.max_stream_duration = parseOr(l.max_stream_duration, "MaxStreamDuration", err);
    if (!err.empty()) {
      error = err;
      return std::nullopt;
    }
    out.limit = limit;
  }
  if (c.buffer_limit) {
    auto q = Quantity::parse(c.buffer_limit->text);
    // Plain values rather than optional<int64_t>: GCC's -Wmaybe-uninitialized misreads the latter.
    int64_t bytes = 0;
    bool parsed = false;
    if (q) {
      if (auto i = q->asInt64()) {
        bytes = *i;
        parsed = true;
      }
    }
    std::string shown = q ? q->toString() : c.buffer_limit->text;
    if (!parsed) {
      error = "invalid BufferLimit value " + shown;
      return std::nullopt;
    }
    if (bytes < 0 || bytes > 4294967295LL) {
      error = "BufferLimit value " + shown + " is out of range, must be between 0 and 4294967295";
      return std::nullopt;
    }
    out.buffer_limit_bytes = static_cast<uint32_t>(bytes);
  }
  out.max_accept_per_socket_event = c.max_accept_per_socket_event;
  return out;
}

std::optional<ir::ClientTimeout> buildTimeout(const ClientTrafficPolicySpec& spec,
                                              std::string& error) {
  if (!spec.timeout) return std::nullopt;
  ir::ClientTimeout out;
  std::string err;
  if (spec.timeout->tcp) {
    const auto& t = *spec.timeout->tcp;
    ir::ClientTimeout::Tcp tcp;
    tcp.idle_timeout = parseOr(t.idle_timeout, "TCP IdleTimeout", err);
    if (err.empty())
      tcp.tls_handshake_timeout = parseOr(t.tls_handshake_timeout, "TCP TLSHandshakeTimeout", err);
    if (err.empty())
      tcp.connection_inspection_timeout =
          parseOr(t.connection_inspection_timeout, "TCP ConnectionInspectionTimeout", err);
    out.tcp = tcp;
  }
  if (err.empty() && spec.timeout->http) {
    const auto& h = *spec.timeout->http;
    ir::ClientTimeout::Http http;
    http.request_received_timeout =
        parseOr(h.request_received_timeout, "HTTP RequestReceivedTimeout", err);
    if (err.empty()) http.idle_timeout = parseOr(h.idle_timeout, "HTTP IdleTimeout", err);
    if (err.empty())
      http.stream_idle_timeout = parseOr(h.stream_idle_timeout, "HTTP StreamIdleTimeout", err);
    if (err.empty())
      http.request_headers_received_timeout =
          parseOr(h.request_headers_received_timeout, "HTTP RequestHeadersReceivedTimeout", err);
    out.http = http;
  }
  if (!err.empty()) {
    error = err;
    return std::nullopt;
  }
  return out;
}

// Envoy Gateway's pattern ^[!-~]+([\t ]?[!-~]+)*$, checked in one pass: std::regex backtracks
// exponentially on its nested quantifiers (seconds for a 20-character value that fails).
bool validHeaderValue(const std::string& v) {
  if (v.empty()) return false;
  bool previous_blank = true;  // the value may not start with a blank
  for (unsigned char ch : v) {
    const bool visible = ch >= '!' && ch <= '~';
    const bool blank = ch == ' ' || ch == '\t';
    if (!visible && !blank) return false;
    if (blank && previous_blank) return false;  // at most one blank between visible runs
    previous_blank = blank;
  }
  return !previous_blank;  // nor end with one
}

void translateHeaderFilter(const HTTPHeaderFilterSpec& f, const std::string& mod,
                           std::vector<ir::AddHeader>& adds, std::vector<std::string>& removes,
                           std::vector<ir::StringMatch>& on_match, ErrorGroup& errs) {
  auto addAll = [&](const std::vector<HeaderValueSpec>& list, const char* op, bool append,
                    bool if_absent) {
    for (const auto& h : list) {
      if (h.name.empty()) {
        errs.add(mod + " cannot " + op + " a header with an empty name");
        continue;
      }
      if (h.name.find_first_of("/:") != std::string::npos) {
        errs.add(mod + " cannot " + op +
                 " a header with a '/' or ':' character in them. Header: '" + pki::goQuote(h.name) +
                 "'");
        continue;
      }
      if (!validHeaderValue(h.value)) {
        errs.add(mod + " cannot " + op + " a header with an invalid value. Header: '" +
                 pki::goQuote(h.name) + "'");
        continue;
      }
      bool dup = false;
      for (const auto& existing : adds) {
        dup = dup || strcasecmp(existing.name.c_str(), h.name.c_str()) == 0;
      }
      if (dup) continue;
      adds.push_back({h.name, {h.value}, append, if_absent});
    }
  };
  addAll(f.add, "add", true, false);
  addAll(f.set, "set", false, false);
  addAll(f.add_if_absent, "addIfAbsent", false, true);
  for (const auto& r : f.remove) {
    if (r.empty()) {
      errs.add(mod + " cannot remove a header with an empty name");
      continue;
    }
    bool dup = false;
    for (const auto& existing : removes) dup = dup || strcasecmp(existing.c_str(), r.c_str()) == 0;
    if (!dup) removes.push_back(r);
  }
  for (const auto& m : f.remove_on_match) {
    if (m.value.empty()) {
      errs.add(mod + " cannot remove a header with an empty matcher value");
      continue;
    }
    on_match.push_back(stringMatch("", m));
  }
  if (adds.empty() && removes.empty() && on_match.empty()) {
    errs.add(mod + " did not provide valid configuration to add/set/remove any headers");
  }
}

void translateHeaders(const HeaderSpec& h, ir::Listener& l, ErrorGroup& errs) {
  ir::HeaderSettings out;
  out.enable_envoy_headers = h.enable_envoy_headers.value_or(false);
  out.disable_rate_limit_headers = h.disable_rate_limit_headers.value_or(false);
  out.with_underscores_action = h.with_underscores_action.value_or("RejectRequest");
  if (h.request_id) {
    out.request_id = h.request_id;
  } else if (h.preserve_x_request_id.value_or(false)) {
    out.request_id = "PreserveOrGenerate";
  }
  if (h.xfcc) {
    ir::HeaderSettings::Xfcc x;
    x.mode = h.xfcc->mode.value_or("Sanitize");
    if (x.mode == "AppendForward" || x.mode == "SanitizeSet") {
      x.cert_details_to_add = h.xfcc->cert_details_to_add;
    }
    out.xfcc = x;
  }
  if (h.has_host && h.strip_trailing_host_dot)
    l.strip_trailing_host_dot = *h.strip_trailing_host_dot;
  if (h.max_request_header_limit) {
    auto q = Quantity::parse(h.max_request_header_limit->text);
    const int64_t bytes = q ? q->asInt64().value_or(-1) : -1;
    std::string shown = q ? q->toString() : h.max_request_header_limit->text;
    if (bytes < 1024) {
      errs.add("MaxRequestHeaderLimit value " + shown + " must be at least 1Ki");
    } else if (bytes > 8192LL * 1024) {
      errs.add("MaxRequestHeaderLimit value " + shown + " exceeds the maximum of 8192Ki");
    } else {
      out.max_request_headers_kb = static_cast<uint32_t>((bytes + 1023) / 1024);
    }
  }
  if (h.early_request_headers) {
    translateHeaderFilter(*h.early_request_headers, "EarlyRequestHeaders",
                          out.early_add_request_headers, out.early_remove_request_headers,
                          out.early_remove_on_match, errs);
  }
  if (h.late_response_headers) {
    translateHeaderFilter(*h.late_response_headers, "LateResponseHeaders",
                          out.late_add_response_headers, out.late_remove_response_headers,
                          out.late_remove_on_match, errs);
  }
  l.headers = std::move(out);
}

std::optional<std::string> translateHTTP1(const HTTP1Spec& h,
                                          const std::optional<ir::ClientConnection>& connection,
                                          ir::Listener& l) {
  ir::HTTP1Settings out;
  out.enable_trailers = h.enable_trailers.value_or(false);
  out.preserve_header_case = h.preserve_header_case.value_or(false);
  for (const auto& m : h.ignored_upgrade_types)
    out.ignored_upgrade_types.push_back(stringMatch("", m));
  if (connection && connection->limit && connection->limit->max_connection_duration) {
    out.disable_safe_max_connection_duration =
        h.disable_safe_max_connection_duration.value_or(false);
  }
  l.http1 = out;
  if (!h.has_http10) return std::nullopt;
  std::optional<std::string> default_host;
  if (h.use_default_host.value_or(false)) {
    for (const auto& hn : l.hostnames) {
      if (hn.find('*') == std::string::npos) {
        default_host = hn;
        break;
      }
    }
    if (!default_host) {
      int matching = 0;
      for (const auto& r : l.routes) {
        if (!r.hostname.empty() && r.hostname.find('*') == std::string::npos) {
          ++matching;
          default_host = r.hostname;
        }
        if (matching > 1) break;
      }
      if (matching == 0)
        return "cannot set http10 default host on listener with only wildcard hostnames";
      if (matching > 1) {
        return "cannot set http10 default host on listener with only wildcard hostnames and more "
               "than one possible default route";
      }
    }
  }
  l.http1->has_http10 = true;
  l.http1->http10_default_host = default_host;
  return std::nullopt;
}

std::optional<ir::HTTP2Settings> buildHTTP2(const HTTP2Spec& h, ErrorGroup& errs) {
  ir::HTTP2Settings out;
  auto window = [&](const std::optional<QuantityText>& text, const char* what,
                    std::optional<uint32_t>& slot) {
    if (!text) return;
    auto q = Quantity::parse(text->text);
    // Plain values rather than optional<int64_t>: GCC's -Wmaybe-uninitialized misreads the latter.
    int64_t v = 0;
    bool parsed = false;
    if (q) {
      if (auto i = q->asInt64()) {
        v = *i;
        parsed = true;
      }
    }
    std::string shown = q ? q->toString() : text->text;
    if (!parsed) {
      errs.add(std::string("invalid ") + what + " value " + shown);
    } else if (v < 65535 || v > 2147483647) {
      errs.add(std::string(what) + " value " + shown +
               " is out of range, must be between 65535 and 2147483647");
    } else {
      slot = static_cast<uint32_t>(v);
    }
  };
  window(h.initial_stream_window_size, "InitialStreamWindowSize", out.initial_stream_window_size);
  window(h.initial_connection_window_size, "InitialConnectionWindowSize",
         out.initial_connection_window_size);
  out.max_concurrent_streams = h.max_concurrent_streams;
  if (h.on_invalid_message == "TerminateStream") out.reset_stream_on_error = true;
  if (h.on_invalid_message == "TerminateConnection") out.reset_stream_on_error = false;
  if (h.connection_keepalive) {
    ir::HTTP2Settings::Keepalive k;
    auto dur = [&](const std::optional<std::string>& text, const char* what,
                   std::optional<Duration>& slot) {
      if (!text) return;
      auto p = parseGoDuration(*text);
      if (!p.value) {
        errs.add(std::string("invalid ConnectionKeepalive.") + what + ": " + p.error);
      } else {
        slot = p.value;
      }
    };
    dur(h.connection_keepalive->interval, "Interval", k.interval);
    dur(h.connection_keepalive->timeout, "Timeout", k.timeout);
    k.interval_jitter = h.connection_keepalive->interval_jitter;
    dur(h.connection_keepalive->idle_interval, "IdleInterval", k.idle_interval);
    out.connection_keepalive = k;
  }
  if (!errs.empty()) return std::nullopt;
  return out;
}

bool cipherAllowed(const std::string& c) {
  static const char* kAllowed[] = {"ECDHE-ECDSA-AES128-GCM-SHA256",
                                   "ECDHE-RSA-AES128-GCM-SHA256",
                                   "ECDHE-ECDSA-AES256-GCM-SHA384",
                                   "ECDHE-RSA-AES256-GCM-SHA384",
                                   "ECDHE-ECDSA-CHACHA20-POLY1305",
                                   "ECDHE-RSA-CHACHA20-POLY1305",
                                   "ECDHE-ECDSA-AES128-SHA",
                                   "ECDHE-RSA-AES128-SHA",
                                   "AES128-GCM-SHA256",
                                   "AES128-SHA",
                                   "ECDHE-ECDSA-AES256-SHA",
                                   "ECDHE-RSA-AES256-SHA",
                                   "AES256-GCM-SHA384",
                                   "AES256-SHA",
                                   "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                   "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                   "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                                   "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                                   "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                                   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                                   "TLS_RSA_WITH_AES_128_GCM_SHA256",
                                   "TLS_RSA_WITH_AES_128_CBC_SHA",
                                   "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                                   "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                                   "TLS_RSA_WITH_AES_256_GCM_SHA384",
                                   "TLS_RSA_WITH_AES_256_CBC_SHA"};
  for (const char* a : kAllowed) {
    if (c == a) return true;
  }
  return false;
}

// Reads the data of a CA or CRL reference (Secret, ConfigMap or ClusterTrustBundle).
std::optional<std::string> dataAtRef(const TranslationContext& ctx, const ClientTrafficPolicy& p,
                                     const SecretObjectRef& ref, const std::string& key,
                                     std::string& error) {
  std::string kind = ref.kind.value_or("Secret");
  std::string ns = ref.ns && !ref.ns->empty() ? *ref.ns : p.meta.ns;
  // Secret and ConfigMap references share upstream's validateSecretObjectRef checks.
  if ((kind == "Secret" || kind == "ConfigMap") && ref.group && !ref.group->empty()) {
    error = "secret ref group must be unspecified/empty";
    return std::nullopt;
  }
  auto pick = [&](const std::map<std::string, std::string>& data) -> std::optional<std::string> {
    auto it = data.find(key);
    if (it != data.end()) return it->second;
    if (data.size() == 1) return data.begin()->second;
    return std::nullopt;
  };
  auto refGrant = [&](const std::string& to_kind) {
    if (ns == p.meta.ns) return true;
    if (ctx.referenceAllowed("gateway.envoyproxy.io", "ClientTrafficPolicy", p.meta.ns, "", to_kind,
                             ns, ref.name)) {
      return true;
    }
    error =
        "ref to " + to_kind + " " + ns + "/" + ref.name + " not permitted by any ReferenceGrant";
    return false;
  };
  // Secrets and ConfigMaps: same checks, messages naming the kind in lower case.
  auto fromData =
      [&](const std::string& what,
          const std::map<std::string, std::string>* data) -> std::optional<std::string> {
    if (data == nullptr) {
      error = what + " " + ns + "/" + ref.name + " does not exist";
      return std::nullopt;
    }
    auto v = pick(*data);
    if (!v || v->empty()) {
      error = "ref " + what + " [" + ref.name + "] has none of the expected keys [" + key +
              "] and more than one entry";
      return std::nullopt;
    }
    return v;
  };
  if (kind == "Secret") {
    if (!refGrant("Secret")) return std::nullopt;
    const Secret* s = ctx.findSecret(ns, ref.name);
    return fromData("secret", s ? &s->data : nullptr);
  }
  if (kind == "ConfigMap") {
    if (!refGrant("ConfigMap")) return std::nullopt;
    const ConfigMap* c = ctx.findConfigMap(ns, ref.name);
    return fromData("configmap", c ? &c->data : nullptr);
  }
  if (kind == "ClusterTrustBundle") {
    const ClusterTrustBundle* b = ctx.findTrustBundle(ref.name);
    if (b == nullptr) {
      error = "ref ClusterTrustBundle [" + ref.name + "] not found";
      return std::nullopt;
    }
    return b->trust_bundle;
  }
  error = "unsupported ref kind:" + kind;
  return std::nullopt;
}

// Returns an error text (without the "TLS: " prefix) or nullopt. `tls` is the listener's config.
std::optional<std::string> buildTLS(const TranslationContext& ctx, const ClientTrafficPolicy& p,
                                    ir::TLSConfig& tls) {
  tls.min_version = "1.2";
  tls.max_version = "1.3";
  if (!p.spec.tls) return std::nullopt;
  const auto& t = *p.spec.tls;
  if (t.alpn_protocols) tls.alpn_protocols = *t.alpn_protocols;
  if (t.min_version) tls.min_version = *t.min_version;
  if (t.max_version) tls.max_version = *t.max_version;
  if (!t.ciphers.empty()) {
    for (const auto& c : t.ciphers) {
      if (!cipherAllowed(c)) return "unsupported cipher suite: " + c;
    }
    tls.ciphers = t.ciphers;
  }
  if (!t.ecdh_curves.empty()) tls.ecdh_curves = t.ecdh_curves;
  if (!t.signature_algorithms.empty()) tls.signature_algorithms = t.signature_algorithms;
  if (t.fingerprints) tls.fingerprints = *t.fingerprints;
  if (t.client_validation) {
    const auto& cv = *t.client_validation;
    std::string mode = "RequireAndVerify";
    if (cv.mode) {
      mode = *cv.mode;
    } else if (cv.optional) {
      mode = "VerifyIfGiven";
    }
    tls.client_validation_enabled = true;
    tls.require_client_certificate = mode == "RequireAny" || mode == "RequireAndVerify" ||
                                     (mode != "Request" && mode != "VerifyIfGiven");
    tls.accept_untrusted = mode == "Request" || mode == "RequireAny";
    std::string bundle;
    std::set<std::string> seen;
    for (const auto& ref : cv.ca_certificate_refs) {
      std::string error;
      auto data = dataAtRef(ctx, p, ref, "ca.crt", error);
      if (!data) return "failed to get certificate from ref: " + error;
      auto checked = pki::checkCaBundle(*data, ctx.options.now);
      if (checked.reason == pki::CertRefReason::kInvalidCertificateRef) {
        return pki::noValidCertificatesMessage(ref.name, checked);
      }
      bundle = pki::appendDedupPem(bundle, checked.pem, &seen);
    }
    if ((mode == "VerifyIfGiven" || mode == "RequireAndVerify") && bundle.empty()) {
      if (!cv.mode && cv.optional) {
        return "tls.clientValidation.optional=true requires caCertificateRefs (maps to mode "
               "\"" +
               mode + "\")";
      }
      return "tls.clientValidation.mode \"" + mode + "\" requires caCertificateRefs";
    }
    if (!bundle.empty()) {
      tls.ca_certificate =
          ir::TLSCertificate{p.meta.ns + "/" + p.meta.name + "/ca.crt", bundle, false, ""};
    }
    tls.verify_certificate_spki = cv.spki_hashes;
    tls.verify_certificate_hash = cv.certificate_hashes;
    tls.allow_expired_certificate = cv.allow_expired_certificate.value_or(false);
    if (cv.subject_alt_names) {
      const auto& san = *cv.subject_alt_names;
      for (const auto& m : san.dns_names)
        tls.match_typed_subject_alt_names.push_back(stringMatch("DNS", m));
      for (const auto& m : san.email_addresses)
        tls.match_typed_subject_alt_names.push_back(stringMatch("EMAIL", m));
      for (const auto& m : san.ip_addresses)
        tls.match_typed_subject_alt_names.push_back(stringMatch("IP_ADDRESS", m));
      for (const auto& m : san.uris)
        tls.match_typed_subject_alt_names.push_back(stringMatch("URI", m));
      for (const auto& o : san.other_names)
        tls.match_typed_subject_alt_names.push_back(stringMatch(o.oid, o.match));
    }
    if (cv.crl) {
      std::string data;
      for (const auto& ref : cv.crl->refs) {
        std::string error;
        auto crl = dataAtRef(ctx, p, ref, "ca.crl", error);
        if (!crl) return "failed to get crl from ref: " + error;
        auto checked = pki::checkCrl(*crl, ctx.options.now);
        if (!checked.ok) return "invalid crl in " + ref.name + ": " + checked.error;
        data += *crl;
      }
      if (!data.empty()) {
        tls.crl = ir::TLSConfig::Crl{p.meta.ns + "/" + p.meta.name + "/ca.crl", data,
                                     cv.crl->only_verify_leaf.value_or(false)};
      }
    }
  }
  tls.stateless_session_resumption = t.session_resumption_stateless;
  tls.stateful_session_resumption = t.session_resumption_stateful;
  return std::nullopt;
}

}  // namespace

bool disablesHTTP3ForClientValidation(const ClientTrafficPolicy& policy,
                                      const ir::Listener* listener) {
  return listener != nullptr && listener->isHTTP() && listener->tls && policy.spec.http3 &&
         policy.spec.tls && policy.spec.tls->client_validation;
}

std::vector<std::string> translatePolicyForListener(const TranslationContext& ctx,
                                                    const ClientTrafficPolicy& policy,
                                                    ir::Listener& l, ir::Gateway& gateway) {
  const auto& spec = policy.spec;
  std::vector<std::string> errs;
  std::string err;
  auto keepalive = buildKeepalive(spec, err);
  if (!err.empty()) errs.push_back("TCP KeepAlive: " + err);
  err.clear();
  auto connection = buildConnection(spec, err);
  if (!err.empty()) errs.push_back("Connection: " + err);
  err.clear();
  std::optional<ir::ProxyProtocol> proxy_protocol;
  if (spec.proxy_protocol) {
    proxy_protocol = ir::ProxyProtocol{spec.proxy_protocol->optional.value_or(false)};
  } else if (spec.enable_proxy_protocol.value_or(false)) {
    proxy_protocol = ir::ProxyProtocol{false};
  }
  auto timeout = buildTimeout(spec, err);
  if (!err.empty()) errs.push_back("Timeout: " + err);

  // The listener's TLS config is edited in place: upstream mutates it through a pointer, so
  // version/ALPN defaults stick even when a later TLS check fails.
  if (l.isHTTP()) {
    if (spec.has_client_ip_detection) l.client_ip_detection = spec.client_ip_detection;
    if (spec.headers) {
      ErrorGroup g;
      translateHeaders(*spec.headers, l, g);
      if (!g.empty()) errs.push_back(g.joined("Headers"));
    }
    if (spec.path) {
      if (spec.path->disable_merge_slashes) l.merge_slashes = !*spec.path->disable_merge_slashes;
      if (spec.path->escaped_slashes_action)
        l.escaped_slashes_action = *spec.path->escaped_slashes_action;
    }
    if (spec.http1) {
      if (auto e = translateHTTP1(*spec.http1, connection, l)) errs.push_back("HTTP1: " + *e);
    }
    if (spec.http2) {
      ErrorGroup g;
      auto h2 = buildHTTP2(*spec.http2, g);
      if (!g.empty()) {
        errs.push_back(g.joined("HTTP2"));
      } else {
        l.http2 = h2;
      }
    }
    if (l.tls && spec.http3 && !disablesHTTP3ForClientValidation(policy, &l)) {
      l.http3 = true;
      for (auto& pl : gateway.proxy_listeners) {
        if (pl.name == l.name) pl.http3 = true;
      }
    }
    if (spec.grpc_enable_web) {
      if (!l.grpc) l.grpc = ir::GRPCSettings{};
      l.grpc->enable_web = *spec.grpc_enable_web;
    }
    if (spec.health_check_path) l.health_check_path = spec.health_check_path;
    if (spec.scheme == "MatchBackend") l.match_backend_scheme = true;
    if (l.tls) {
      if (auto e = buildTLS(ctx, policy, *l.tls)) errs.push_back("TLS: " + *e);
    }
    if (!errs.empty()) {
      for (auto& r : l.routes) r.direct_response_500 = true;
      return errs;
    }
  } else if (l.isTCP()) {
    if (l.tls) {
      if (auto e = buildTLS(ctx, policy, *l.tls)) errs.push_back("TLS: " + *e);
    }
    if (!errs.empty()) {
      l.routes.clear();
      return errs;
    }
  } else {
    // UDP listeners: upstream finds neither an HTTP nor a TCP IR listener and drops the errors.
    return {};
  }
  l.tcp_keepalive = keepalive;
  l.connection = connection;
  l.proxy_protocol = proxy_protocol;
  l.timeout = timeout;
  l.policy = policy.meta.ns + "/" + policy.meta.name;
  return errs;
}

}  // namespace ctplab::policy
