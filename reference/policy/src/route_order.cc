// Upstream's route precedence for an HTTP listener (its XdsIRRoutes sort, applied in descending
// order and stably): Exact before RegularExpression before PathPrefix, then longer match values
// first; a prefix "/" counts as no path at all. Header, query and cookie match counts, upstream's
// next keys, are not modelled, so such routes keep their attachment order.
#include <algorithm>

#include "translation_context.h"

namespace ctplab::policy {
namespace {

using Kind = ir::PathMatch::Kind;

size_t pathMatchCount(const std::optional<ir::PathMatch>& m) {
  if (!m) return 0;
  if (m->kind == Kind::kPrefix && m->value == "/") return 0;
  return m->value.size();
}

// Upstream's Less: true when `a` has lower precedence than `b`.
bool lowerPrecedence(const ir::Route& a, const ir::Route& b) {
  if (a.path_match && b.path_match) {
    const Kind ka = a.path_match->kind, kb = b.path_match->kind;
    if (ka == Kind::kExact && kb != Kind::kExact) return false;
    if (ka == Kind::kRegex && kb == Kind::kExact) return true;
    if (ka == Kind::kRegex && kb == Kind::kPrefix) return false;
    if (ka == Kind::kPrefix && kb != Kind::kPrefix) return true;
  }
  return pathMatchCount(a.path_match) < pathMatchCount(b.path_match);
}

}  // namespace

void sortRoutes(TranslationResult& result) {
  for (auto& gateway : result.irs) {
    for (auto& listener : gateway.listeners) {
      if (!listener.isHTTP()) continue;
      std::stable_sort(
          listener.routes.begin(), listener.routes.end(),
          [](const ir::Route& a, const ir::Route& b) { return lowerPrecedence(b, a); });
    }
  }
}

}  // namespace ctplab::policy
