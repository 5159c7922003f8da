// Policy attachment scopes and which more specific scopes displace a policy, as upstream's
// policyScopeGraph records them for the SecurityPolicy Overridden condition. Internal.
#pragma once

#include <map>
#include <set>
#include <string>

namespace ctplab::policy {

enum class ScopeKind {
  kGateway,
  kGatewayListener,
  kListenerSet,
  kListenerSetListener,
  kRoute,
  kRouteRule
};

struct Scope {
  ScopeKind kind = ScopeKind::kGateway;
  std::string ns, name;
  std::string section;     // listener or rule name; "" for whole resources
  std::string route_kind;  // HTTPRoute, GRPCRoute, ... for route scopes
  auto operator<=>(const Scope&) const = default;
};

Scope gatewayScope(const std::string& ns, const std::string& name);
Scope gatewayListenerScope(const std::string& ns, const std::string& name,
                           const std::string& listener);
Scope listenerSetScope(const std::string& ns, const std::string& name);
Scope listenerSetListenerScope(const std::string& ns, const std::string& name,
                               const std::string& listener);
Scope routeScope(const std::string& ns, const std::string& name, const std::string& kind);

class ScopeGraph {
 public:
  // `child`'s policy displaces `parent`'s. A section-level parent is also indexed under its
  // whole resource so that resource-level lookups reach it.
  void add(const Scope& parent, const Scope& child);
  // A ListenerSet belongs to its parent Gateway (not derivable from the scopes alone).
  void registerListenerSet(const Scope& listener_set, const Scope& gateway);
  // Scopes displacing `parent` directly or through a scope it contains; a listener scope also
  // inherits the routes recorded on its whole Gateway or ListenerSet.
  std::set<Scope> withDescendants(const Scope& parent) const;

 private:
  std::map<Scope, std::set<Scope>> children_;
  std::map<Scope, std::set<Scope>> contained_;
};

// "these gateway listeners: [a b] and these routes: [c]" (kinds in upstream's order, entries
// `ns/name[/section]` sorted); "" when empty.
std::string formatScopes(const std::set<Scope>& scopes);

}  // namespace ctplab::policy
