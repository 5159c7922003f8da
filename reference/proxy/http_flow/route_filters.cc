#include "ctplab/proxy/http_flow/route_filters.h"

#include "ctplab/proxy/jwt/config_from_ir.h"
#include "ctplab/proxy/ratelimit/config_from_ir.h"

namespace ctplab::proxy::http_flow {

Result<std::vector<RouteFilters>> compileRouteFilters(const policy::ir::Listener& listener) {
  std::vector<RouteFilters> out(listener.routes.size());
  const bool headers_disabled = listener.headers && listener.headers->disable_rate_limit_headers;
  for (size_t i = 0; i < listener.routes.size(); ++i) {
    const auto& route = listener.routes[i];
    if (route.direct_response_500) continue;  // never reaches a filter
    if (route.jwt) {
      auto spec = jwt::jwtSpecFromIr(*route.jwt);
      if (!spec) return Error{"route " + route.name + ": " + spec.error().message};
      auto config = jwt::JwtConfig::create(spec.value());
      if (!config) {
        return Error{"route " + route.name + ": SecurityPolicy " + route.jwt->policy + ": " +
                     config.error().message};
      }
      out[i].jwt = std::make_shared<const jwt::JwtConfig>(std::move(config).value());
    }
    if (route.rate_limit && route.rate_limit->local) {
      auto spec = ratelimit::localSpecFromIr(*route.rate_limit->local, headers_disabled);
      if (!spec) return Error{"route " + route.name + ": " + spec.error().message};
      auto config = ratelimit::LocalRateLimitConfig::create(spec.value());
      if (!config) {
        return Error{"route " + route.name + ": BackendTrafficPolicy " + route.rate_limit->policy +
                     ": " + config.error().message};
      }
      out[i].local =
          std::make_shared<const ratelimit::LocalRateLimitConfig>(std::move(config).value());
    }
    if (route.rate_limit && route.rate_limit->global) {
      auto spec = ratelimit::globalSpecFromIr(*route.rate_limit, route.name, headers_disabled);
      if (!spec) return Error{"route " + route.name + ": " + spec.error().message};
      auto config = ratelimit::GlobalRateLimitConfig::create(spec.value());
      if (!config) {
        return Error{"route " + route.name + ": BackendTrafficPolicy " + route.rate_limit->policy +
                     ": " + config.error().message};
      }
      out[i].global =
          std::make_shared<const ratelimit::GlobalRateLimitConfig>(std::move(config).value());
    }
  }
  return out;
}

ListenerState::ListenerState(const std::vector<RouteFilters>& filters) {
  routes_.resize(filters.size());
  for (size_t i = 0; i < filters.size(); ++i) {
    if (filters[i].jwt) routes_[i].jwt = std::make_unique<jwt::Authenticator>(filters[i].jwt);
    if (filters[i].local) {
      routes_[i].local = std::make_unique<ratelimit::LocalRateLimiter>(filters[i].local);
    }
  }
}

std::optional<jwt::Outcome> ListenerState::authenticate(int route, TimePoint now,
                                                        const http1::RequestHead& head,
                                                        std::string_view scheme) {
  if (route < 0 || static_cast<size_t>(route) >= routes_.size()) return std::nullopt;
  Route& r = routes_[static_cast<size_t>(route)];
  if (!r.jwt) return std::nullopt;
  std::lock_guard guard(*r.lock);
  return r.jwt->authenticate(now, head, scheme);
}

std::optional<ratelimit::Decision> ListenerState::limitLocally(int route, TimePoint now,
                                                               const http1::RequestHead& head,
                                                               const IpAddress& client) {
  if (route < 0 || static_cast<size_t>(route) >= routes_.size()) return std::nullopt;
  Route& r = routes_[static_cast<size_t>(route)];
  if (!r.local) return std::nullopt;
  std::lock_guard guard(*r.lock);
  return r.local->decide(now, head, client);
}

}  // namespace ctplab::proxy::http_flow
