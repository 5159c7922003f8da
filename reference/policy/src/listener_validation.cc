#include "listener_validation.h"

#include <algorithm>
#include <map>
#include <set>

#include "ctplab/policy/resources.h"
#include "pki/pki.h"

namespace ctplab::policy {
namespace {

bool hasCondition(const ListenerContext& lc, const std::string& type, const std::string& status) {
  for (const auto& c : lc.status.conditions) {
    if (c.type == type && c.status == status) return true;
  }
  return false;
}

bool hasInvalidCondition(const ListenerContext& lc) {
  for (const auto& c : lc.status.conditions) {
    if ((c.type == "Programmed" || c.type == "Accepted") && c.status == "False") return true;
    if (c.type == "ResolvedRefs" && c.status == "False" &&
        c.reason != "PartiallyInvalidCertificateRef") {
      return true;
    }
  }
  return false;
}

bool specValidForConflictChecks(const ListenerContext& lc) {
  return lc.spec_valid || !hasInvalidCondition(lc);
}

std::vector<std::string> routeKindsFor(const Listener& l) {
  if (l.protocol == "HTTP" || l.protocol == "HTTPS") return {"HTTPRoute", "GRPCRoute"};
  if (l.protocol == "TLS") {
    if (l.tls_mode == "Passthrough") return {"TLSRoute"};
    return {"TCPRoute", "TLSRoute"};
  }
  if (l.protocol == "TCP") return {"TCPRoute"};
  if (l.protocol == "UDP") return {"UDPRoute"};
  return {};
}

bool validateAllowedRoutes(ListenerContext& lc) {
  const Listener& l = *lc.listener;
  const auto kinds = routeKindsFor(l);
  if (!l.allowed_routes.kinds || l.allowed_routes.kinds->empty()) {
    for (const auto& k : kinds) lc.status.supported_kinds.emplace_back(kGatewayGroup, k);
    return true;
  }
  bool valid = true;
  std::vector<std::string> unsupported;
  for (const auto& rk : *l.allowed_routes.kinds) {
    if (rk.group != kGatewayGroup) {
      setListenerCondition(lc, "ResolvedRefs", "False", "InvalidRouteKinds",
                           std::string("Group is not supported, group must be ") + kGatewayGroup);
      valid = false;
      continue;
    }
    if (std::find(kinds.begin(), kinds.end(), rk.kind) != kinds.end()) {
      lc.status.supported_kinds.emplace_back(kGatewayGroup, rk.kind);
    } else {
      unsupported.push_back(rk.kind);
    }
  }
  if (!unsupported.empty()) {
    std::string list;
    for (size_t i = 0; i < unsupported.size(); ++i) list += (i ? " " : "") + unsupported[i];
    setListenerCondition(lc, "ResolvedRefs", "False", "InvalidRouteKinds",
                         "Kind is not supported, kind must be HTTPRoute, GRPCRoute, TCPRoute, "
                         "TLSRoute or UDPRoute: [" +
                             list + "]");
    valid = false;
  }
  return valid;
}

struct ListenerError {
  std::string message;
  std::string reason;
};

std::string joinErrors(const std::vector<ListenerError>& errs) {
  std::string out;
  for (size_t i = 0; i < errs.size(); ++i) out += (i ? "\n" : "") + errs[i].message;
  return out;
}

// validateTerminateModeAndGetTLSSecrets: resolves the certificate refs and checks each Secret.
bool resolveTerminateSecrets(const TranslationContext& ctx, const Gateway& gw, ListenerContext& lc,
                             ir::TLSConfig& tls) {
  const Listener& l = *lc.listener;
  if (l.certificate_refs.empty()) {
    setListenerCondition(lc, "Programmed", "False", "Invalid",
                         "Listener must have at least 1 TLS certificate ref");
    return false;
  }
  const bool from_ls = lc.listener_set != nullptr;
  const std::string listener_ns = from_ls ? lc.listener_set->meta.ns : gw.meta.ns;
  std::vector<ListenerError> errs;
  std::vector<const Secret*> secrets;
  for (size_t idx = 0; idx < l.certificate_refs.size(); ++idx) {
    const auto& ref = l.certificate_refs[idx];
    const std::string prefix = "certificate refs " + std::to_string(idx) + ": ";
    if (!ref.group.empty()) {
      errs.push_back({prefix + "Listener's TLS certificate ref group must be unspecified/empty.",
                      "InvalidCertificateRef"});
      continue;
    }
    if (!ref.kind.empty() && ref.kind != "Secret") {
      errs.push_back({prefix + "Listener's TLS certificate ref kind must be Secret.",
                      "InvalidCertificateRef"});
      continue;
    }
    std::string ns = listener_ns;
    if (ref.ns && !ref.ns->empty() && *ref.ns != listener_ns) {
      if (!ctx.referenceAllowed(kGatewayGroup, from_ls ? "ListenerSet" : "Gateway", listener_ns, "",
                                "Secret", *ref.ns, ref.name)) {
        errs.push_back({prefix + "Certificate ref to secret " + *ref.ns + "/" + ref.name +
                            " not permitted by any ReferenceGrant.",
                        "RefNotPermitted"});
        continue;
      }
      ns = *ref.ns;
    }
    const Secret* secret = ctx.findSecret(ns, ref.name);
    if (secret == nullptr) {
      errs.push_back(
          {prefix + "Secret " + ns + "/" + ref.name + " does not exist.", "InvalidCertificateRef"});
      continue;
    }
    if (secret->type != "kubernetes.io/tls") {
      errs.push_back(
          {prefix + "Secret " + ns + "/" + ref.name + " must be of type kubernetes.io/tls.",
           "InvalidCertificateRef"});
      continue;
    }
    auto cert = secret->data.find("tls.crt");
    auto key = secret->data.find("tls.key");
    if (cert == secret->data.end() || cert->second.empty() || key == secret->data.end() ||
        key->second.empty()) {
      errs.push_back(
          {prefix + "Secret " + ns + "/" + ref.name + " must contain tls.crt and tls.key.",
           "InvalidCertificateRef"});
      continue;
    }
    secrets.push_back(secret);
  }
  if (secrets.empty()) {
    std::string reason = "RefNotPermitted";
    for (const auto& e : errs) {
      if (e.reason != "RefNotPermitted") reason = "InvalidCertificateRef";
    }
    setListenerCondition(lc, "ResolvedRefs", "False", reason,
                         "No valid secrets exist: " + joinErrors(errs));
    return false;
  }
  // parseCertsFromTLSSecretsData: each secret on its own, then algorithm/domain uniqueness.
  std::vector<std::string> parse_errors;
  std::set<std::string> algorithm_domains;
  for (const Secret* secret : secrets) {
    auto checked =
        pki::checkServingCertificate(secret->meta.ns, secret->meta.name, secret->data.at("tls.crt"),
                                     secret->data.at("tls.key"), ctx.options.now);
    if (!checked.ok) {
      parse_errors.push_back(checked.error);
      continue;
    }
    bool conflict = false;
    for (const auto& domain : checked.certificate_domains) {
      std::string key = checked.leaf.public_key_algorithm + "/" + domain;
      if (!algorithm_domains.insert(key).second) {
        parse_errors.push_back(secret->meta.ns + "/" + secret->meta.name +
                               " public key algorithm must be unique, certificate domain " +
                               domain + " has a conflicting algorithm [" +
                               checked.leaf.public_key_algorithm + "]");
        conflict = true;
        break;
      }
    }
    if (conflict) continue;
    tls.certificates.push_back({secret->meta.ns + "/" + secret->meta.name, checked.chain_pem, true,
                                secret->data.at("tls.key")});
    lc.cert_dns_names.insert(lc.cert_dns_names.end(), checked.leaf.dns_names.begin(),
                             checked.leaf.dns_names.end());
  }
  if (!parse_errors.empty()) {
    std::string joined;
    for (size_t i = 0; i < parse_errors.size(); ++i) joined += (i ? "\n" : "") + parse_errors[i];
    if (tls.certificates.empty()) {
      setListenerCondition(lc, "ResolvedRefs", "False", "InvalidCertificateRef",
                           "No valid secrets exist: " + joined + ".");
      return false;
    }
    errs.push_back({joined, "PartiallyInvalidCertificateRef"});
  }
  if (!errs.empty()) {
    setListenerCondition(lc, "ResolvedRefs", "False", "PartiallyInvalidCertificateRef",
                         "Some secrets are invalid: " + joinErrors(errs));
  }
  return true;
}

bool validateTLSConfiguration(const TranslationContext& ctx, const Gateway& gw, ListenerContext& lc,
                              std::optional<ir::TLSConfig>& tls) {
  const Listener& l = *lc.listener;
  if (l.protocol == "HTTP" || l.protocol == "UDP" || l.protocol == "TCP") {
    if (l.has_tls) {
      setListenerCondition(lc, "Programmed", "False", "Invalid",
                           "Listener must not have TLS set when protocol is " + l.protocol + ".");
      return false;
    }
    return true;
  }
  if (l.protocol != "HTTPS" && l.protocol != "TLS") return true;
  if (!l.has_tls) {
    setListenerCondition(lc, "Programmed", "False", "Invalid",
                         "Listener must have TLS set when protocol is " + l.protocol + ".");
    return false;
  }
  ir::TLSConfig config;
  // Manifests reach the translator through the API server, which defaults the mode to
  // Terminate; upstream's test bundles skip that defaulting.
  const bool mode_set = l.tls_mode_set || !ctx.resources->bundle_format;
  if (l.protocol == "HTTPS") {
    if (mode_set && l.tls_mode != "Terminate") {
      setListenerCondition(
          lc, "Programmed", "False", "UnsupportedTLSMode",
          "TLS " + l.tls_mode + " mode is not supported, TLS mode must be Terminate.");
      return false;
    }
    bool ok = resolveTerminateSecrets(ctx, gw, lc, config);
    if (!config.certificates.empty()) tls = std::move(config);
    return ok;
  }
  // TLS protocol.
  if (mode_set && l.tls_mode == "Passthrough") {
    if (!l.certificate_refs.empty()) {
      setListenerCondition(
          lc, "Programmed", "False", "Invalid",
          "Listener must not have TLS certificate refs set for TLS mode Passthrough.");
      return false;
    }
    return true;
  }
  if (mode_set && l.tls_mode == "Terminate") {
    if (l.certificate_refs.empty()) {
      setListenerCondition(lc, "Programmed", "False", "Invalid",
                           "Listener must have TLS certificate refs set for TLS mode Terminate.");
      return false;
    }
    bool ok = resolveTerminateSecrets(ctx, gw, lc, config);
    // TCP-level TLS listeners have ALPN off unless a policy sets it.
    config.alpn_protocols = std::vector<std::string>{};
    if (!config.certificates.empty()) tls = std::move(config);
    return ok;
  }
  return true;
}

std::string displayName(const GatewayContext& g, const ListenerContext& lc) {
  if (lc.listener_set) {
    return lc.listener_set->meta.ns + "/" + lc.listener_set->meta.name + "/" + lc.listener->name;
  }
  return g.gateway->meta.ns + "/" + g.gateway->meta.name + "/" + lc.listener->name;
}

void setConflicted(ListenerContext& lc, const std::string& reason, const std::string& msg) {
  setListenerCondition(lc, "Conflicted", "True", reason, msg);
  if (lc.listener_set) {
    setListenerCondition(lc, "Accepted", "False", reason, msg);
    setListenerCondition(lc, "Programmed", "False", reason, msg);
  }
  if (reason == "ProtocolConflict") lc.protocol_conflicted = true;
}

std::string protocolClass(const Listener& l) {
  return (l.protocol == "HTTPS" || l.protocol == "TLS") ? "https/tls" : l.protocol;
}

bool supportedProtocol(const std::string& p) {
  return p == "HTTP" || p == "HTTPS" || p == "TLS" || p == "TCP" || p == "UDP";
}

using Entry = std::pair<GatewayContext*, ListenerContext*>;

void protocolConflictsByPort(std::vector<Entry> listeners) {
  std::map<int64_t, std::vector<Entry>> by_port;
  std::vector<int64_t> port_order;
  for (auto& e : listeners) {
    if (!specValidForConflictChecks(*e.second) ||
        !supportedProtocol(e.second->listener->protocol)) {
      continue;
    }
    int64_t port = e.second->listener->port;
    if (!by_port.count(port)) port_order.push_back(port);
    by_port[port].push_back(e);
  }
  for (int64_t port : port_order) {
    auto& on_port = by_port[port];
    std::set<std::string> non_udp, non_ls;
    std::map<std::string, std::set<std::string>> ls_protocols;
    std::set<std::string> same_ls_conflicts;
    for (auto& [g, lc] : on_port) {
      std::string proto = protocolClass(*lc->listener);
      if (proto == "UDP") continue;
      non_udp.insert(proto);
      if (!lc->listener_set) {
        non_ls.insert(proto);
      } else {
        std::string key = lc->listener_set->meta.ns + "/" + lc->listener_set->meta.name;
        ls_protocols[key].insert(proto);
        if (ls_protocols[key].size() > 1) same_ls_conflicts.insert(key);
      }
    }
    if (non_udp.size() <= 1) continue;
    std::vector<std::string> names;
    for (auto& [g, lc] : on_port) {
      if (protocolClass(*lc->listener) != "UDP") names.push_back(displayName(*g, *lc));
    }
    std::sort(names.begin(), names.end());
    std::string joined;
    for (size_t i = 0; i < names.size(); ++i) joined += (i ? ", " : "") + names[i];
    const std::string msg =
        "All listeners for a given port must use a compatible protocol, conflicting listeners: " +
        joined;
    if (non_ls.size() > 1) {
      for (auto& [g, lc] : on_port) {
        if (protocolClass(*lc->listener) != "UDP") setConflicted(*lc, "ProtocolConflict", msg);
      }
      continue;
    }
    std::string winner = non_ls.size() == 1 ? *non_ls.begin() : "";
    for (auto& [g, lc] : on_port) {
      std::string proto = protocolClass(*lc->listener);
      if (proto == "UDP") continue;
      if (lc->listener_set && non_ls.empty()) {
        std::string key = lc->listener_set->meta.ns + "/" + lc->listener_set->meta.name;
        if (same_ls_conflicts.count(key)) {
          setConflicted(*lc, "ProtocolConflict", msg);
          continue;
        }
      }
      if (!winner.empty()) {
        if (proto != winner) setConflicted(*lc, "ProtocolConflict", msg);
      } else {
        winner = proto;
      }
    }
  }
}

void hostnameConflicts(GatewayContext& g) {
  struct PortInfo {
    std::vector<ListenerContext*> listeners;
    std::map<std::string, int> hostnames;
  };
  std::map<int64_t, PortInfo> ports;
  for (auto& lc : g.listeners) {
    const auto& p = lc.listener->protocol;
    if (p == "UDP" || p == "TCP") continue;
    if (!specValidForConflictChecks(lc) || lc.protocol_conflicted) continue;
    auto& info = ports[lc.listener->port];
    info.listeners.push_back(&lc);
    info.hostnames[lc.listener->hostname.value_or("")]++;
  }
  for (auto& [port, info] : ports) {
    std::map<std::string, int> gateway_count;
    std::set<std::string> same_ls_conflicts;
    std::map<std::string, std::map<std::string, int>> ls_count;
    for (auto* lc : info.listeners) {
      std::string h = lc->listener->hostname.value_or("");
      if (info.hostnames[h] <= 1) continue;
      if (!lc->listener_set) {
        gateway_count[h]++;
      } else {
        std::string key = lc->listener_set->meta.ns + "/" + lc->listener_set->meta.name;
        if (++ls_count[key][h] > 1) same_ls_conflicts.insert(h);
      }
    }
    std::map<std::string, ListenerContext*> winners;
    for (auto* lc : info.listeners) {
      std::string h = lc->listener->hostname.value_or("");
      if (info.hostnames[h] <= 1 || gateway_count[h] > 1) continue;
      if (same_ls_conflicts.count(h) && lc->listener_set) continue;
      auto it = winners.find(h);
      if (it == winners.end()) {
        winners[h] = lc;
      } else if (it->second->listener_set && !lc->listener_set) {
        it->second = lc;
      }
    }
    std::map<std::string, std::vector<std::string>> names;
    for (auto* lc : info.listeners) {
      std::string h = lc->listener->hostname.value_or("");
      if (info.hostnames[h] > 1) names[h].push_back(displayName(g, *lc));
    }
    for (auto& [h, list] : names) std::sort(list.begin(), list.end());
    for (auto* lc : info.listeners) {
      std::string h = lc->listener->hostname.value_or("");
      std::string joined;
      for (size_t i = 0; i < names[h].size(); ++i) joined += (i ? ", " : "") + names[h][i];
      std::string msg =
          "All listeners for a given port must use a unique hostname, conflicting listeners: " +
          joined;
      auto it = winners.find(h);
      if (it != winners.end()) {
        if (it->second != lc) setConflicted(*lc, "HostnameConflict", msg);
      } else if (info.hostnames[h] > 1) {
        setConflicted(*lc, "HostnameConflict", msg);
      }
    }
  }
}

void layer4Conflicts(GatewayContext& g, const std::string& protocol) {
  std::map<int64_t, std::vector<ListenerContext*>> ports;
  for (auto& lc : g.listeners) {
    if (!specValidForConflictChecks(lc)) continue;
    if (lc.listener->protocol == protocol) ports[lc.listener->port].push_back(&lc);
  }
  for (auto& [port, list] : ports) {
    for (size_t i = 1; i < list.size(); ++i) {
      setListenerCondition(*list[i], "Conflicted", "True", "ProtocolConflict",
                           "Only one " + protocol + " listener is allowed in a given port");
    }
  }
}

}  // namespace

void setListenerCondition(ListenerContext& lc, const std::string& type, const std::string& status,
                          const std::string& reason, const std::string& message) {
  // ListenerSet entries use the ListenerSet vocabulary for the generic invalid reason.
  std::string r = (lc.listener_set && reason == "Invalid") ? "ListenersNotValid" : reason;
  for (auto& c : lc.status.conditions) {
    if (c.type == type) {
      c.status = status;
      c.reason = r;
      c.message = message;
      return;
    }
  }
  lc.status.conditions.push_back({type, status, r, message, 0});
}

void validateListenerSpec(const TranslationContext& ctx, const Gateway& gw, ListenerContext& lc,
                          std::optional<ir::TLSConfig>& tls) {
  const Listener& l = *lc.listener;
  bool valid = true;
  const auto& ar = l.allowed_routes;
  if (ar.namespaces_from == "Selector" && !ar.namespaces_selector) {
    setListenerCondition(lc, "Programmed", "False", "Invalid",
                         "The allowedRoutes.namespaces.selector field must be specified when "
                         "allowedRoutes.namespaces.from is set to \"Selector\".");
    valid = false;
  }
  if (supportedProtocol(l.protocol)) {
    if (!validateAllowedRoutes(lc)) valid = false;
  } else {
    valid = false;
    setListenerCondition(
        lc, "Accepted", "False", "UnsupportedProtocol",
        "Protocol " + l.protocol + " is unsupported, must be HTTP, HTTPS, TCP or UDP.");
  }
  if (!validateTLSConfiguration(ctx, gw, lc, tls)) valid = false;
  if ((l.protocol == "UDP" || l.protocol == "TCP") && l.hostname) {
    setListenerCondition(
        lc, "Programmed", "False", "Invalid",
        "Listener must not have hostname set when protocol is " + l.protocol + ".");
    valid = false;
  }
  lc.spec_valid = valid;
}

void validateListenerConflicts(std::vector<GatewayContext>& gateways, bool merged) {
  std::vector<Entry> all;
  for (auto& g : gateways) {
    std::vector<Entry> mine;
    for (auto& lc : g.listeners) mine.push_back({&g, &lc});
    protocolConflictsByPort(mine);
    all.insert(all.end(), mine.begin(), mine.end());
  }
  if (merged) protocolConflictsByPort(all);
  for (auto& g : gateways) hostnameConflicts(g);
  for (auto& g : gateways) layer4Conflicts(g, "TCP");
  for (auto& g : gateways) layer4Conflicts(g, "UDP");
  if (merged) {
    std::set<std::string> seen;
    for (auto& g : gateways) {
      for (auto& lc : g.listeners) {
        if (!specValidForConflictChecks(lc)) continue;
        std::string key = lc.listener->protocol + ":" + lc.listener->hostname.value_or("") + ":" +
                          std::to_string(lc.listener->port);
        if (!seen.insert(key).second) {
          setListenerCondition(
              lc, "Conflicted", "True", "HostnameConflict",
              "Port, protocol and hostname tuple must be unique for every listener");
        }
      }
    }
  }
}

void finalizeListenerConditions(ListenerContext& lc) {
  auto& conds = lc.status.conditions;
  if (conds.empty()) {
    setListenerCondition(lc, "Programmed", "True", "Programmed",
                         "Sending translated listener configuration to the data plane");
    setListenerCondition(lc, "Accepted", "True", "Accepted",
                         "Listener has been successfully translated");
    setListenerCondition(lc, "ResolvedRefs", "True", "ResolvedRefs",
                         "Listener references have been resolved");
    if (lc.listener_set) {
      setListenerCondition(lc, "Conflicted", "False", "NoConflicts", "No conflicts detected");
    }
  } else if (conds.size() == 1 && conds[0].type == "ResolvedRefs" &&
             conds[0].reason == "PartiallyInvalidCertificateRef") {
    setListenerCondition(lc, "Accepted", "True", "Accepted",
                         "Listener has been successfully translated");
    setListenerCondition(lc, "Programmed", "True", "Programmed",
                         "Sending translated listener configuration to the data plane");
  } else if (conds.size() == 1 && conds[0].type == "ResolvedRefs" &&
             conds[0].reason == "InvalidCertificateRef") {
    setListenerCondition(lc, "Accepted", "True", "Accepted",
                         "Listener has been successfully translated");
    setListenerCondition(lc, "Programmed", "False", "Invalid",
                         "Listener is invalid, see other Conditions for details.");
  } else if (conds[0].type != "Programmed" || conds[0].status != "True") {
    bool has_programmed = false, has_refs = false;
    for (const auto& c : conds) {
      has_programmed = has_programmed || c.type == "Programmed";
      has_refs = has_refs || c.type == "ResolvedRefs";
    }
    if (!has_programmed) {
      setListenerCondition(lc, "Programmed", "False", "Invalid",
                           "Listener is invalid, see other Conditions for details.");
    }
    if (!has_refs) {
      setListenerCondition(lc, "ResolvedRefs", "True", "ResolvedRefs",
                           "Listener references have been resolved");
    }
  }
  lc.ready = hasCondition(lc, "Programmed", "True");
}

}  // namespace ctplab::policy
