#include "security_policy_scopes.h"

#include <algorithm>
#include <vector>

namespace ctplab::policy {
namespace {

Scope wholeResource(const Scope& s) {
  switch (s.kind) {
    case ScopeKind::kGatewayListener:
      return gatewayScope(s.ns, s.name);
    case ScopeKind::kListenerSetListener:
      return listenerSetScope(s.ns, s.name);
    case ScopeKind::kRouteRule:
      return routeScope(s.ns, s.name, s.route_kind);
    default:
      return s;
  }
}

template <typename M>
const std::set<Scope>& at(const M& map, const Scope& key) {
  static const std::set<Scope> kNone;
  auto it = map.find(key);
  return it == map.end() ? kNone : it->second;
}

}  // namespace

Scope gatewayScope(const std::string& ns, const std::string& name) {
  return {ScopeKind::kGateway, ns, name, "", ""};
}
Scope gatewayListenerScope(const std::string& ns, const std::string& name,
                           const std::string& listener) {
  return {ScopeKind::kGatewayListener, ns, name, listener, ""};
}
Scope listenerSetScope(const std::string& ns, const std::string& name) {
  return {ScopeKind::kListenerSet, ns, name, "", ""};
}
Scope listenerSetListenerScope(const std::string& ns, const std::string& name,
                               const std::string& listener) {
  return {ScopeKind::kListenerSetListener, ns, name, listener, ""};
}
Scope routeScope(const std::string& ns, const std::string& name, const std::string& kind) {
  return {ScopeKind::kRoute, ns, name, "", kind};
}

void ScopeGraph::add(const Scope& parent, const Scope& child) {
  children_[parent].insert(child);
  if (parent.kind == ScopeKind::kGatewayListener ||
      parent.kind == ScopeKind::kListenerSetListener || parent.kind == ScopeKind::kRouteRule) {
    contained_[wholeResource(parent)].insert(parent);
  }
}

void ScopeGraph::registerListenerSet(const Scope& listener_set, const Scope& gateway) {
  contained_[gateway].insert(listener_set);
}

std::set<Scope> ScopeGraph::withDescendants(const Scope& parent) const {
  std::set<Scope> out = at(children_, parent);
  switch (parent.kind) {
    case ScopeKind::kGateway:
    case ScopeKind::kListenerSet:
    case ScopeKind::kRoute:
      for (const Scope& desc : at(contained_, parent)) {
        const auto& direct = at(children_, desc);
        out.insert(direct.begin(), direct.end());
        if (desc.kind != ScopeKind::kListenerSet) continue;
        for (const Scope& sub : at(contained_, desc)) {
          const auto& nested = at(children_, sub);
          out.insert(nested.begin(), nested.end());
        }
      }
      break;
    case ScopeKind::kGatewayListener:
    case ScopeKind::kListenerSetListener:
      for (const Scope& child : at(children_, wholeResource(parent))) {
        if (child.kind == ScopeKind::kRoute) out.insert(child);
      }
      break;
    default:
      break;
  }
  return out;
}

std::string formatScopes(const std::set<Scope>& scopes) {
  struct Group {
    ScopeKind kind;
    const char* label;
  };
  static constexpr Group kGroups[] = {
      {ScopeKind::kGatewayListener, "these gateway listeners"},
      {ScopeKind::kListenerSet, "these listenersets"},
      {ScopeKind::kListenerSetListener, "these listenerset listeners"},
      {ScopeKind::kRoute, "these routes"},
      {ScopeKind::kRouteRule, "these route rules"},
  };
  std::string out;
  for (const auto& group : kGroups) {
    std::vector<std::string> entries;
    for (const auto& s : scopes) {
      if (s.kind != group.kind) continue;
      entries.push_back(s.ns + "/" + s.name + (s.section.empty() ? "" : "/" + s.section));
    }
    if (entries.empty()) continue;
    std::sort(entries.begin(), entries.end());
    std::string list;
    for (const auto& e : entries) list += (list.empty() ? "" : " ") + e;
    out += (out.empty() ? "" : " and ") + std::string(group.label) + ": [" + list + "]";
  }
  return out;
}

}  // namespace ctplab::policy
