// What the router does with a request on one listener: which route serves its Host and path, the
// authorization that route carries, or the proxy's own answer (404 no route, 500 invalid route).
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/authz/authz_policy.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::router {

struct RouteDecision {
  enum class Kind {
    kBackend,    // forward to the route's backend
    kNoRoute,    // no route for this host and path: 404, `route_not_found`
    kDirect500,  // the route was invalidated by a policy error: 500 direct response
  };
  Kind kind = Kind::kNoRoute;
  int index = -1;         // into the listener's IR routes; -1 for kNoRoute
  std::string_view name;  // the route's IR name, valid while the IR lives; empty for kNoRoute
};

// Built once per listener from the IR (regular expressions and authorization compiled up front).
// Envoy picks the virtual host first (the most specific hostname, as hostnameMatchRank ranks
// them), then the first route of that host whose path matches, in IR order, which the policy
// engine sorts as Envoy Gateway does.
class RouteTable {
 public:
  // Errors name the route: a regular expression RE2 rejects, an authorization that does not
  // compile (e.g. an unparsable CIDR).
  static Result<RouteTable> build(const policy::ir::Listener& listener);

  RouteTable(RouteTable&&) noexcept;
  RouteTable& operator=(RouteTable&&) noexcept;
  ~RouteTable();

  // `host` without its port; `path` as normalized, anything from `?` on is ignored.
  RouteDecision route(std::string_view host, std::string_view path) const;
  // The authorization compiled for route `index`; nullptr when no SecurityPolicy applies.
  const authz::AuthzPolicy* authorization(int index) const;
  // The SecurityPolicy ("<ns>/<name>") route `index`'s authorization came from; empty if none.
  std::string_view authorizationSource(int index) const;

 private:
  struct Compiled;
  RouteTable();
  const policy::ir::Listener* listener_ = nullptr;
  std::vector<std::unique_ptr<Compiled>> routes_;
};

// Whether `path` (query removed) satisfies `match`: Exact compares the whole path, PathPrefix
// matches whole segments ("/foo" matches "/foo" and "/foo/bar", not "/foobar"; "/" matches all).
// Regular expressions are handled by RouteTable, which compiles them.
bool pathMatches(const policy::ir::PathMatch& match, std::string_view path);

}  // namespace ctplab::proxy::router
