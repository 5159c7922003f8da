#include "ctplab/proxy/router/route_table.h"

#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::proxy::router {

RouteDecision routeRequest(const policy::ir::Listener& listener, std::string_view host) {
  const policy::ir::Route* best = nullptr;
  size_t best_rank = 0;
  for (const auto& route : listener.routes) {
    size_t rank = hostnameMatchRank(route.hostname, host);
    if (rank > best_rank) {
      best_rank = rank;
      best = &route;
    }
  }
  if (best == nullptr) return {RouteDecision::Kind::kNoRoute, ""};
  return {
      best->direct_response_500 ? RouteDecision::Kind::kDirect500 : RouteDecision::Kind::kBackend,
      best->name};
}

}  // namespace ctplab::proxy::router
