// Target resolution shared by the policy kinds: explicit targetRef(s) and label selectors, in the
// order Envoy Gateway's resolvePolicyTargets yields them. Internal to the engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "translation_context.h"

namespace ctplab::policy {

struct PolicyTarget {
  std::string group, kind, ns, name;
  std::optional<std::string> section;
  bool operator==(const PolicyTarget&) const = default;
};

// An object a selector may pick, with its kind.
struct SelectorCandidate {
  std::string kind;
  const ObjectMeta* meta = nullptr;
};

// targetRef when set, else targetRefs; always in the policy's namespace. Empty references are
// skipped, as upstream does.
std::vector<PolicyTarget> explicitTargets(const std::optional<PolicyTargetRef>& target_ref,
                                          const std::vector<PolicyTargetRef>& target_refs,
                                          const std::string& policy_ns);

// Selector matches among `candidates` (ordered by the candidate's creation time; objects in other
// namespaces need a ReferenceGrant from `policy_kind`), then the explicit references not already
// matched. Selector matches never carry a section.
std::vector<PolicyTarget> resolveTargets(const TranslationContext& ctx,
                                         const std::string& policy_kind,
                                         const std::string& policy_ns,
                                         const std::optional<PolicyTargetRef>& target_ref,
                                         const std::vector<PolicyTargetRef>& target_refs,
                                         const std::vector<TargetSelectorSpec>& selectors,
                                         const std::vector<SelectorCandidate>& candidates);

}  // namespace ctplab::policy
