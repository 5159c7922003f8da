// Gateways and ListenerSets → listener contexts, listener statuses, xdsIR/infraIR listeners.
#include <algorithm>
#include <set>

#include "ctplab/policy/resources.h"
#include "listener_validation.h"
#include "translation_context.h"

namespace ctplab::policy {
namespace {

uint32_t containerPort(int64_t port) {
  // Privileged ports are shifted so the proxy can bind without CAP_NET_BIND_SERVICE.
  return static_cast<uint32_t>(port < 1024 ? port + 10000 : port);
}

bool listenerSetAllowed(const TranslationContext& ctx, const Gateway& gw, const ListenerSet& ls) {
  if (!gw.allowed_listeners_from) return false;
  const std::string& from = *gw.allowed_listeners_from;
  if (from == "All") return true;
  if (from == "Same") return gw.meta.ns == ls.meta.ns;
  if (from == "Selector" && gw.allowed_listeners_selector) {
    const Namespace* ns = ctx.findNamespace(ls.meta.ns);
    return ns != nullptr && selectorMatches(*gw.allowed_listeners_selector, ns->meta.labels);
  }
  return false;
}

bool hasWildcardPrefix(const std::string& h) { return h.size() > 1 && h[0] == '*'; }

bool hostnameMatchesOther(const std::string& self, const std::string& other) {
  if (hasWildcardPrefix(other) && !hasWildcardPrefix(self)) {
    std::string suffix = other.substr(1);
    if (self.size() < suffix.size() ||
        self.compare(self.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return false;
    }
    // Only one label may stand in for the wildcard.
    return self.substr(0, self.size() - suffix.size()).find('.') == std::string::npos;
  }
  return self == other;
}

bool overlappingHostnames(const std::optional<std::string>& a,
                          const std::optional<std::string>& b) {
  if (!a || !b) return true;
  return hostnameMatchesOther(*a, *b) || hostnameMatchesOther(*b, *a);
}

// HTTPS listeners on one port whose hostnames or certificate SANs overlap: Envoy could coalesce
// HTTP/2 connections across them, so upstream marks them and limits default ALPN to HTTP/1.1.
void markOverlappingTLS(GatewayContext& g) {
  std::vector<ListenerContext*> https;
  for (auto& lc : g.listeners) {
    if (lc.ready && lc.listener->protocol == "HTTPS") https.push_back(&lc);
  }
  const size_t n = https.size();
  std::vector<int> host_peer(n, -1), cert_peer(n, -1);
  std::vector<std::pair<std::string, std::string>> sans(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n && host_peer[i] < 0; ++j) {
      if (host_peer[j] >= 0 || https[i]->listener->port != https[j]->listener->port) continue;
      if (overlappingHostnames(https[i]->listener->hostname, https[j]->listener->hostname)) {
        host_peer[i] = static_cast<int>(j);
        host_peer[j] = static_cast<int>(i);
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n && cert_peer[i] < 0; ++j) {
      if (cert_peer[j] >= 0 || https[i]->listener->port != https[j]->listener->port) continue;
      for (const auto& d1 : https[i]->cert_dns_names) {
        for (const auto& d2 : https[j]->cert_dns_names) {
          if (cert_peer[i] < 0 && overlappingHostnames(d1, d2)) {
            cert_peer[i] = static_cast<int>(j);
            cert_peer[j] = static_cast<int>(i);
            sans[i] = {d1, d2};
            sans[j] = {d2, d1};
          }
        }
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (host_peer[i] >= 0) {
      const auto* peer = https[static_cast<size_t>(host_peer[i])];
      setListenerCondition(*https[i], "OverlappingTLSConfig", "True", "OverlappingHostnames",
                           "The hostname " + https[i]->listener->hostname.value_or("") +
                               " overlaps with the hostname " +
                               peer->listener->hostname.value_or("") + " in listener " +
                               peer->listener->name + ".");
    }
    if (cert_peer[i] >= 0) {
      const auto* peer = https[static_cast<size_t>(cert_peer[i])];
      setListenerCondition(
          *https[i], "OverlappingTLSConfig", "True", "OverlappingCertificates",
          "The certificate SAN " + sans[i].first + " overlaps with the certificate SAN " +
              sans[i].second + " in listener " + peer->listener->name +
              ". ALPN will default to HTTP/1.1 to prevent HTTP/2 connection coalescing, "
              "unless explicitly configured via ClientTrafficPolicy");
      if (ir::Listener* il = g.ir->find(https[i]->ir_name)) il->tls_overlaps = true;
    }
  }
}

constexpr const char* kHarnessGatewayClass = "envoy-gateway-class";

const EnvoyProxy* classEnvoyProxy(const ResourceSet& rs, const std::string& class_name) {
  for (const auto& gc : rs.gateway_classes) {
    if (gc.meta.name != class_name || !gc.parameters_name) continue;
    for (const auto& ep : rs.envoy_proxies) {
      if (ep.meta.name == *gc.parameters_name && ep.meta.ns == gc.parameters_ns.value_or("")) {
        return &ep;
      }
    }
  }
  for (const auto& ep : rs.envoy_proxies) {
    if (ep.for_gateway_class) return &ep;
  }
  return nullptr;
}

const EnvoyProxy* gatewayEnvoyProxy(const ResourceSet& rs, const Gateway& gw) {
  if (!gw.infrastructure_parameters) return nullptr;
  for (const auto& ep : rs.envoy_proxies) {
    if (ep.meta.name == *gw.infrastructure_parameters && ep.meta.ns == gw.meta.ns) return &ep;
  }
  return nullptr;
}

ir::Gateway* irFor(TranslationResult& result, const std::string& key, const Gateway& gw) {
  for (auto& ir : result.irs) {
    if (ir.key == key) return &ir;
  }
  result.irs.push_back({});
  ir::Gateway& ir = result.irs.back();
  ir.key = key;
  ir.ns = gw.meta.ns;
  ir.name = gw.meta.name;
  return &ir;
}

}  // namespace

void collectListenerStatuses(const TranslationContext& ctx, TranslationResult& result) {
  for (const auto& g : ctx.gateways) {
    for (const auto& lc : g.listeners) {
      if (lc.listener_set == nullptr) g.result->listener_statuses.push_back(lc.status);
    }
  }
  for (const auto& ls : ctx.resources->listener_sets) {
    ListenerSetResult r;
    r.listener_set = &ls;
    for (const auto& [rejected, gw] : ctx.disallowed_listener_sets) {
      if (rejected != &ls) continue;
      r.conditions.push_back({"Accepted", "False", "NotAllowed",
                              "ListenerSet attachment from namespace " + ls.meta.ns +
                                  " not allowed by Gateway " + gw->meta.ns + "/" + gw->meta.name,
                              ls.meta.generation});
      r.conditions.push_back(
          {"Programmed", "False", "NotAllowed", "Not Programmed", ls.meta.generation});
    }
    bool attached = false;
    bool all_accepted = true, any_accepted = false, all_programmed = true, any_programmed = false;
    for (const auto& g : ctx.gateways) {
      for (const auto& lc : g.listeners) {
        if (lc.listener_set != &ls) continue;
        attached = true;
        bool accepted = false, programmed = false;
        for (const auto& c : lc.status.conditions) {
          accepted = accepted || (c.type == "Accepted" && c.status == "True");
          programmed = programmed || (c.type == "Programmed" && c.status == "True");
        }
        all_accepted = all_accepted && accepted;
        any_accepted = any_accepted || accepted;
        all_programmed = all_programmed && programmed;
        any_programmed = any_programmed || programmed;
        r.listener_statuses.push_back(lc.status);
      }
    }
    if (attached) {
      const int64_t gen = ls.meta.generation;
      if (all_accepted) {
        r.conditions.push_back({"Accepted", "True", "Accepted", "All listeners are accepted", gen});
      } else if (any_accepted) {
        r.conditions.push_back(
            {"Accepted", "True", "ListenersNotValid", "Some listeners are invalid", gen});
      } else {
        r.conditions.push_back(
            {"Accepted", "False", "ListenersNotValid", "No listeners are accepted", gen});
      }
      if (all_programmed) {
        r.conditions.push_back(
            {"Programmed", "True", "Programmed", "All listeners are programmed", gen});
      } else if (any_programmed) {
        r.conditions.push_back(
            {"Programmed", "True", "Programmed", "Some listeners are not programmed", gen});
      } else {
        r.conditions.push_back(
            {"Programmed", "False", "ListenersNotValid", "No listeners are programmed", gen});
      }
    }
    if (!r.conditions.empty()) result.listener_sets.push_back(std::move(r));
  }
}

const ir::Gateway* TranslationResult::findIR(const std::string& key) const {
  for (const auto& ir : irs) {
    if (ir.key == key) return &ir;
  }
  return nullptr;
}

void translateGateways(TranslationContext& ctx, TranslationResult& result) {
  const ResourceSet& rs = *ctx.resources;
  auto classIsOurs = [&](const std::string& name) {
    for (const auto& gc : rs.gateway_classes) {
      if (gc.meta.name == name) return gc.controller_name == ctx.options.controller_name;
    }
    // Without GatewayClass objects: a test bundle stands for upstream's harness, whose class is
    // envoy-gateway-class; plain manifests are taken to target this controller.
    if (rs.bundle_format) return name == kHarnessGatewayClass;
    return rs.gateway_classes.empty();
  };
  result.gateways.reserve(rs.gateways.size());
  for (const auto& gw : rs.gateways) {
    GatewayResult gr;
    gr.gateway = &gw;
    gr.accepted = classIsOurs(gw.class_name);
    result.gateways.push_back(std::move(gr));
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < rs.gateways.size(); ++i) {
    if (result.gateways[i].accepted) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return rs.gateways[a].meta.creation_timestamp < rs.gateways[b].meta.creation_timestamp;
  });

  result.irs.reserve(order.size());
  bool any_merged = false;
  for (size_t idx : order) {
    const Gateway& gw = rs.gateways[idx];
    GatewayContext g;
    g.gateway = &gw;
    g.result = &result.gateways[idx];
    const EnvoyProxy* class_proxy = classEnvoyProxy(rs, gw.class_name);
    const EnvoyProxy* proxy = gatewayEnvoyProxy(rs, gw);
    if (proxy == nullptr) proxy = class_proxy;
    const bool merged = class_proxy != nullptr && class_proxy->merge_gateways.value_or(false);
    any_merged = any_merged || merged;
    g.result->ir_key = merged ? gw.class_name : gw.meta.ns + "/" + gw.meta.name;
    g.ir = irFor(result, g.result->ir_key, gw);
    g.envoy_proxy = proxy;
    g.ip_family = proxy ? proxy->ip_family : std::nullopt;
    for (const auto& l : gw.listeners) {
      ListenerContext lc;
      lc.listener = &l;
      lc.ir_name = gw.meta.ns + "/" + gw.meta.name + "/" + l.name;
      g.listeners.push_back(std::move(lc));
    }
    for (const auto& ls : rs.listener_sets) {
      std::string parent_ns = ls.parent.ns.value_or(ls.meta.ns);
      if (ls.parent.name != gw.meta.name || parent_ns != gw.meta.ns) continue;
      if (!listenerSetAllowed(ctx, gw, ls)) {
        ctx.disallowed_listener_sets.emplace_back(&ls, &gw);
        continue;
      }
      for (const auto& l : ls.listeners) {
        ListenerContext lc;
        lc.listener = &l;
        lc.listener_set = &ls;
        lc.ir_name =
            gw.meta.ns + "/" + gw.meta.name + "/" + ls.meta.ns + "/" + ls.meta.name + "/" + l.name;
        g.listeners.push_back(std::move(lc));
      }
    }
    ctx.gateways.push_back(std::move(g));
  }

  std::map<std::string, std::set<std::pair<std::string, int64_t>>> infra_ports_by_ir;
  std::vector<std::vector<std::optional<ir::TLSConfig>>> tls_by_gateway;
  for (auto& g : ctx.gateways) {
    const Gateway& gw = *g.gateway;
    std::vector<std::optional<ir::TLSConfig>> tls(g.listeners.size());
    for (size_t i = 0; i < g.listeners.size(); ++i) {
      auto& lc = g.listeners[i];
      lc.status.name = lc.listener->name;
      validateListenerSpec(ctx, gw, lc, tls[i]);
    }
    tls_by_gateway.push_back(std::move(tls));
  }
  validateListenerConflicts(ctx.gateways, any_merged);
  for (size_t gi = 0; gi < ctx.gateways.size(); ++gi) {
    auto& g = ctx.gateways[gi];
    const Gateway& gw = *g.gateway;
    auto& tls = tls_by_gateway[gi];
    for (auto& lc : g.listeners) finalizeListenerConditions(lc);
    auto& infra_ports = infra_ports_by_ir[g.ir->key];
    for (size_t i = 0; i < g.listeners.size(); ++i) {
      auto& lc = g.listeners[i];
      const Listener& l = *lc.listener;
      if (!lc.ready) continue;
      ir::Listener il;
      il.name = lc.ir_name;
      il.protocol = l.protocol;
      il.port = containerPort(l.port);
      il.external_port = static_cast<uint32_t>(l.port);
      il.ip_family = g.ip_family;
      if (g.ip_family == "IPv6" || g.ip_family == "DualStack") il.address = "::";
      // Upstream names the owning Gateway here, also for ListenerSet listeners.
      il.metadata = {"Gateway", gw.meta.name, gw.meta.ns, l.name};
      if (il.isHTTP()) il.hostnames.push_back(l.hostname.value_or("*"));
      il.tls = std::move(tls[i]);
      g.ir->listeners.push_back(std::move(il));
      if (infra_ports.insert({l.protocol, l.port}).second) {
        g.ir->proxy_listeners.push_back(
            {lc.ir_name, l.protocol, static_cast<uint32_t>(l.port), containerPort(l.port), false});
      }
    }
    markOverlappingTLS(g);
  }
}

ir::Listener* ir::Gateway::find(const std::string& listener_name) {
  for (auto& l : listeners) {
    if (l.name == listener_name) return &l;
  }
  return nullptr;
}

const Secret* TranslationContext::findSecret(const std::string& ns, const std::string& name) const {
  for (const auto& s : resources->secrets) {
    if (s.meta.ns == ns && s.meta.name == name) return &s;
  }
  return nullptr;
}

const ConfigMap* TranslationContext::findConfigMap(const std::string& ns,
                                                   const std::string& name) const {
  for (const auto& c : resources->config_maps) {
    if (c.meta.ns == ns && c.meta.name == name) return &c;
  }
  return nullptr;
}

const ClusterTrustBundle* TranslationContext::findTrustBundle(const std::string& name) const {
  for (const auto& b : resources->cluster_trust_bundles) {
    if (b.meta.name == name) return &b;
  }
  return nullptr;
}

const Namespace* TranslationContext::findNamespace(const std::string& name) const {
  for (const auto& n : resources->namespaces) {
    if (n.meta.name == name) return &n;
  }
  return nullptr;
}

bool TranslationContext::referenceAllowed(const std::string& from_group,
                                          const std::string& from_kind, const std::string& from_ns,
                                          const std::string& to_group, const std::string& to_kind,
                                          const std::string& to_ns,
                                          const std::string& to_name) const {
  for (const auto& g : resources->reference_grants) {
    if (g.meta.ns != to_ns) continue;
    bool from_ok = false;
    for (const auto& f : g.from) {
      from_ok = from_ok || (f.group == from_group && f.kind == from_kind && f.ns == from_ns);
    }
    if (!from_ok) continue;
    for (const auto& t : g.to) {
      if (t.group == to_group && t.kind == to_kind &&
          (!t.name || t.name->empty() || *t.name == to_name)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace ctplab::policy
