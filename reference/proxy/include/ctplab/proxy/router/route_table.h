// What the router does with a request on one listener: which route serves its Host, or the
// proxy's own answer when none does (404) or the route is invalid (500 direct response).
#pragma once

#include <string>
#include <string_view>

#include "ctplab/policy/ir.h"

namespace ctplab::proxy::router {

struct RouteDecision {
  enum class Kind {
    kBackend,    // forward to the route's backend
    kNoRoute,    // no route for this host: 404, `route_not_found`
    kDirect500,  // the route was invalidated by a policy error: 500 direct response
  };
  Kind kind = Kind::kNoRoute;
  std::string route;  // the route's IR name (empty for kNoRoute)
};

// Routes are matched by hostname only (the IR keeps no path matches); the most specific
// hostname wins, ties to the first route in IR order.
RouteDecision routeRequest(const policy::ir::Listener& listener, std::string_view host);

}  // namespace ctplab::proxy::router
