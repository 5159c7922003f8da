// Authorization counters with Envoy's RBAC filter names, declared once from one list. The prefix
// in front (`http.<prefix>.` for HTTP listeners, TCP unknown) is unconfirmed (spec 5.1).
#pragma once

#include <cstdint>
#include <string_view>

#include "ctplab/proxy/authz/decision.h"

// COUNTER(field, "envoy.name"), sorted by name. All entries are counters.
#define CTPLAB_AUTHZ_STATS(COUNTER) \
  COUNTER(allowed, "rbac.allowed")  \
  COUNTER(denied, "rbac.denied")

namespace ctplab::proxy::authz {

// Owned by whoever aggregates (one per stat prefix); evaluation itself is pure.
struct AuthzStats {
#define CTPLAB_AUTHZ_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_AUTHZ_STATS(CTPLAB_AUTHZ_DECLARE)
#undef CTPLAB_AUTHZ_DECLARE

  // Every decision counts once, whichever rule or default made it.
  void record(const Decision& decision) {
    if (decision.allowed) {
      ++allowed;
    } else {
      ++denied;
    }
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_AUTHZ_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_AUTHZ_STATS(CTPLAB_AUTHZ_VISIT)
#undef CTPLAB_AUTHZ_VISIT
  }
};

}  // namespace ctplab::proxy::authz
