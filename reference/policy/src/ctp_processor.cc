// Attachment of ClientTrafficPolicies: section-specific references first, then ListenerSet-wide,
// then Gateway-wide; conflicts, overrides, port-overlap checks and status conditions.
#include <algorithm>
#include <cctype>
#include <set>

#include "ctp_listener_translator.h"
#include "translation_context.h"

namespace ctplab::policy {
namespace {

struct Target {
  std::string kind;  // Gateway | ListenerSet
  std::string ns, name;
  std::optional<std::string> section;
  bool operator==(const Target& o) const {
    return kind == o.kind && ns == o.ns && name == o.name && section == o.section;
  }
};

std::vector<Target> explicitTargets(const ClientTrafficPolicy& p) {
  std::vector<Target> out;
  std::vector<PolicyTargetRef> refs;
  if (p.spec.target_ref) {
    refs.push_back(*p.spec.target_ref);
  } else {
    refs = p.spec.target_refs;
  }
  for (const auto& r : refs) {
    if (r.group.empty() && r.kind.empty() && r.name.empty() && !r.section_name) continue;
    out.push_back({r.kind, p.meta.ns, r.name, r.section_name});
  }
  return out;
}

bool expressionsMatch(const std::vector<TargetSelectorSpec::Expression>& exprs,
                      const std::map<std::string, std::string>& labels) {
  LabelSelector sel;
  for (const auto& e : exprs) sel.match_expressions.push_back({e.key, e.op, e.values});
  return selectorMatches(sel, labels);
}

struct SelectorMatch {
  Target target;
  std::string created;
};

void matchSelectors(const TranslationContext& ctx, const ClientTrafficPolicy& p,
                    const std::string& kind, const ObjectMeta& meta,
                    std::vector<SelectorMatch>& out) {
  for (const auto& s : p.spec.target_selectors) {
    if (s.group.value_or("gateway.networking.k8s.io") != "gateway.networking.k8s.io") continue;
    if (s.kind != kind) continue;
    if (s.namespaces_from == "Same" && meta.ns != p.meta.ns) continue;
    if (s.namespaces_from == "Selector") {
      const Namespace* ns = ctx.findNamespace(meta.ns);
      if (ns == nullptr) continue;
      LabelSelector sel{s.namespace_match_labels, {}};
      if (!selectorMatches(sel, ns->meta.labels) ||
          !expressionsMatch(s.namespace_match_expressions, ns->meta.labels)) {
        continue;
      }
    }
    LabelSelector labels{s.match_labels, {}};
    if (!selectorMatches(labels, meta.labels) ||
        !expressionsMatch(s.match_expressions, meta.labels)) {
      continue;
    }
    if (meta.ns != p.meta.ns &&
        !ctx.referenceAllowed("gateway.envoyproxy.io", "ClientTrafficPolicy", p.meta.ns,
                              "gateway.networking.k8s.io", kind, meta.ns, meta.name)) {
      continue;
    }
    Target t{kind, meta.ns, meta.name, std::nullopt};
    bool dup =
        std::any_of(out.begin(), out.end(), [&](const SelectorMatch& m) { return m.target == t; });
    if (!dup) out.push_back({t, meta.creation_timestamp});
  }
}

// Selector matches (by the target's creation time), then explicit references not yet present.
std::vector<Target> allTargets(const TranslationContext& ctx, const ClientTrafficPolicy& p) {
  std::vector<SelectorMatch> matches;
  for (const auto& g : ctx.gateways) matchSelectors(ctx, p, "Gateway", g.gateway->meta, matches);
  for (const auto& ls : ctx.resources->listener_sets)
    matchSelectors(ctx, p, "ListenerSet", ls.meta, matches);
  std::stable_sort(
      matches.begin(), matches.end(),
      [](const SelectorMatch& a, const SelectorMatch& b) { return a.created < b.created; });
  std::vector<Target> out;
  for (auto& m : matches) out.push_back(m.target);
  for (auto& t : explicitTargets(p)) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

struct Resolved {
  GatewayContext* gateway = nullptr;
  const ListenerSet* listener_set = nullptr;
  std::optional<std::pair<std::string, std::string>> error;  // reason, message
};

Resolved resolve(TranslationContext& ctx, const Target& t) {
  Resolved r;
  auto findGateway = [&](const std::string& ns, const std::string& name) -> GatewayContext* {
    for (auto& g : ctx.gateways) {
      if (g.gateway->meta.ns == ns && g.gateway->meta.name == name) return &g;
    }
    return nullptr;
  };
  if (t.kind == "ListenerSet") {
    for (const auto& ls : ctx.resources->listener_sets) {
      if (ls.meta.ns == t.ns && ls.meta.name == t.name) r.listener_set = &ls;
    }
    if (r.listener_set == nullptr) return {};
    r.gateway = findGateway(r.listener_set->parent.ns.value_or(r.listener_set->meta.ns),
                            r.listener_set->parent.name);
    if (r.gateway == nullptr) return {};
    if (t.section) {
      bool found = false;
      for (const auto& l : r.listener_set->listeners) found = found || l.name == *t.section;
      if (!found) {
        r.error = {{"TargetNotFound", "ListenerSet " + t.ns + "/" + t.name +
                                          " does not have a listener named \"" + *t.section +
                                          "\""}};
      }
    }
    return r;
  }
  r.gateway = findGateway(t.ns, t.name);
  if (r.gateway == nullptr) return {};
  if (t.section) {
    bool found = false;
    for (const auto& l : r.gateway->listeners) found = found || l.listener->name == *t.section;
    if (!found) {
      r.error = {{"TargetNotFound",
                  "No section name " + *t.section + " found for Gateway " + t.ns + "/" + t.name}};
    }
  }
  return r;
}

std::string deprecationMessage(const ClientTrafficPolicy& p) {
  std::map<std::string, std::string> fields;
  if (p.spec.enable_proxy_protocol) fields["spec.enableProxyProtocol"] = "spec.proxyProtocol";
  if (p.spec.headers && p.spec.headers->preserve_x_request_id) {
    fields["spec.headers.preserveXRequestID"] = "spec.headers.requestID";
  }
  if (p.spec.target_ref) fields["spec.targetRef"] = "spec.targetRefs";
  if (p.spec.tls && p.spec.tls->client_validation && p.spec.tls->client_validation->optional) {
    fields["spec.tls.clientValidation.optional"] = "spec.tls.clientValidation.mode";
  }
  std::string m;
  for (const auto& [from, to] : fields) {
    m += (m.empty() ? "" : "; ") + from + " is deprecated, use " + to + " instead";
  }
  return m;
}

std::string http3Warning(std::vector<std::string> names) {
  if (names.empty()) return "";
  std::string target = "listener \"" + names[0] + "\"";
  if (names.size() > 1) {
    std::sort(names.begin(), names.end());
    target = "listeners [";
    for (size_t i = 0; i < names.size(); ++i) target += (i ? " " : "") + names[i];
    target += "]";
  }
  return "HTTP/3 was disabled for " + target +
         " because Envoy does not support downstream client TLS validation over QUIC";
}

// Port-overlap validation for plain-HTTP listeners sharing a port (spec section 3.4).
std::optional<std::string> portOverlap(const ir::Gateway& gw, const ir::Listener& l, int scope) {
  if (!l.isHTTP() || l.tls) return std::nullopt;
  std::vector<std::string> same;
  for (const auto& other : gw.listeners) {
    if (&other == &l || !other.isHTTP()) continue;
    if (other.port == l.port) same.push_back(other.name);
  }
  if (same.empty()) return std::nullopt;
  std::vector<std::string> conflicting;
  if (scope == 0) {
    conflicting = same;
  } else {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t pos; (pos = l.name.find('/', start)) != std::string::npos; start = pos + 1) {
      parts.push_back(l.name.substr(start, pos - start));
    }
    parts.push_back(l.name.substr(start));
    std::string prefix;
    if (scope == 1 && parts.size() >= 2) {
      prefix = parts[0] + "/" + parts[1];
    } else if (scope == 2 && parts.size() >= 4) {
      prefix = parts[0] + "/" + parts[1] + "/" + parts[2] + "/" + parts[3] + "/";
    } else {
      prefix = l.name;
    }
    for (const auto& n : same) {
      if (n.rfind(prefix, 0) != 0) conflicting.push_back(n);
    }
  }
  if (conflicting.empty()) return std::nullopt;
  std::string list;
  for (size_t i = 0; i < conflicting.size(); ++i) list += (i ? ", " : "") + conflicting[i];
  return "ClientTrafficPolicy is being applied to multiple http (non https) listeners (" + list +
         ") on the same port, which is not allowed";
}

std::string lsPrefix(const ListenerSet& ls) { return ls.meta.ns + "/" + ls.meta.name + "/"; }

class CtpProcessor {
 public:
  CtpProcessor(TranslationContext& ctx, TranslationResult& result) : ctx_(ctx), result_(result) {}

  void run() {
    std::vector<const ClientTrafficPolicy*> policies;
    for (const auto& p : ctx_.resources->client_traffic_policies) policies.push_back(&p);
    const bool keep_input_order = ctx_.resources->bundle_format;
    std::stable_sort(policies.begin(), policies.end(), [&](const auto* a, const auto* b) {
      return processedBefore(a->meta, b->meta, keep_input_order);
    });
    for (const auto* p : policies) {
      auto errors = admissionErrors(p->spec);
      if (!errors.empty() && ctx_.options.enforce_admission) {
        PolicyResult& r = entry(p);
        r.admission_errors = errors;
        r.rejected = true;
        continue;
      }
      if (!errors.empty()) entry(p).admission_errors = errors;
      active_.push_back(p);
    }
    sectionPass();
    // Selector matching is the same for both whole-target passes: resolve it once, after the
    // section pass, as upstream does.
    for (const auto* p : active_) targets_.push_back(allTargets(ctx_, *p));
    for (const char* kind : {"ListenerSet", "Gateway"}) wholeTargetPass(kind);
    for (auto& r : result_.policies)
      r.status.truncate(ctx_.options.controller_name, r.policy->meta.generation);
  }

 private:
  PolicyResult& entry(const ClientTrafficPolicy* p) {
    for (auto& r : result_.policies) {
      if (r.policy == p) return r;
    }
    result_.policies.push_back({});
    result_.policies.back().policy = p;
    return result_.policies.back();
  }

  AncestorRef ancestorFor(const Resolved& r, const Target& t, bool with_section) {
    AncestorRef a;
    if (t.kind == "ListenerSet") {
      a.kind = "ListenerSet";
      a.ns = r.listener_set->meta.ns;
      a.name = r.listener_set->meta.name;
    } else {
      a.kind = "Gateway";
      a.ns = r.gateway->gateway->meta.ns;
      a.name = r.gateway->gateway->meta.name;
    }
    if (with_section) a.section_name = t.section;
    return a;
  }

  void finishAncestor(PolicyResult& r, const AncestorRef& a, const std::vector<std::string>& errs,
                      const std::vector<std::string>& http3_disabled) {
    const auto& ctrl = ctx_.options.controller_name;
    int64_t gen = r.policy->meta.generation;
    if (!errs.empty()) {
      r.status.setCondition(a, ctrl,
                            {"Accepted", "False", "Invalid", errorConditionMessage(errs), gen});
    }
    r.status.setAcceptedIfUnset(a, ctrl, gen);
    std::string h3 = http3Warning(http3_disabled);
    if (!h3.empty()) r.status.addWarning(a, ctrl, "UnsupportedHTTP3ClientValidation", h3, gen);
    std::string dep = deprecationMessage(*r.policy);
    if (!dep.empty()) r.status.addWarning(a, ctrl, "DeprecatedField", dep, gen);
  }

  void sectionPass() {
    for (const auto* p : active_) {
      for (const auto& t : explicitTargets(*p)) {
        if (!t.section) continue;
        PolicyResult& r = entry(p);
        Resolved res = resolve(ctx_, t);
        if (res.gateway == nullptr) continue;
        AncestorRef a = ancestorFor(res, t, true);
        const auto& ctrl = ctx_.options.controller_name;
        if (res.error) {
          r.status.setCondition(
              a, ctrl,
              {"Accepted", "False", res.error->first, res.error->second, p->meta.generation});
          continue;
        }
        std::string key = *t.section;
        if (t.kind == "ListenerSet") key = lsPrefix(*res.listener_set) + key;
        auto& claimed = claimed_sections_[res.gateway->key()];
        if (claimed.count(key)) {
          r.status.setCondition(a, ctrl,
                                {"Accepted", "False", "Conflicted",
                                 "Unable to target section of " + t.name +
                                     ", another ClientTrafficPolicy has already attached to it",
                                 p->meta.generation});
          continue;
        }
        claimed.insert(key);
        std::vector<std::string> errs, http3_disabled;
        for (auto& lc : res.gateway->listeners) {
          if (t.kind == "ListenerSet" && lc.listener_set != res.listener_set) continue;
          if (lc.listener->name != *t.section) continue;
          translateListener(*p, *res.gateway, lc, 0, errs, http3_disabled);
          break;
        }
        finishAncestor(r, a, errs, http3_disabled);
      }
    }
  }

  void wholeTargetPass(const std::string& pass_kind) {
    for (size_t i = 0; i < active_.size(); ++i) {
      const ClientTrafficPolicy* p = active_[i];
      for (const auto& t : targets_[i]) {
        if (t.section || t.kind != pass_kind) continue;
        PolicyResult& r = entry(p);
        Resolved res = resolve(ctx_, t);
        if (res.gateway == nullptr) continue;
        AncestorRef a = ancestorFor(res, t, false);
        const auto& ctrl = ctx_.options.controller_name;
        int64_t gen = p->meta.generation;
        const bool is_ls = t.kind == "ListenerSet";
        std::string scope_key =
            is_ls ? "listenerset/" + res.listener_set->meta.ns + "/" + res.listener_set->meta.name
                  : "/entireGatewayScope";
        auto& scopes = claimed_scopes_[res.gateway->key()];
        if (scopes.count(scope_key)) {
          r.status.setCondition(
              a, ctrl,
              {"Accepted", "False", "Conflicted",
               std::string("Unable to target ") + (is_ls ? "ListenerSet " : "Gateway ") + t.name +
                   ", another ClientTrafficPolicy has already attached to it",
               gen});
          continue;
        }
        auto& claimed = claimed_sections_[res.gateway->key()];
        std::vector<std::string> overriding;
        for (const auto& c : claimed) {
          if (is_ls) {
            std::string prefix = lsPrefix(*res.listener_set);
            if (c.rfind(prefix, 0) == 0) overriding.push_back(c.substr(prefix.size()));
          } else {
            size_t slash = c.rfind('/');
            overriding.push_back(slash == std::string::npos ? c : c.substr(slash + 1));
          }
        }
        if (!overriding.empty()) {
          std::sort(overriding.begin(), overriding.end());
          std::string list;
          for (size_t i = 0; i < overriding.size(); ++i) list += (i ? " " : "") + overriding[i];
          r.status.setCondition(a, ctrl,
                                {"Overridden", "True", "Overridden",
                                 "There are existing ClientTrafficPolicies that are "
                                 "overriding these sections [" +
                                     list + "]",
                                 gen});
        }
        scopes.insert(scope_key);
        std::vector<std::string> errs, http3_disabled;
        for (auto& lc : res.gateway->listeners) {
          if (is_ls && lc.listener_set != res.listener_set) continue;
          std::string key =
              lc.listener_set ? lsPrefix(*lc.listener_set) + lc.listener->name : lc.listener->name;
          if (claimed.count(key)) continue;
          bool ok = translateListener(*p, *res.gateway, lc, is_ls ? 2 : 1, errs, http3_disabled);
          if (ok && is_ls) claimed.insert(lsPrefix(*res.listener_set) + lc.listener->name);
        }
        finishAncestor(r, a, errs, http3_disabled);
      }
    }
  }

  // Returns false when the port-overlap check failed (the listener is then left alone).
  bool translateListener(const ClientTrafficPolicy& p, GatewayContext& g, ListenerContext& lc,
                         int scope, std::vector<std::string>& errs,
                         std::vector<std::string>& http3_disabled) {
    ir::Listener* l = g.ir->find(lc.ir_name);
    if (l == nullptr) return true;  // listener not programmed: nothing to configure
    if (auto overlap = portOverlap(*g.ir, *l, scope)) {
      errs.push_back(*overlap);
      return false;
    }
    if (disablesHTTP3ForClientValidation(p, l)) http3_disabled.push_back(lc.listener->name);
    auto e = translatePolicyForListener(ctx_, p, *l, *g.ir);
    errs.insert(errs.end(), e.begin(), e.end());
    return true;
  }

  TranslationContext& ctx_;
  TranslationResult& result_;
  std::vector<const ClientTrafficPolicy*> active_;
  std::vector<std::vector<Target>> targets_;  // per active policy, for the whole-target passes
  std::map<std::string, std::set<std::string>> claimed_sections_;
  std::map<std::string, std::set<std::string>> claimed_scopes_;
};

}  // namespace

void processClientTrafficPolicies(TranslationContext& ctx, TranslationResult& result) {
  CtpProcessor(ctx, result).run();
}

}  // namespace ctplab::policy
