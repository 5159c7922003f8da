#include "route_output.h"

#include "cidr.h"
#include "ratelimit_output.h"

namespace ctplab::policy {
namespace {

const SecurityPolicy* findPolicy(const TranslationResult* result, const std::string& key) {
  if (result == nullptr) return nullptr;
  for (const auto& r : result->security_policies) {
    if (r.policy->meta.ns + "/" + r.policy->meta.name == key) return r.policy;
  }
  return nullptr;
}

// The policy's rule `i` as written, for the parts the IR keeps only as flags.
const Tree* rawRule(const SecurityPolicy* policy, size_t i) {
  if (policy == nullptr) return nullptr;
  const Tree* spec = policy->raw.get("spec");
  const Tree* authz = spec ? spec->get("authorization") : nullptr;
  const Tree* rules = authz ? authz->get("rules") : nullptr;
  if (rules == nullptr || rules->kind() != Tree::Kind::kList || i >= rules->items().size()) {
    return nullptr;
  }
  return &rules->items()[i];
}

Tree pathMatchTree(const ir::PathMatch& m) {
  // Upstream's StringMatch: name and distinct are always written.
  Tree t = Tree::map();
  t.set("name", Tree::string(""));
  t.set("distinct", Tree::boolean(false));
  switch (m.kind) {
    case ir::PathMatch::Kind::kExact:
      t.set("exact", Tree::string(m.value));
      break;
    case ir::PathMatch::Kind::kPrefix:
      t.set("prefix", Tree::string(m.value));
      break;
    case ir::PathMatch::Kind::kRegex:
      t.set("safeRegex", Tree::string(m.value));
      break;
  }
  return t;
}

Tree cidrTree(const std::string& text) {
  Tree t = Tree::map();
  auto m = parseCIDR(text);  // the IR holds only CIDRs that parsed
  t.set("cidr", Tree::string(m ? m->cidr : text));
  t.set("distinct", Tree::boolean(false));
  t.set("invert", Tree::boolean(false));
  t.set("isIPv6", Tree::boolean(m && m->is_ipv6));
  t.set("maskLen", Tree::integer(m ? m->mask_len : 0));
  return t;
}

Tree operationTree(const ir::AuthorizationRule& r, const Tree* raw) {
  if (raw != nullptr) {
    if (const Tree* op = raw->get("operation")) return *op;
  }
  Tree op = Tree::map();
  if (!r.methods.empty()) {
    Tree methods = Tree::list();
    for (const auto& m : r.methods) methods.push(Tree::string(m));
    op.set("methods", std::move(methods));
  }
  if (r.path) {
    Tree path = Tree::map();
    const char* type = r.path->kind == ir::PathMatch::Kind::kExact   ? "Exact"
                       : r.path->kind == ir::PathMatch::Kind::kRegex ? "RegularExpression"
                                                                     : "PathPrefix";
    path.set("type", Tree::string(type));
    path.set("value", Tree::string(r.path->value));
    if (r.path_invert) path.set("invert", Tree::boolean(true));
    op.set("path", std::move(path));
  }
  return op;
}

Tree authorizationTree(const ir::Authorization& a, const TranslationResult* result) {
  const SecurityPolicy* policy = findPolicy(result, a.policy);
  Tree t = Tree::map();
  t.set("defaultAction", Tree::string(a.default_action));
  if (a.rules.empty()) return t;
  Tree rules = Tree::list();
  for (size_t i = 0; i < a.rules.size(); ++i) {
    const ir::AuthorizationRule& r = a.rules[i];
    const Tree* raw = rawRule(policy, i);
    const Tree* raw_principal = raw ? raw->get("principal") : nullptr;
    Tree e = Tree::map();
    e.set("action", Tree::string(r.action));
    e.set("name", Tree::string(r.name));
    if (!r.methods.empty() || r.path) e.set("operation", operationTree(r, raw));
    Tree principal = Tree::map();
    if (!r.client_cidrs.empty()) {
      Tree cidrs = Tree::list();
      for (const auto& c : r.client_cidrs) cidrs.push(cidrTree(c));
      principal.set("clientCIDRs", std::move(cidrs));
    }
    for (const char* echoed : {"jwt", "headers", "clientIPGeoLocations"}) {
      const Tree* v = raw_principal ? raw_principal->get(echoed) : nullptr;
      if (v != nullptr && !v->isNull()) principal.set(echoed, *v);
    }
    e.set("principal", std::move(principal));
    if (r.cel && raw != nullptr) {
      if (const Tree* cel = raw->get("cel")) e.set("cel", *cel);
    }
    rules.push(std::move(e));
  }
  t.set("rules", std::move(rules));
  return t;
}

}  // namespace

Tree routeToTree(const ir::Route& route, bool http, const TranslationResult* result) {
  Tree e = Tree::map();
  e.set("name", Tree::string(route.name));
  if (!http) {
    if (route.authorization)
      e.set("authorization", authorizationTree(*route.authorization, result));
    return e;
  }
  e.set("hostname", Tree::string(route.hostname));
  if (route.path_match) e.set("pathMatch", pathMatchTree(*route.path_match));
  if (route.direct_response_500) {
    Tree d = Tree::map();
    d.set("statusCode", Tree::integer(500));
    e.set("directResponse", std::move(d));
  }
  if (route.authorization || route.jwt) {
    Tree security = Tree::map();
    if (route.authorization) {
      security.set("authorization", authorizationTree(*route.authorization, result));
    }
    if (route.jwt) security.set("jwt", jwtTree(*route.jwt));
    e.set("security", std::move(security));
  }
  if (!route.traffic_policy.empty()) {
    Tree traffic = Tree::map();
    if (route.rate_limit) traffic.set("rateLimit", rateLimitTree(*route.rate_limit));
    e.set("traffic", std::move(traffic));
  }
  return e;
}

}  // namespace ctplab::policy
