// JWT authentication counters with Envoy's names (`jwt_authn.*` under the HTTP connection
// manager's prefix), declared once from one list, plus the signature work behind them.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctplab/proxy/jwt/authenticator.h"

// COUNTER(field, "envoy.name"), sorted by name. jwks_fetch_* stay 0: only local JWKS is modelled,
// and so does cors_preflight_bypassed: Envoy Gateway does not enable the bypass.
#define CTPLAB_JWT_STATS(COUNTER)                                       \
  COUNTER(allowed, "jwt_authn.allowed")                                 \
  COUNTER(cors_preflight_bypassed, "jwt_authn.cors_preflight_bypassed") \
  COUNTER(denied, "jwt_authn.denied")                                   \
  COUNTER(jwks_fetch_failed, "jwt_authn.jwks_fetch_failed")             \
  COUNTER(jwks_fetch_success, "jwt_authn.jwks_fetch_success")           \
  COUNTER(jwt_cache_hit, "jwt_authn.jwt_cache_hit")                     \
  COUNTER(jwt_cache_miss, "jwt_authn.jwt_cache_miss")

namespace ctplab::proxy::jwt {

// Owned by whoever aggregates: Envoy keys these by the listener's stat prefix, shared by every
// route's authenticator on it.
struct JwtStats {
#define CTPLAB_JWT_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_JWT_STATS(CTPLAB_JWT_DECLARE)
#undef CTPLAB_JWT_DECLARE
  // Not an Envoy stat: public-key signature operations performed, the filter's CPU cost. A
  // replayed token costs one per request unless the verified-token cache is enabled.
  uint64_t signature_verifications = 0;

  void record(const Outcome& outcome) {
    if (outcome.allowed()) {
      ++allowed;
    } else {
      ++denied;
    }
    jwt_cache_hit += outcome.cache_hits;
    jwt_cache_miss += outcome.cache_misses;
    signature_verifications += outcome.signature_verifications;
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order (Envoy's stats only).
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_JWT_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_JWT_STATS(CTPLAB_JWT_VISIT)
#undef CTPLAB_JWT_VISIT
  }
};

}  // namespace ctplab::proxy::jwt
