// The translation pipeline: the stages in upstream's order over one resource set.
#include <algorithm>

#include "translation_context.h"

namespace ctplab::policy {

TranslationResult translate(const ResourceSet& resources, const TranslateOptions& options) {
  TranslationContext ctx;
  ctx.resources = &resources;
  ctx.options = options;
  TranslationResult result;
  result.policies.reserve(resources.client_traffic_policies.size());
  translateGateways(ctx, result);
  attachRoutes(ctx);
  collectListenerStatuses(ctx, result);
  processClientTrafficPolicies(ctx, result);
  // Policies that resolved nothing still appear (with no ancestors), after the others.
  for (const auto& p : resources.client_traffic_policies) {
    bool seen = std::any_of(result.policies.begin(), result.policies.end(),
                            [&](const PolicyResult& r) { return r.policy == &p; });
    if (!seen) {
      PolicyResult r;
      r.policy = &p;
      r.admission_errors = admissionErrors(p.spec);
      result.policies.push_back(std::move(r));
    }
  }
  processBackendTrafficPolicies(ctx, result);
  processSecurityPolicies(ctx, result);
  sortRoutes(result);
  return result;
}

}  // namespace ctplab::policy
