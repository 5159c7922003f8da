// The `validate` rendering: verdicts per policy ancestor and effective settings per listener.
#include <algorithm>
#include <map>

#include "ctplab/policy/output.h"
#include "ctplab/policy/port_plan.h"
#include "ctplab/policy/units.h"

namespace ctplab::policy {
namespace {

std::string verdict(const AncestorStatus& a) {
  const Condition* accepted = a.find("Accepted");
  if (accepted && accepted->status == "False") return accepted->reason;
  if (a.find("Overridden")) return "Accepted, partly overridden";
  return "Accepted";
}

std::string refText(const AncestorRef& r) {
  std::string s = r.kind + " " + r.ns + "/" + r.name;
  if (r.section_name) s += " section " + *r.section_name;
  return s;
}

std::string inlineText(const Tree& t) {
  if (t.kind() == Tree::Kind::kList) {
    std::string s = "[";
    for (size_t i = 0; i < t.items().size(); ++i) s += (i ? ", " : "") + inlineText(t.items()[i]);
    return s + "]";
  }
  if (t.kind() == Tree::Kind::kMap) {
    std::string s = "{";
    bool first = true;
    for (const auto& [k, v] : t.entries()) {
      s += (first ? "" : ", ") + k + ": " + inlineText(v);
      first = false;
    }
    return s + "}";
  }
  std::string line = emitYaml(t);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

void flatten(const Tree& t, const std::string& prefix, std::string& out) {
  if (t.kind() == Tree::Kind::kMap && !t.entries().empty()) {
    for (const auto& [k, v] : t.entries()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  out += "      " + prefix + ": " + inlineText(t) + "\n";
}

// The first plain-HTTP listener on a port owns the shared filter chain (spec 3.2/3.3).
const ir::Listener* portOwner(const ir::Gateway& g, const ir::Listener& l) {
  if (l.protocol != "HTTP") return nullptr;
  for (const auto& other : g.listeners) {
    if (other.protocol == "HTTP" && other.port == l.port) return &other == &l ? nullptr : &other;
  }
  return nullptr;
}

template <typename Policy>
void policyReport(const char* kind, const Policy& policy, const PolicyStatus& status,
                  const std::vector<std::string>& admission_errors, bool rejected,
                  const char* unresolved, std::string& out) {
  out += std::string("  ") + kind + " " + policy.meta.ns + "/" + policy.meta.name + "\n";
  if (rejected) {
    out += "    Rejected by the API server:\n";
    for (const auto& e : admission_errors) out += "      " + e + "\n";
    return;
  }
  for (const auto& e : admission_errors)
    out += "    note: the API server would reject: " + e + "\n";
  if (status.ancestors().empty())
    out += std::string("    no target resolved (") + unresolved + ")\n";
  for (const auto& a : status.ancestors()) {
    out += "    " + refText(a.ref) + ": " + verdict(a) + "\n";
    for (const auto& c : a.conditions) {
      if (c.type == "Accepted" && c.status == "True") continue;
      std::string msg = c.message;
      for (size_t pos = 0; (pos = msg.find('\n', pos)) != std::string::npos; pos += 8) {
        msg.replace(pos, 1, "\n       ");
      }
      out += "      " + c.type + " (" + c.reason + "): " + msg + "\n";
    }
  }
}

}  // namespace

std::string validationReport(const TranslationResult& result) {
  std::string out = "Policies\n";
  std::vector<const PolicyResult*> ordered;
  for (const auto& r : result.policies) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    if (a->policy->meta.ns != b->policy->meta.ns) return a->policy->meta.ns < b->policy->meta.ns;
    return a->policy->meta.name < b->policy->meta.name;
  });
  for (const PolicyResult* rp : ordered) {
    const PolicyResult& r = *rp;
    policyReport("ClientTrafficPolicy", *r.policy, r.status, r.admission_errors, r.rejected,
                 "no Gateway or ListenerSet of this controller matches", out);
  }
  std::vector<const SecurityPolicyResult*> security;
  for (const auto& r : result.security_policies) security.push_back(&r);
  std::stable_sort(security.begin(), security.end(), [](const auto* a, const auto* b) {
    if (a->policy->meta.ns != b->policy->meta.ns) return a->policy->meta.ns < b->policy->meta.ns;
    return a->policy->meta.name < b->policy->meta.name;
  });
  for (const SecurityPolicyResult* r : security) {
    policyReport("SecurityPolicy", *r->policy, r->status, r->admission_errors, r->rejected,
                 "no Gateway or route of this controller matches", out);
  }
  std::vector<const BackendTrafficPolicyResult*> traffic;
  for (const auto& r : result.backend_traffic_policies) traffic.push_back(&r);
  std::stable_sort(traffic.begin(), traffic.end(), [](const auto* a, const auto* b) {
    if (a->policy->meta.ns != b->policy->meta.ns) return a->policy->meta.ns < b->policy->meta.ns;
    return a->policy->meta.name < b->policy->meta.name;
  });
  for (const BackendTrafficPolicyResult* r : traffic) {
    policyReport("BackendTrafficPolicy", *r->policy, r->status, r->admission_errors, r->rejected,
                 "no Gateway, ListenerSet or route of this controller matches", out);
  }
  out += "Listeners\n";
  for (const auto& g : result.gateways) {
    if (!g.accepted) {
      out += "  Gateway " + g.gateway->meta.ns + "/" + g.gateway->meta.name +
             ": not handled by this controller (GatewayClass " + g.gateway->class_name + ")\n";
      continue;
    }
    for (const auto& ls : g.listener_statuses) {
      const Condition* programmed = nullptr;
      const Condition* cause = nullptr;
      for (const auto& c : ls.conditions) {
        if (c.type == "Programmed") programmed = &c;
        if (cause == nullptr && ((c.type != "Conflicted" && c.status == "False") ||
                                 (c.type == "Conflicted" && c.status == "True"))) {
          cause = &c;
        }
      }
      if (programmed != nullptr && programmed->status == "True") continue;
      out += "  " + g.gateway->meta.ns + "/" + g.gateway->meta.name + "/" + ls.name +
             ": not programmed";
      if (cause != nullptr)
        out += " (" + cause->type + " " + cause->reason + "): " + cause->message;
      out += "\n";
    }
    const ir::Gateway* irg = result.findIR(g.ir_key);
    if (irg == nullptr) continue;
    for (const auto& l : irg->listeners) {
      if (l.metadata.name != g.gateway->meta.name || l.metadata.ns != g.gateway->meta.ns) continue;
      out += "  " + l.name + " (" + l.protocol + " port " + std::to_string(l.external_port) +
             ", proxy port " + std::to_string(l.port) + ")\n";
      out += "    policy: " + (l.policy.empty() ? std::string("none (defaults)") : l.policy) + "\n";
      std::map<std::string, size_t> authorized, authenticated, limited;
      size_t failed = 0;
      for (const auto& r : l.routes) {
        if (r.authorization) ++authorized[r.authorization->policy];
        if (r.jwt) ++authenticated[r.jwt->policy];
        if (r.rate_limit) ++limited[r.rate_limit->policy];
        if (r.direct_response_500) ++failed;
      }
      if (failed > 0) {
        out += "    " + std::to_string(failed) + " of " + std::to_string(l.routes.size()) +
               " routes answer 500 (a policy applied to them failed)\n";
      }
      for (const auto& [source, n] : authorized) {
        out += "    authorization from SecurityPolicy " + source + " on " + std::to_string(n) +
               " of " + std::to_string(l.routes.size()) + " routes\n";
      }
      for (const auto& [source, n] : authenticated) {
        out += "    JWT authentication from SecurityPolicy " + source + " on " + std::to_string(n) +
               " of " + std::to_string(l.routes.size()) + " routes\n";
      }
      for (const auto& [source, n] : limited) {
        out += "    rate limit from BackendTrafficPolicy " + source + " on " + std::to_string(n) +
               " of " + std::to_string(l.routes.size()) + " routes\n";
      }
      if (const ir::Listener* owner = portOwner(*irg, l)) {
        out += "    shares port " + std::to_string(l.external_port) + " with " + owner->name +
               ": one filter chain and one connection-limit counter\n";
        out += "    effective settings: those of " + owner->name + "\n";
        continue;
      }
      Tree t = listenerToTree(l);
      for (const char* k :
           {"name", "address", "port", "externalPort", "metadata", "hostnames", "routes"}) {
        if (Tree* v = t.get(k)) *v = Tree::null();
      }
      Tree* path = t.get("path");
      if (path && l.merge_slashes && l.escaped_slashes_action == "UnescapeAndRedirect")
        *path = Tree::null();
      Tree* tls = t.get("tls");
      if (tls) {
        if (Tree* c = tls->get("certificates"))
          *c = Tree::string(std::to_string(c->items().size()) + " certificate(s)");
        if (Tree* ca = tls->get("caCertificate")) {
          if (Tree* pem = ca->get("certificate")) *pem = Tree::string("<PEM bundle>");
        }
        if (Tree* crl = tls->get("crl")) {
          if (Tree* data = crl->get("data")) *data = Tree::string("<CRL>");
        }
      }
      std::string settings;
      for (const auto& [k, v] : t.entries()) {
        if (!v.isNull()) flatten(v, k, settings);
      }
      out += settings.empty() ? "    effective settings: all defaults\n"
                              : "    effective settings:\n" + settings;
    }
  }
  out += "Proxy ports and connection-limit counters\n";
  for (const auto& irg : result.irs) {
    for (const auto& port : planPorts(irg)) {
      out +=
          "  " + irg.key + " port " + std::to_string(port.port) + ": settings from " +
          port.settings_owner + "; PROXY protocol " +
          (port.proxy_protocol ? (port.proxy_protocol_optional ? "optional" : "required") : "off") +
          "; HTTP/3 " + (port.http3 ? "on" : "off") + "\n";
      for (const auto& c : port.counters) {
        std::string names;
        for (size_t i = 0; i < c.listeners.size(); ++i) names += (i ? ", " : "") + c.listeners[i];
        std::string limit = c.limit ? "limit " + std::to_string(*c.limit) : "no limit";
        if (c.close_delay) limit += ", closeDelay " + formatGoDuration(*c.close_delay);
        out += "    counter " + c.id + " (" + names + "): " + limit + "\n";
      }
    }
  }
  return out;
}

}  // namespace ctplab::policy
