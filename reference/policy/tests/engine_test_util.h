// Helpers for engine tests: load inline YAML, translate at a fixed instant, read conditions.
#pragma once

#include <string>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"

namespace ctplab::policy::testing {

inline constexpr const char* kGateway = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http-a, protocol: HTTP, port: 80}
  - {name: http-b, protocol: HTTP, port: 8080}
  - {name: tcp, protocol: TCP, port: 9000}
)";

// Gateway ns/gw of class eg with the given listener list items (YAML lines `  - {...}`).
inline std::string gatewayWithListeners(const std::string& listeners) {
  return "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
         "metadata: {name: gw, namespace: ns}\nspec:\n  gatewayClassName: eg\n  listeners:\n" +
         listeners;
}

struct Run {
  LoadResult loaded;
  TranslationResult result;

  const PolicyResult* policy(const std::string& name) const {
    for (const auto& p : result.policies) {
      if (p.policy->meta.name == name) return &p;
    }
    return nullptr;
  }
  // The condition `type` of the policy's ancestor with the given section ("" = whole target).
  const Condition* condition(const std::string& name, const std::string& section,
                             const std::string& type) const {
    const PolicyResult* p = policy(name);
    if (p == nullptr) return nullptr;
    for (const auto& a : p->status.ancestors()) {
      if (a.ref.section_name.value_or("") == section) return a.find(type);
    }
    return nullptr;
  }
  const SecurityPolicyResult* securityPolicy(const std::string& name) const {
    for (const auto& p : result.security_policies) {
      if (p.policy->meta.name == name) return &p;
    }
    return nullptr;
  }
  // The condition `type` of the SecurityPolicy's ancestor named `ancestor` with the given section
  // ("" = none).
  const Condition* spCondition(const std::string& name, const std::string& ancestor,
                               const std::string& section, const std::string& type) const {
    const SecurityPolicyResult* p = securityPolicy(name);
    if (p == nullptr) return nullptr;
    for (const auto& a : p->status.ancestors()) {
      if (a.ref.name == ancestor && a.ref.section_name.value_or("") == section) {
        return a.find(type);
      }
    }
    return nullptr;
  }
  const BackendTrafficPolicyResult* backendPolicy(const std::string& name) const {
    for (const auto& p : result.backend_traffic_policies) {
      if (p.policy->meta.name == name) return &p;
    }
    return nullptr;
  }
  // The condition `type` of the BackendTrafficPolicy's ancestor named `ancestor` with the given
  // section ("" = none).
  const Condition* btpCondition(const std::string& name, const std::string& ancestor,
                                const std::string& section, const std::string& type) const {
    const BackendTrafficPolicyResult* p = backendPolicy(name);
    if (p == nullptr) return nullptr;
    for (const auto& a : p->status.ancestors()) {
      if (a.ref.name == ancestor && a.ref.section_name.value_or("") == section) {
        return a.find(type);
      }
    }
    return nullptr;
  }
  // The IR route of `listener` whose name starts with `prefix`.
  const ir::Route* route(const std::string& listener_name, const std::string& prefix) const {
    const ir::Listener* l = listener(listener_name);
    if (l == nullptr) return nullptr;
    for (const auto& r : l->routes) {
      if (r.name.rfind(prefix, 0) == 0) return &r;
    }
    return nullptr;
  }
  const ir::Listener* listener(const std::string& name) const {
    for (const auto& g : result.irs) {
      for (const auto& l : g.listeners) {
        if (l.name == name) return &l;
      }
    }
    return nullptr;
  }
};

inline Run runYaml(const std::string& yaml, std::optional<bool> global_rate_limit = std::nullopt) {
  Run r;
  loadText(yaml, "test.yaml", r.loaded);
  TranslateOptions options;
  options.global_rate_limit = global_rate_limit;
  options.now = TimePoint::fromUnixSeconds(1780272000);  // 2026-06-01T00:00:00Z
  r.result = translate(r.loaded.resources, options);
  return r;
}

inline std::string policy(const std::string& name, const std::string& created,
                          const std::string& spec) {
  return "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: ClientTrafficPolicy\n"
         "metadata: {name: " +
         name + ", namespace: ns, creationTimestamp: \"" + created + "\"}\nspec:\n" + spec + "\n";
}

inline std::string securityPolicy(const std::string& name, const std::string& created,
                                  const std::string& spec) {
  return "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\n"
         "metadata: {name: " +
         name + ", namespace: ns, creationTimestamp: \"" + created + "\"}\nspec:\n" + spec + "\n";
}

inline std::string backendTrafficPolicy(const std::string& name, const std::string& created,
                                        const std::string& spec) {
  return "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
         "metadata: {name: " +
         name + ", namespace: ns, creationTimestamp: \"" + created + "\"}\nspec:\n" + spec + "\n";
}

// HTTPRoute ns/<name> attached to ns/gw (optionally one listener) with the given rules (YAML list
// items at two-space indent, e.g. "  - matches: [{path: {type: Exact, value: /a}}]").
inline std::string httpRoute(const std::string& name, const std::string& rules,
                             const std::string& section = "") {
  std::string parent = section.empty() ? "{name: gw}" : "{name: gw, sectionName: " + section + "}";
  return "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
         "metadata: {name: " +
         name + ", namespace: ns}\nspec:\n  parentRefs: [" + parent + "]\n  rules:\n" + rules +
         "\n";
}

}  // namespace ctplab::policy::testing
