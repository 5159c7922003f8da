// API-server admission rules for BackendTrafficPolicy targets and `rateLimit`: the CEL rules and
// schema markers of the CRD, with the API server's message formats.
#include "admission_checker.h"
#include "ctplab/policy/engine.h"

namespace ctplab::policy {
namespace {

constexpr const char* kGroup = "gateway.networking.k8s.io";

bool targetKindAllowed(const std::string& kind) {
  return kind == "Gateway" || kind == "ListenerSet" || kind == "HTTPRoute" || kind == "GRPCRoute" ||
         kind == "UDPRoute" || kind == "TCPRoute" || kind == "TLSRoute";
}

bool isXRouteKind(const std::string& kind) {
  return kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "UDPRoute" || kind == "TCPRoute" ||
         kind == "TLSRoute";
}

bool admissionControlKind(const std::string& kind) {
  return kind == "Gateway" || kind == "ListenerSet" || kind == "HTTPRoute" || kind == "GRPCRoute";
}

std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Whether every written target (targetRef, targetRefs, targetSelectors) satisfies `pred`.
template <typename Pred>
bool allTargets(const BackendTrafficPolicySpec& s, Pred pred) {
  bool ok = !s.target_ref || pred(s.target_ref->kind);
  for (const auto& r : s.target_refs) ok = ok && pred(r.kind);
  for (const auto& sel : s.target_selectors) ok = ok && pred(sel.kind);
  return ok;
}

void checkTargets(const BackendTrafficPolicySpec& s, Checker& c) {
  bool ok = (s.target_ref.has_value() != !s.target_refs.empty()) || !s.target_selectors.empty();
  if (!ok) c.cel("spec", "either targetRef or targetRefs must be used");
  const char* kinds = "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute/UDPRoute/TLSRoute";
  if (s.target_ref) {
    if (s.target_ref->group != kGroup) {
      c.cel("spec", "this policy can only have a targetRef.group of gateway.networking.k8s.io");
    }
    if (!targetKindAllowed(s.target_ref->kind)) {
      c.cel("spec", std::string("this policy can only have a targetRef.kind of ") + kinds);
    }
    c.length("spec.targetRef.name", s.target_ref->name, 1, 253);
  }
  bool group_ok = true, kind_ok = true;
  for (size_t i = 0; i < s.target_refs.size(); ++i) {
    group_ok = group_ok && s.target_refs[i].group == kGroup;
    kind_ok = kind_ok && targetKindAllowed(s.target_refs[i].kind);
    c.length(index("spec.targetRefs", i) + ".name", s.target_refs[i].name, 1, 253);
  }
  if (!group_ok) {
    c.cel("spec", "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io");
  }
  if (!kind_ok)
    c.cel("spec", std::string("this policy can only have a targetRefs[*].kind of ") + kinds);
  c.targetSelectors(s.target_selectors);
  if (s.merge_type) {
    if (*s.merge_type == "Replace") {
      c.cel("spec.mergeType", "Replace is not a valid MergeType for BackendTrafficPolicySpec");
    }
    if (!allTargets(s, isXRouteKind))
      c.cel("spec", "mergeType can only be used with xRoute targets");
  }
  if (s.has_compression && s.has_compressor) {
    c.cel("spec", "either compression or compressor can be set, not both");
  }
  if (s.has_request_buffer && s.http_upgrade_count > 0) {
    c.cel("spec", "requestBuffer cannot be used together with httpUpgrade");
  }
  if (s.has_admission_control && !allTargets(s, admissionControlKind)) {
    c.cel("spec",
          "admissionControl can only be used with HTTPRoute, GRPCRoute, Gateway, or ListenerSet "
          "targets");
  }
}

void checkValueMatches(const std::string& path, const std::vector<RateLimitValueMatchSpec>& v,
                       size_t max_items, Checker& c) {
  c.maxItems(path, v.size(), max_items);
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = index(path, i);
    c.enumeration(p + ".type", v[i].type, {"Exact", "RegularExpression", "Distinct"});
    c.length(p + ".name", v[i].name, 1, 256);
    if (v[i].value) c.length(p + ".value", *v[i].value, 0, 1024);
  }
}

void checkSelector(const std::string& path, const RateLimitSelectConditionSpec& s, Checker& c) {
  if (!s.headers && !s.methods && !s.path && !s.source_cidr && !s.query_params) {
    c.cel(path,
          "at least one of headers, methods, path, sourceCIDR or queryParams must be specified");
  }
  if (s.headers) checkValueMatches(path + ".headers", *s.headers, 128, c);
  if (s.methods) {
    for (size_t i = 0; i < s.methods->size(); ++i) {
      c.enumeration(
          index(path + ".methods", i) + ".value", (*s.methods)[i].value,
          {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"});
    }
  }
  if (s.path) {
    c.enumeration(path + ".path.type", s.path->type, {"Exact", "PathPrefix", "RegularExpression"});
    c.length(path + ".path.value", s.path->value, 0, 1024);
  }
  if (s.source_cidr) {
    c.enumeration(path + ".sourceCIDR.type", s.source_cidr->type, {"Exact", "Distinct"});
    c.length(path + ".sourceCIDR.value", s.source_cidr->value, 1, 256);
  }
  if (s.query_params) checkValueMatches(path + ".queryParams", *s.query_params, 16, c);
}

void checkCost(const std::string& path, const RateLimitCostSpecifierSpec& cost, Checker& c) {
  if (cost.number && cost.metadata) c.cel(path, "only one of number or metadata can be specified");
  if (cost.from.empty()) {
    c.required(path + ".from");
  } else {
    c.enumeration(path + ".from", cost.from, {"Number", "Metadata"});
  }
  if (cost.number) c.minimum(path + ".number", *cost.number, 0);
}

void checkRule(const std::string& path, const RateLimitRuleSpec& r, Checker& c) {
  const std::string selectors = path + ".clientSelectors";
  c.maxItems(selectors, r.client_selectors.size(), 8);
  for (size_t i = 0; i < r.client_selectors.size(); ++i) {
    checkSelector(index(selectors, i), r.client_selectors[i], c);
  }
  if (!r.has_limit) {
    c.required(path + ".limit");
  } else {
    c.minimum(path + ".limit.requests", r.requests, 0);
    c.maximum(path + ".limit.requests", r.requests, 4294967295LL);
    if (r.unit.empty()) {
      c.required(path + ".limit.unit");
    } else {
      c.enumeration(path + ".limit.unit", r.unit,
                    {"Second", "Minute", "Hour", "Day", "Week", "Month", "Year"});
    }
    if (r.from_metadata) {
      c.length(path + ".limit.fromMetadata.namespace", r.from_metadata->ns, 1, SIZE_MAX);
      c.length(path + ".limit.fromMetadata.key", r.from_metadata->key, 1, SIZE_MAX);
    }
  }
  if (r.cost) {
    if (r.cost->request) checkCost(path + ".cost.request", *r.cost->request, c);
    if (r.cost->response) checkCost(path + ".cost.response", *r.cost->response, c);
  }
  c.enumeration(path + ".xRateLimitHeaders", r.x_rate_limit_headers, {"Off", "DraftVersion03"});
}

void checkRateLimit(const RateLimitSpec& rl, Checker& c) {
  c.enumeration("spec.rateLimit.type", rl.type, {"Global", "Local"});
  if (rl.local_rules) {
    const std::string path = "spec.rateLimit.local.rules";
    const auto& rules = *rl.local_rules;
    c.maxItems(path, rules.size(), 16);
    for (size_t i = 0; i < rules.size(); ++i) checkRule(index(path, i), rules[i], c);
    bool response_cost = false, from_metadata = false;
    for (const auto& r : rules) {
      response_cost = response_cost || (r.cost && r.cost->response);
      from_metadata = from_metadata || r.from_metadata;
    }
    if (response_cost) c.celList(path, "response cost is not supported for Local Rate Limits");
    if (from_metadata) c.celList(path, "limit fromMetadata is not supported for Local Rate Limits");
  }
  if (rl.has_global && !rl.global_rules) c.required("spec.rateLimit.global.rules");
  if (rl.global_rules) {
    const std::string path = "spec.rateLimit.global.rules";
    c.maxItems(path, rl.global_rules->size(), 256);
    for (size_t i = 0; i < rl.global_rules->size(); ++i) {
      checkRule(index(path, i), (*rl.global_rules)[i], c);
    }
  }
}

}  // namespace

std::vector<std::string> admissionErrors(const BackendTrafficPolicySpec& s) {
  Checker c;
  checkTargets(s, c);
  if (s.rate_limit) checkRateLimit(*s.rate_limit, c);
  return c.errors;
}

}  // namespace ctplab::policy
