// The `validate` rendering: verdicts per policy ancestor and effective settings per listener.
#include "ctplab/policy/output.h"

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

void flatten(const Tree& t, const std::string& prefix, std::string& out) {
  if (t.kind() == Tree::Kind::kMap && !t.entries().empty()) {
    for (const auto& [k, v] : t.entries()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  std::string line = emitYaml(t);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  if (line.find('\n') != std::string::npos) line = "[" + std::to_string(t.items().size()) + " items]";
  out += "      " + prefix + ": " + line + "\n";
}

}  // namespace

std::string validationReport(const TranslationResult& result) {
  std::string out = "Policies\n";
  for (const auto& r : result.policies) {
    out += "  ClientTrafficPolicy " + r.policy->meta.ns + "/" + r.policy->meta.name + "\n";
    if (r.rejected) {
      out += "    Rejected by the API server:\n";
      for (const auto& e : r.admission_errors) out += "      " + e + "\n";
      continue;
    }
    for (const auto& e : r.admission_errors) out += "    note: the API server would reject: " + e + "\n";
    if (r.status.ancestors().empty()) {
      out += "    no target resolved (no Gateway or ListenerSet of this controller matches)\n";
    }
    for (const auto& a : r.status.ancestors()) {
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
  out += "Listeners\n";
  for (const auto& g : result.gateways) {
    if (!g.accepted) {
      out += "  Gateway " + g.gateway->meta.ns + "/" + g.gateway->meta.name +
             ": not handled by this controller (GatewayClass " + g.gateway->class_name + ")\n";
      continue;
    }
    for (const auto& l : g.ir.listeners) {
      out += "  " + l.name + " (" + l.protocol + " :" + std::to_string(l.external_port) + " → " +
             std::to_string(l.port) + ")\n";
      out += "    policy: " + (l.policy.empty() ? std::string("none (defaults)") : l.policy) + "\n";
      Tree t = listenerToTree(l);
      for (const char* k : {"name", "address", "port", "externalPort", "metadata", "hostnames",
                            "routes"}) {
        if (Tree* v = t.get(k)) *v = Tree::null();
      }
      Tree* path = t.get("path");
      if (path && l.merge_slashes && l.escaped_slashes_action == "UnescapeAndRedirect") *path = Tree::null();
      Tree* tls = t.get("tls");
      if (tls) {
        if (Tree* c = tls->get("certificates")) *c = Tree::string(std::to_string(c->items().size()) + " certificate(s)");
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
      out += settings.empty() ? "    effective settings: all defaults\n" : "    effective settings:\n" + settings;
    }
  }
  return out;
}

}  // namespace ctplab::policy
