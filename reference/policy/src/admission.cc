// API-server admission rules for ClientTrafficPolicy: the CEL rules and schema markers of the
// CRD, with the API server's message format `<path>: Invalid value: ...: <message>`.
#include <cctype>
#include <regex>
#include <set>

#include "admission_checker.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/units.h"

namespace ctplab::policy {
namespace {

int minRank(const std::string& v) {
  if (v == "Auto") return 0;
  if (v == "1.0") return 1;
  if (v == "1.1") return 2;
  if (v == "1.2") return 3;
  if (v == "1.3") return 4;
  return -1;
}

int maxRank(const std::string& v) {
  if (v == "Auto") return 5;
  return minRank(v);
}

bool validCIDR(const std::string& s) {
  static const std::regex v4(
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]"
      "?"
      "[0-9])/([0-9]|[12][0-9]|3[0-2])$");
  static const std::regex v6(
      "^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$");
  return std::regex_match(s, v4) || std::regex_match(s, v6);
}

void checkTargets(const ClientTrafficPolicySpec& s, Checker& c) {
  bool ok = (s.target_ref.has_value() != !s.target_refs.empty()) || !s.target_selectors.empty();
  if (!ok) c.cel("spec", "either targetRef or targetRefs must be used");
  if (s.target_ref) {
    if (s.target_ref->group != "gateway.networking.k8s.io") {
      c.cel("spec", "this policy can only have a targetRef.group of gateway.networking.k8s.io");
    }
    if (s.target_ref->kind != "Gateway" && s.target_ref->kind != "ListenerSet") {
      c.cel("spec", "this policy can only have a targetRef.kind of Gateway or ListenerSet");
    }
  }
  bool group_ok = true, kind_ok = true;
  for (const auto& r : s.target_refs) {
    group_ok = group_ok && r.group == "gateway.networking.k8s.io";
    kind_ok = kind_ok && (r.kind == "Gateway" || r.kind == "ListenerSet");
  }
  if (!group_ok) {
    c.cel("spec", "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io");
  }
  if (!kind_ok)
    c.cel("spec", "this policy can only have a targetRefs[*].kind of Gateway or ListenerSet");
  c.targetSelectors(s.target_selectors);
}

void checkTLS(const ClientTLSSpec& t, Checker& c) {
  c.enumeration("spec.tls.minVersion", t.min_version, {"Auto", "1.0", "1.1", "1.2", "1.3"});
  c.enumeration("spec.tls.maxVersion", t.max_version, {"Auto", "1.0", "1.1", "1.2", "1.3"});
  if (t.min_version == "1.3" && !t.ciphers.empty()) {
    c.cel("spec.tls", "setting ciphers has no effect if the minimum possible TLS version is 1.3");
  }
  bool versions_ok = true;
  if (t.min_version && t.max_version) {
    versions_ok = minRank(*t.min_version) <= maxRank(*t.max_version);
  } else if (t.max_version) {
    versions_ok = maxRank(*t.max_version) >= 3;
  }
  if (!versions_ok) c.cel("spec.tls", "minVersion must be smaller or equal to maxVersion");
  if (t.fingerprints) {
    for (size_t i = 0; i < t.fingerprints->size(); ++i) {
      c.enumeration("spec.tls.fingerprints[" + std::to_string(i) + "]", (*t.fingerprints)[i],
                    {"JA3", "JA4"});
    }
  }
  if (t.client_validation) {
    const auto& v = *t.client_validation;
    c.enumeration("spec.tls.clientValidation.mode", v.mode,
                  {"Request", "RequireAny", "VerifyIfGiven", "RequireAndVerify"});
    if (v.allow_expired_certificate.value_or(false) && v.mode && *v.mode != "VerifyIfGiven" &&
        *v.mode != "RequireAndVerify") {
      c.cel(
          "spec.tls.clientValidation",
          "allowExpiredCertificate can only be set when mode is VerifyIfGiven or RequireAndVerify");
    }
    c.maxItems("spec.tls.clientValidation.caCertificateRefs", v.ca_certificate_refs.size(), 8);
    if (v.crl) {
      c.minItems("spec.tls.clientValidation.crl.refs", v.crl->refs.size(), 1);
      c.maxItems("spec.tls.clientValidation.crl.refs", v.crl->refs.size(), 8);
    }
  }
}

// HTTP token characters: what the schema's header-name pattern allows.
bool isHeaderNameToken(const std::string& name) {
  static const std::string kExtra = "!#$%&'*+-.^_`|~";
  for (unsigned char ch : name) {
    if (!std::isalnum(ch) && kExtra.find(static_cast<char>(ch)) == std::string::npos) return false;
  }
  return true;
}

void checkHeaderName(const std::string& path, const std::string& name, Checker& c) {
  c.length(path, name, 1, 256);
  if (!name.empty() && !isHeaderNameToken(name)) {
    c.pattern(path, name, "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$");
  }
}

// The HTTPHeaderFilter schema (spec 1.3.6): lists of 1..64, names of 1..256 token characters,
// values of 1..4096, and set/add/addIfAbsent as list-maps keyed by name (no duplicates).
void checkHeaderFilter(const std::string& base, const HTTPHeaderFilterSpec& f, Checker& c) {
  auto values = [&](const char* key, const std::vector<HeaderValueSpec>& items) {
    const std::string list = base + "." + key;
    c.maxItems(list, items.size(), 64);
    std::set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string item = list + "[" + std::to_string(i) + "]";
      checkHeaderName(item + ".name", items[i].name, c);
      c.length(item + ".value", items[i].value, 1, 4096);
      if (!seen.insert(items[i].name).second) {
        c.errors.push_back(item + ": Duplicate value: map[string]interface {}{\"name\":\"" +
                           items[i].name + "\"}");
      }
    }
  };
  values("set", f.set);
  values("add", f.add);
  values("addIfAbsent", f.add_if_absent);
  c.maxItems(base + ".remove", f.remove.size(), 64);
  for (size_t i = 0; i < f.remove.size(); ++i) {
    checkHeaderName(base + ".remove[" + std::to_string(i) + "]", f.remove[i], c);
  }
  c.maxItems(base + ".removeOnMatch", f.remove_on_match.size(), 64);
}

void checkHeaders(const HeaderSpec& h, Checker& c) {
  if (h.early_request_headers) {
    checkHeaderFilter("spec.headers.earlyRequestHeaders", *h.early_request_headers, c);
  }
  if (h.late_response_headers) {
    checkHeaderFilter("spec.headers.lateResponseHeaders", *h.late_response_headers, c);
  }
  if (h.xfcc) {
    c.maxItems("spec.headers.xForwardedClientCert.certDetailsToAdd",
               h.xfcc->cert_details_to_add.size(), 5);
    for (size_t i = 0; i < h.xfcc->cert_details_to_add.size(); ++i) {
      c.enumeration("spec.headers.xForwardedClientCert.certDetailsToAdd[" + std::to_string(i) + "]",
                    h.xfcc->cert_details_to_add[i], {"Subject", "Cert", "Chain", "DNS", "URI"});
    }
    c.enumeration("spec.headers.xForwardedClientCert.mode", h.xfcc->mode,
                  {"Sanitize", "ForwardOnly", "AppendForward", "SanitizeSet", "AlwaysForwardOnly"});
    if (!h.xfcc->cert_details_to_add.empty() &&
        (!h.xfcc->mode || (*h.xfcc->mode != "AppendForward" && *h.xfcc->mode != "SanitizeSet"))) {
      c.cel("spec.headers.xForwardedClientCert",
            "certDetailsToAdd can only be set when mode is AppendForward or SanitizeSet");
    }
  }
  if (h.preserve_x_request_id && h.request_id) {
    c.cel("spec.headers", "preserveXRequestID and requestID cannot both be set.");
  }
  c.enumeration("spec.headers.withUnderscoresAction", h.with_underscores_action,
                {"Allow", "RejectRequest", "DropHeader"});
  c.enumeration("spec.headers.requestID", h.request_id,
                {"PreserveOrGenerate", "Preserve", "Generate", "Disable"});
  c.quantity("spec.headers.maxRequestHeaderLimit", h.max_request_header_limit);
}

}  // namespace

std::vector<std::string> admissionErrors(const ClientTrafficPolicySpec& s) {
  Checker c;
  checkTargets(s, c);
  if (s.has_client_ip_detection) {
    const auto& d = s.client_ip_detection;
    int set = (d.xff ? 1 : 0) + (d.custom_header ? 1 : 0) + (d.direct_source_ip ? 1 : 0);
    if (set != 1) {
      c.cel("spec.clientIPDetection",
            "exactly one of xForwardedFor, customHeader, or directSourceIP must be set");
    }
    if (d.xff && (d.xff->num_trusted_hops.has_value() == d.xff->trusted_cidrs.has_value())) {
      c.cel("spec.clientIPDetection.xForwardedFor",
            "only one of numTrustedHops or trustedCIDRs must be set");
    }
    if (d.xff && d.xff->trusted_cidrs) {
      c.minItems("spec.clientIPDetection.xForwardedFor.trustedCIDRs", d.xff->trusted_cidrs->size(),
                 1);
      for (size_t i = 0; i < d.xff->trusted_cidrs->size(); ++i) {
        const auto& cidr = (*d.xff->trusted_cidrs)[i];
        if (!validCIDR(cidr)) {
          c.pattern("spec.clientIPDetection.xForwardedFor.trustedCIDRs[" + std::to_string(i) + "]",
                    cidr, "<CIDR>");
        }
      }
    }
    if (d.custom_header) {
      static const std::regex re("^[A-Za-z0-9-]+$");
      const auto& n = d.custom_header->name;
      if (n.empty() || n.size() > 255 || !std::regex_match(n, re)) {
        c.pattern("spec.clientIPDetection.customHeader.name", n, "^[A-Za-z0-9-]+$");
      }
    }
  }
  if (s.tls) checkTLS(*s.tls, c);
  if (s.headers) checkHeaders(*s.headers, c);
  if (s.connection) {
    const auto& conn = *s.connection;
    if (conn.connection_limit) {
      const auto& l = *conn.connection_limit;
      if (l.close_delay && !l.value) {
        c.cel("spec.connection.connectionLimit",
              "closeDelay can only be configured when value is set");
      }
      if (l.value && *l.value < 1) {
        c.errors.push_back(
            "spec.connection.connectionLimit.value: Invalid value: " + std::to_string(*l.value) +
            ": spec.connection.connectionLimit.value in body should be greater "
            "than or equal to 1");
      }
      c.duration("spec.connection.connectionLimit.closeDelay", l.close_delay);
      c.duration("spec.connection.connectionLimit.maxConnectionDuration",
                 l.max_connection_duration);
      c.duration("spec.connection.connectionLimit.maxStreamDuration", l.max_stream_duration);
    }
    c.quantity("spec.connection.bufferLimit", conn.buffer_limit);
    c.quantity("spec.connection.socketBufferLimit", conn.socket_buffer_limit);
  }
  if (s.timeout) {
    if (s.timeout->tcp) {
      c.duration("spec.timeout.tcp.idleTimeout", s.timeout->tcp->idle_timeout);
      c.duration("spec.timeout.tcp.tlsHandshakeTimeout", s.timeout->tcp->tls_handshake_timeout);
      c.duration("spec.timeout.tcp.connectionInspectionTimeout",
                 s.timeout->tcp->connection_inspection_timeout);
    }
    if (s.timeout->http) {
      c.duration("spec.timeout.http.requestReceivedTimeout",
                 s.timeout->http->request_received_timeout);
      c.duration("spec.timeout.http.requestHeadersReceivedTimeout",
                 s.timeout->http->request_headers_received_timeout);
      c.duration("spec.timeout.http.idleTimeout", s.timeout->http->idle_timeout);
      c.duration("spec.timeout.http.streamIdleTimeout", s.timeout->http->stream_idle_timeout);
    }
  }
  if (s.tcp_keepalive) {
    c.duration("spec.tcpKeepalive.idleTime", s.tcp_keepalive->idle_time);
    c.duration("spec.tcpKeepalive.interval", s.tcp_keepalive->interval);
  }
  if (s.http2) {
    c.quantity("spec.http2.initialStreamWindowSize", s.http2->initial_stream_window_size);
    c.quantity("spec.http2.initialConnectionWindowSize", s.http2->initial_connection_window_size);
    if (s.http2->connection_keepalive) {
      const auto& k = *s.http2->connection_keepalive;
      c.duration("spec.http2.connectionKeepalive.interval", k.interval);
      c.duration("spec.http2.connectionKeepalive.timeout", k.timeout);
      c.duration("spec.http2.connectionKeepalive.idleInterval", k.idle_interval);
      if (k.interval && k.timeout) {
        auto i = parseGoDuration(*k.interval), t = parseGoDuration(*k.timeout);
        if (i.value && t.value && !(*t.value < *i.value)) {
          c.cel("spec.http2.connectionKeepalive", "timeout must be less than interval");
        }
      }
      if (k.interval_jitter && *k.interval_jitter > 100) {
        c.errors.push_back("spec.http2.connectionKeepalive.intervalJitter: Invalid value: " +
                           std::to_string(*k.interval_jitter) +
                           ": spec.http2.connectionKeepalive.intervalJitter in body should be "
                           "less than or equal to 100");
      }
    }
  }
  if (s.path) {
    c.enumeration("spec.path.escapedSlashesAction", s.path->escaped_slashes_action,
                  {"KeepUnchanged", "RejectRequest", "UnescapeAndForward", "UnescapeAndRedirect"});
  }
  c.enumeration("spec.scheme", s.scheme, {"Preserve", "MatchBackend"});
  if (s.health_check_path) c.length("spec.healthCheck.path", *s.health_check_path, 1, 1024);
  return c.errors;
}

}  // namespace ctplab::policy
