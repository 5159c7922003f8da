#include "ratelimit_output.h"

namespace ctplab::policy {
namespace {

Tree strings(const std::vector<std::string>& v) {
  Tree t = Tree::list();
  for (const auto& s : v) t.push(Tree::string(s));
  return t;
}

Tree valueTree(const ir::RateLimitValue& v) {
  Tree t = Tree::map();
  t.set("requests", Tree::integer(v.requests));
  t.set("unit", Tree::string(v.unit));
  if (v.from_metadata) {
    Tree md = Tree::map();
    md.set("namespace", Tree::string(v.from_metadata->ns));
    md.set("key", Tree::string(v.from_metadata->key));
    t.set("fromMetadata", std::move(md));
  }
  return t;
}

Tree costTree(const ir::RateLimitCost& c) {
  Tree t = Tree::map();
  if (c.number) t.set("number", Tree::integer(static_cast<int64_t>(*c.number)));
  if (c.format) t.set("format", Tree::string(*c.format));
  return t;
}

Tree ruleTree(const ir::RateLimitRule& r) {
  Tree t = Tree::map();
  // headerMatches has no omitempty upstream: an empty list is written.
  t.set("headerMatches", matchList(r.header_matches));
  if (r.path_match) t.set("pathMatch", stringMatchTree(*r.path_match));
  if (!r.method_matches.empty()) t.set("methodMatches", matchList(r.method_matches));
  if (r.cidr_match) {
    Tree c = Tree::map();
    c.set("cidr", Tree::string(r.cidr_match->cidr));
    c.set("maskLen", Tree::integer(r.cidr_match->mask_len));
    c.set("isIPv6", Tree::boolean(r.cidr_match->is_ipv6));
    c.set("distinct", Tree::boolean(r.cidr_match->distinct));
    c.set("invert", Tree::boolean(r.cidr_match->invert));
    t.set("cidrMatch", std::move(c));
  }
  if (!r.query_param_matches.empty()) {
    t.set("queryParamMatches", matchList(r.query_param_matches));
  }
  t.set("limit", valueTree(r.limit));
  if (r.request_cost) t.set("requestCost", costTree(*r.request_cost));
  if (r.response_cost) t.set("responseCost", costTree(*r.response_cost));
  if (r.shared) t.set("shared", Tree::boolean(*r.shared));
  if (r.shadow_mode) t.set("shadowMode", Tree::boolean(*r.shadow_mode));
  if (r.x_rate_limit_option) t.set("xRateLimitOption", Tree::string(*r.x_rate_limit_option));
  if (!r.name.empty()) t.set("name", Tree::string(r.name));
  return t;
}

Tree rulesTree(const std::vector<ir::RateLimitRule>& rules) {
  Tree t = Tree::list();
  for (const auto& r : rules) t.push(ruleTree(r));
  return t;
}

}  // namespace

// Upstream's StringMatch: name and distinct are always written, the rest when set.
Tree stringMatchTree(const ir::StringMatch& m) {
  Tree t = Tree::map();
  t.set("name", Tree::string(m.name));
  if (m.exact) t.set("exact", Tree::string(*m.exact));
  if (m.prefix) t.set("prefix", Tree::string(*m.prefix));
  if (m.suffix) t.set("suffix", Tree::string(*m.suffix));
  if (m.safe_regex) t.set("safeRegex", Tree::string(*m.safe_regex));
  t.set("distinct", Tree::boolean(m.distinct));
  if (m.invert) t.set("invert", Tree::boolean(*m.invert));
  return t;
}

Tree matchList(const std::vector<ir::StringMatch>& v) {
  Tree t = Tree::list();
  for (const auto& m : v) t.push(stringMatchTree(m));
  return t;
}

Tree rateLimitTree(const ir::RateLimit& rl) {
  Tree t = Tree::map();
  if (rl.local) {
    Tree l = Tree::map();
    l.set("default", valueTree(rl.local->default_limit));
    if (!rl.local->rules.empty()) l.set("rules", rulesTree(rl.local->rules));
    if (rl.local->default_x_rate_limit_option) {
      l.set("defaultXRateLimitOption", Tree::string(*rl.local->default_x_rate_limit_option));
    }
    t.set("local", std::move(l));
  }
  if (rl.global) {
    Tree g = Tree::map();
    if (!rl.global->rules.empty()) g.set("rules", rulesTree(rl.global->rules));
    t.set("global", std::move(g));
  }
  return t;
}

Tree jwtTree(const ir::JWT& jwt) {
  Tree t = Tree::map();
  if (jwt.allow_missing) t.set("allowMissing", Tree::boolean(true));
  if (jwt.allow_missing_or_failed) t.set("allowMissingOrFailed", Tree::boolean(true));
  Tree providers = Tree::list();
  for (const auto& p : jwt.providers) {
    Tree e = Tree::map();
    e.set("name", Tree::string(p.name));
    if (!p.issuer.empty()) e.set("issuer", Tree::string(p.issuer));
    if (!p.audiences.empty()) e.set("audiences", strings(p.audiences));
    if (p.remote_jwks_uri) {
      Tree r = Tree::map();
      r.set("uri", Tree::string(*p.remote_jwks_uri));
      e.set("remoteJWKS", std::move(r));
    }
    if (p.local_jwks) e.set("localJWKS", Tree::string(*p.local_jwks));
    if (!p.claim_to_headers.empty()) {
      Tree list = Tree::list();
      for (const auto& c : p.claim_to_headers) {
        Tree h = Tree::map();
        h.set("header", Tree::string(c.header));
        h.set("claim", Tree::string(c.claim));
        list.push(std::move(h));
      }
      e.set("claimToHeaders", std::move(list));
    }
    if (p.recompute_route) e.set("recomputeRoute", Tree::boolean(*p.recompute_route));
    if (p.extract_from) {
      Tree x = Tree::map();
      if (!p.extract_from->headers.empty()) {
        Tree headers = Tree::list();
        for (const auto& h : p.extract_from->headers) {
          Tree e2 = Tree::map();
          e2.set("name", Tree::string(h.name));
          if (h.value_prefix) e2.set("valuePrefix", Tree::string(*h.value_prefix));
          headers.push(std::move(e2));
        }
        x.set("headers", std::move(headers));
      }
      if (!p.extract_from->cookies.empty()) x.set("cookies", strings(p.extract_from->cookies));
      if (!p.extract_from->params.empty()) x.set("params", strings(p.extract_from->params));
      e.set("extractFrom", std::move(x));
    }
    providers.push(std::move(e));
  }
  if (!jwt.providers.empty()) t.set("providers", std::move(providers));
  return t;
}

}  // namespace ctplab::policy
