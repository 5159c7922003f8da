// The HTTP filters a route carries besides RBAC, compiled once per listener (JWT authentication,
// local rate limit), and the mutable state one proxy instance keeps for them (spec 4.18, 5.2, 5.3).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/jwt/authenticator.h"
#include "ctplab/proxy/jwt/jwt_config.h"
#include "ctplab/proxy/ratelimit/global_rate_limit.h"
#include "ctplab/proxy/ratelimit/local_rate_limiter.h"
#include "ctplab/proxy/ratelimit/ratelimit_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http_flow {

struct RouteFilters {
  std::shared_ptr<const jwt::JwtConfig> jwt;                     // null: no JWT filter
  std::shared_ptr<const ratelimit::LocalRateLimitConfig> local;  // null: no local rate limit
  // null: no global rate limit; its counters live in the rate-limit service, not here.
  std::shared_ptr<const ratelimit::GlobalRateLimitConfig> global;
};

// One entry per IR route of the listener. Errors name the route and the policy it came from.
Result<std::vector<RouteFilters>> compileRouteFilters(const policy::ir::Listener& listener);

// Per proxy instance (a live generation, a simulated replica): the token buckets and
// verified-token caches of one listener's routes. Envoy shares a route's local buckets across
// worker threads, so calls lock the route's entry; one instance never shares with another.
class ListenerState {
 public:
  explicit ListenerState(const std::vector<RouteFilters>& filters);
  ListenerState(ListenerState&&) noexcept = default;
  ListenerState& operator=(ListenerState&&) noexcept = default;

  // Run under the route's lock; nullopt when the route has no such filter.
  std::optional<jwt::Outcome> authenticate(int route, TimePoint now, const http1::RequestHead& head,
                                           std::string_view scheme);
  std::optional<ratelimit::Decision> limitLocally(int route, TimePoint now,
                                                  const http1::RequestHead& head,
                                                  const IpAddress& client);

 private:
  struct Route {
    std::unique_ptr<std::mutex> lock = std::make_unique<std::mutex>();
    std::unique_ptr<jwt::Authenticator> jwt;
    std::unique_ptr<ratelimit::LocalRateLimiter> local;
  };
  std::vector<Route> routes_;
};

}  // namespace ctplab::proxy::http_flow
