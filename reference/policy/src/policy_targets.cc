#include "policy_targets.h"

#include <algorithm>

#include "ctplab/policy/resources.h"

namespace ctplab::policy {
namespace {

bool expressionsMatch(const std::vector<TargetSelectorSpec::Expression>& exprs,
                      const std::map<std::string, std::string>& labels) {
  LabelSelector sel;
  for (const auto& e : exprs) sel.match_expressions.push_back({e.key, e.op, e.values});
  return selectorMatches(sel, labels);
}

bool namespaceMatches(const TranslationContext& ctx, const TargetSelectorSpec& s,
                      const std::string& policy_ns, const std::string& target_ns) {
  if (s.namespaces_from == "Same") return target_ns == policy_ns;
  if (s.namespaces_from == "Selector") {
    const Namespace* ns = ctx.findNamespace(target_ns);
    if (ns == nullptr) return false;
    LabelSelector sel{s.namespace_match_labels, {}};
    return selectorMatches(sel, ns->meta.labels) &&
           expressionsMatch(s.namespace_match_expressions, ns->meta.labels);
  }
  return true;  // All
}

}  // namespace

std::vector<PolicyTarget> explicitTargets(const std::optional<PolicyTargetRef>& target_ref,
                                          const std::vector<PolicyTargetRef>& target_refs,
                                          const std::string& policy_ns) {
  std::vector<PolicyTargetRef> refs;
  if (target_ref) {
    refs.push_back(*target_ref);
  } else {
    refs = target_refs;
  }
  std::vector<PolicyTarget> out;
  for (const auto& r : refs) {
    if (r.group.empty() && r.kind.empty() && r.name.empty() && !r.section_name) continue;
    out.push_back({r.group, r.kind, policy_ns, r.name, r.section_name});
  }
  return out;
}

std::vector<PolicyTarget> resolveTargets(const TranslationContext& ctx,
                                         const std::string& policy_kind,
                                         const std::string& policy_ns,
                                         const std::optional<PolicyTargetRef>& target_ref,
                                         const std::vector<PolicyTargetRef>& target_refs,
                                         const std::vector<TargetSelectorSpec>& selectors,
                                         const std::vector<SelectorCandidate>& candidates) {
  struct Match {
    PolicyTarget target;
    std::string created;
  };
  std::vector<Match> matches;
  for (const auto& s : selectors) {
    for (const auto& c : candidates) {
      const ObjectMeta& meta = *c.meta;
      if (s.group.value_or(kGatewayGroup) != kGatewayGroup || s.kind != c.kind) continue;
      if (!namespaceMatches(ctx, s, policy_ns, meta.ns)) continue;
      LabelSelector labels{s.match_labels, {}};
      if (!selectorMatches(labels, meta.labels) ||
          !expressionsMatch(s.match_expressions, meta.labels)) {
        continue;
      }
      if (meta.ns != policy_ns &&
          !ctx.referenceAllowed("gateway.envoyproxy.io", policy_kind, policy_ns, kGatewayGroup,
                                c.kind, meta.ns, meta.name)) {
        continue;
      }
      PolicyTarget t{kGatewayGroup, c.kind, meta.ns, meta.name, std::nullopt};
      bool dup = std::any_of(matches.begin(), matches.end(),
                             [&](const Match& m) { return m.target == t; });
      if (!dup) matches.push_back({t, meta.creation_timestamp});
    }
  }
  std::stable_sort(matches.begin(), matches.end(),
                   [](const Match& a, const Match& b) { return a.created < b.created; });
  std::vector<PolicyTarget> out;
  for (auto& m : matches) out.push_back(std::move(m.target));
  for (auto& t : explicitTargets(target_ref, target_refs, policy_ns)) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace ctplab::policy
