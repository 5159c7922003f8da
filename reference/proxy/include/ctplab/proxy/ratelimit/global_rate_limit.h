// The data-plane half of a BackendTrafficPolicy's `rateLimit.global`: the descriptors a request
// sends to the rate-limit service, and what the service's answer (or its failure) means for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/ratelimit/local_rate_limiter.h"
#include "ctplab/proxy/ratelimit/ratelimit_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::ratelimit {

struct GlobalRateLimitRule {
  ClientSelectors selectors;  // empty: every request of the route (Envoy Gateway's generic key)
  Limit limit;
  bool shadow_mode = false;  // the service counts it but never answers over limit for it
  // One counter for every route the policy targets, instead of one per route.
  bool shared = false;
};

struct GlobalRateLimitSpec {
  std::vector<GlobalRateLimitRule> rules;  // in API order
  // What the descriptor keys start with: Envoy Gateway names a rule's counters after the route
  // (route_scope), or after the policy for shared rules (shared_scope), so routes share a shared
  // rule's counters and never each other's.
  std::string route_scope;
  std::string shared_scope;
  bool disable_rate_limit_headers = false;  // ClientTrafficPolicy headers.disableRateLimitHeaders
  // Envoy's failure_mode_deny: a failed service call answers 500 instead of letting the request
  // through. Envoy's default (and Envoy Gateway's) is to fail open.
  bool fail_closed = false;
};

class GlobalRateLimitConfig {
 public:
  // The rule index travels in one byte of the matcher's key.
  static constexpr size_t kMaxRules = 255;

  // Selector checks shared with the local rate limit (regexes, CIDRs), with the same messages.
  static Result<GlobalRateLimitConfig> create(const GlobalRateLimitSpec& spec);

  const std::vector<CompiledRule>& rules() const { return rules_; }  // every rule, API order
  bool shared(size_t rule) const { return shared_[rule]; }
  const std::string& routeScope() const { return route_scope_; }
  const std::string& sharedScope() const { return shared_scope_; }
  bool rateLimitHeaders() const { return rate_limit_headers_; }
  bool failClosed() const { return fail_closed_; }

 private:
  std::vector<CompiledRule> rules_;
  std::vector<bool> shared_;
  std::string route_scope_, shared_scope_;
  bool rate_limit_headers_ = true;
  bool fail_closed_ = false;
};

// One counter the service is asked to hit.
struct GlobalDescriptor {
  size_t rule = 0;  // index into GlobalRateLimitConfig::rules()
  // The counter's identity: scope, rule and the request's Distinct values (header, query
  // parameter, client address), readable, e.g. `route/rule/0/header:x-user=alice`. Two requests
  // share a counter exactly when their keys are equal.
  std::string key;
  Limit limit;
  bool shadow_mode = false;
};

// Envoy Gateway's global semantics: every rule whose selectors the request satisfies yields one
// descriptor, in rule order, and every one of them is checked (not just the strictest). A request
// matching no rule yields none and is not limited; a rule without selectors matches every
// request. `head.target` is the normalized `:path`; `client` the detected client IP (spec 4.6).
std::vector<GlobalDescriptor> globalDescriptors(const GlobalRateLimitConfig& config,
                                                const http1::RequestHead& head,
                                                const IpAddress& client);

// The service's verdict on one descriptor (envoy.service.ratelimit.v3 DescriptorStatus).
struct GlobalDescriptorStatus {
  bool over_limit = false;      // code OVER_LIMIT; never set for a shadow-mode descriptor
  bool shadow_limited = false;  // over the limit, but the descriptor is in shadow mode
  Limit limit;                  // current_limit
  uint32_t remaining = 0;       // limit_remaining
  int64_t reset_seconds = 0;    // duration_until_reset, whole seconds
};

// What came back for one check: a status per descriptor (same order), or a failure (the
// service unreachable, an error, or no answer within the filter's timeout).
struct GlobalCheckReply {
  bool failed = false;
  std::vector<GlobalDescriptorStatus> statuses;
};

struct GlobalDecision {
  bool allowed = true;          // false: answer with `status` instead of routing
  int status = 0;               // 429 over limit, 500 a failed call with fail_closed; else 0
  bool failed = false;          // the service call failed
  bool failed_open = false;     // ... and the request went on (Envoy's failure_mode_allowed)
  bool shadow_limited = false;  // a shadow-mode descriptor was over its limit
  // The descriptor the x-ratelimit-* headers describe (the one with the least remaining, the
  // first of equals), as an index into the descriptors; -1 when no status came back.
  int descriptor = -1;
  bool rate_limit_headers = false;  // whether x-ratelimit-* go on the response
  // x-ratelimit-limit: that descriptor's limit, then every descriptor's quota policy, as Envoy
  // writes it (`10, 10;w=60, 1000;w=3600`).
  std::string limit;
  uint32_t remaining = 0;
  int64_t reset_seconds = 0;
};

// Envoy's rate limit filter: over limit when any descriptor is (429); a failed call lets the
// request through (fail open) unless the config fails closed (500). No descriptors: allowed,
// no headers, and the service was not asked (`reply` is ignored).
GlobalDecision decideGlobal(const GlobalRateLimitConfig& config,
                            std::span<const GlobalDescriptor> descriptors,
                            const GlobalCheckReply& reply);

// Adds x-ratelimit-limit/-remaining/-reset (draft 03) when the decision asks for them; Envoy adds
// them to the upstream response and to its own 429 alike.
void appendGlobalRateLimitHeaders(const GlobalDecision& decision, http1::HeaderList& headers);

// The local reply for a request the filter stops: 429 with `x-envoy-ratelimited: true` and an
// empty body (the service sends none by default), or 500 on a failed call that fails closed.
// nullopt when the request goes on to the router.
std::optional<LimitedReply> globalLimitedReply(const GlobalDecision& decision);

}  // namespace ctplab::proxy::ratelimit
