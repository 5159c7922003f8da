#include "security_policy_apply.h"

#include <algorithm>
#include <cctype>

#include "cidr.h"
#include "jwt_translate.h"

namespace ctplab::policy {
namespace {

struct BuiltAuthorization {
  std::optional<ir::Authorization> authorization;
  std::optional<std::string> error;  // upstream's buildAuthorization error text
};

std::string policyKey(const SecurityPolicy& p) { return p.meta.ns + "/" + p.meta.name; }

BuiltAuthorization buildAuthorization(const SecurityPolicy& policy) {
  BuiltAuthorization built;
  if (!policy.spec.authorization) return built;
  const AuthorizationSpec& spec = *policy.spec.authorization;
  ir::Authorization out;
  out.default_action = spec.default_action.value_or("Deny");
  out.policy = policyKey(policy);
  for (size_t i = 0; i < spec.rules.size(); ++i) {
    const AuthorizationRuleSpec& rule = spec.rules[i];
    ir::AuthorizationRule r;
    if (rule.principal) {
      const auto& p = *rule.principal;
      for (const auto& cidr : p.client_cidrs.value_or(std::vector<std::string>{})) {
        if (!parseCIDR(cidr)) {
          built.error = "unable to translate authorization rule: invalid CIDR address: " + cidr;
          return built;
        }
        r.client_cidrs.push_back(cidr);
      }
      if (p.jwt) {
        ir::JWTPrincipal jwt;
        jwt.provider = p.jwt->provider;
        if (const auto& providers = policy.spec.jwt) {
          jwt.provider_configured =
              std::any_of(providers->providers.begin(), providers->providers.end(),
                          [&](const JWTProviderSpec& s) { return s.name == jwt.provider; });
        }
        for (const auto& c : p.jwt->claims.value_or(std::vector<JWTClaimSpec>{})) {
          jwt.claims.push_back({c.name, c.value_type.value_or("String"), c.values});
        }
        jwt.scopes = p.jwt->scopes.value_or(std::vector<std::string>{});
        r.jwt = std::move(jwt);
      }
      r.headers = p.headers && !p.headers->empty();
      r.client_ip_geo_locations = p.client_ip_geo_locations && !p.client_ip_geo_locations->empty();
    }
    if (rule.operation) {
      r.methods = rule.operation->methods.value_or(std::vector<std::string>{});
      if (const auto& path = rule.operation->path) {
        using Kind = ir::PathMatch::Kind;
        const std::string type = path->type.value_or("PathPrefix");
        if (type == "PathPrefix") {
          r.path = ir::PathMatch{Kind::kPrefix, path->value};
        } else if (type == "Exact") {
          r.path = ir::PathMatch{Kind::kExact, path->value};
        } else if (type == "RegularExpression") {
          r.path = ir::PathMatch{Kind::kRegex, path->value};
        } else {
          built.error = "unable to translate authorization rule: invalid path type";
          return built;
        }
        r.path_invert = path->invert.value_or(false);
      }
    }
    r.name = rule.name && !rule.name->empty() ? *rule.name
                                              : "securitypolicy/" + policyKey(policy) +
                                                    "/authorization/rule/" + std::to_string(i);
    r.action = rule.action;
    r.cel = rule.cel.has_value();
    out.rules.push_back(std::move(r));
  }
  built.authorization = std::move(out);
  return built;
}

bool usesGeoLocations(const BuiltAuthorization& b) {
  return b.authorization &&
         std::any_of(b.authorization->rules.begin(), b.authorization->rules.end(),
                     [](const ir::AuthorizationRule& r) { return r.client_ip_geo_locations; });
}

// Geolocation rules depend on the listener's client-IP detection (from its ClientTrafficPolicy)
// and on the EnvoyProxy's GeoIP databases; upstream checks both per listener.
std::optional<std::string> geoLocationError(const SecurityPolicy& policy, const EnvoyProxy* proxy,
                                            const std::optional<ir::ClientIPDetection>& detection) {
  if (!detection) {
    return "authorization clientIPGeoLocations requires ClientTrafficPolicy.spec.clientIPDetection "
           "to be configured";
  }
  const int modes = (detection->xff ? 1 : 0) + (detection->custom_header ? 1 : 0) +
                    (detection->direct_source_ip ? 1 : 0);
  if (modes != 1) {
    return "authorization clientIPGeoLocations requires exactly one of "
           "ClientTrafficPolicy.spec.clientIPDetection.{xForwardedFor,customHeader,directSourceIP}";
  }
  if (detection->xff && detection->xff->trusted_cidrs && !detection->xff->trusted_cidrs->empty()) {
    return "authorization clientIPGeoLocations does not support "
           "ClientIPDetection.XForwardedFor.TrustedCIDRs";
  }
  const EnvoyProxy::GeoIP* geo = proxy && proxy->geo_ip ? &*proxy->geo_ip : nullptr;
  if (geo != nullptr) {
    if (geo->provider_type != "MaxMind") {
      return "unsupported geoIP provider type \"" + geo->provider_type + "\"";
    }
    if (!geo->has_max_mind) return "geoIP provider MaxMind is missing maxMind configuration";
  }
  if (geo == nullptr) {
    return "authorization clientIPGeoLocations requires EnvoyProxy.spec.geoIP.provider to be "
           "configured";
  }
  bool country = false, region = false, city = false, asn = false, isp = false, anon = false;
  for (const auto& rule : policy.spec.authorization->rules) {
    if (!rule.principal || !rule.principal->client_ip_geo_locations) continue;
    for (const auto& g : *rule.principal->client_ip_geo_locations) {
      country = country || g.country;
      region = region || g.region;
      city = city || g.city;
      asn = asn || g.asn;
      isp = isp || g.isp;
      anon = anon || g.has_anonymous;
    }
  }
  const std::string need = "authorization clientIPGeoLocations.";
  const std::string source = " requires EnvoyProxy.spec.geoIP.provider.maxMind.";
  if (country && !geo->country_db && !geo->city_db) {
    return need + "country" + source + "countryDbSource or cityDbSource";
  }
  if (region && !geo->city_db) return need + "region" + source + "cityDbSource";
  if (city && !geo->city_db) return need + "city" + source + "cityDbSource";
  if (asn && !geo->asn_db) return need + "asn" + source + "asnDbSource";
  if (isp && !geo->isp_db) return need + "isp" + source + "ispDbSource";
  if (anon && !geo->anonymous_ip_db) return need + "anonymous" + source + "anonymousIpDbSource";
  return std::nullopt;
}

std::string routePrefix(const Route& route) {
  std::string kind = route.kind;
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kind + "/" + route.meta.ns + "/" + route.meta.name + "/";
}

}  // namespace

std::optional<std::string> tcpRouteValidationError(const SecurityPolicy& policy) {
  if (policy.spec.has_http_features) {
    return "only authorization is supported for TCP (routes/listeners)";
  }
  if (!policy.spec.authorization) return std::nullopt;
  const auto& rules = policy.spec.authorization->rules;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string rule = "rule " + std::to_string(i) + ": ";
    if (rules[i].cel) return rule + "CEL not supported for TCP";
    if (!rules[i].principal) continue;
    const auto& p = *rules[i].principal;
    if (p.jwt) return rule + "JWT not supported for TCP";
    if (p.headers && !p.headers->empty()) return rule + "headers not supported for TCP";
    if (p.client_ip_geo_locations && !p.client_ip_geo_locations->empty()) {
      return rule + "clientIPGeoLocations not supported for TCP";
    }
    for (const auto& cidr : p.client_cidrs.value_or(std::vector<std::string>{})) {
      if (!parseCIDR(cidr)) {
        return rule + "invalid ClientCIDR \"" + cidr + "\": invalid CIDR address: " + cidr;
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> applyToRoute(TranslationContext& ctx, const SecurityPolicy& policy,
                                      const Route& route, const std::optional<std::string>& section,
                                      SecuredRoutes& secured) {
  std::vector<std::string> errs;
  const BuiltAuthorization built = buildAuthorization(policy);
  if (built.error) errs.push_back("Authorization: " + *built.error);
  const std::string prefix = routePrefix(route);
  const bool http = route.kind == "HTTPRoute" || route.kind == "GRPCRoute";
  for (const auto& parent : route.parents) {
    ParentRefListeners pr = resolveParentRef(ctx, route, parent);
    if (!pr.managed) continue;
    // Upstream builds the JWT providers per parent (after authorization), so a failure is
    // reported once for each parent.
    const BuiltJWT jwt = buildJWT(ctx, policy);
    if (jwt.error) errs.push_back("JWT: " + *jwt.error);
    // Errors found on earlier parents (GeoIP) also turn this parent's routes into 500s, as
    // upstream evaluates them per parent.
    const bool base_errors = !errs.empty();
    for (auto [g, lc] : pr.listeners) {
      ir::Listener* il = g->ir->find(lc->ir_name);
      if (il == nullptr) continue;
      if (route.kind == "TCPRoute" && il->isTCP() && built.authorization) {
        // Upstream does not check the route name here: every route of the listener qualifies.
        for (auto& r : il->routes) {
          if ((section && *section != r.rule_name) || r.authorization) continue;
          r.authorization = built.authorization;
        }
      }
      if (!http || !il->isHTTP()) continue;
      bool geo_checked = false;
      std::optional<std::string> geo_error;
      for (auto& r : il->routes) {
        if (section && *section != r.rule_name) continue;
        if (r.name.rfind(prefix, 0) != 0 || !secured.insert(&r).second) continue;
        r.authorization = built.authorization;
        r.jwt = jwt.jwt;
        if (usesGeoLocations(built) && !geo_checked) {
          geo_error = geoLocationError(policy, g->envoy_proxy, il->client_ip_detection);
          if (geo_error) errs.push_back("Authorization: " + *geo_error);
          geo_checked = true;
        }
        if (geo_error || base_errors) r.direct_response_500 = true;
      }
    }
  }
  return errs;
}

std::vector<std::string> applyToGateway(const TranslationContext& ctx, const SecurityPolicy& policy,
                                        GatewayContext& g,
                                        const std::optional<std::string>& section,
                                        SecuredRoutes& secured) {
  std::vector<std::string> errs;
  // Upstream builds JWT before authorization on this path.
  const BuiltJWT jwt = buildJWT(ctx, policy);
  if (jwt.error) errs.push_back("JWT: " + *jwt.error);
  const BuiltAuthorization built = buildAuthorization(policy);
  // Upstream adds no "Authorization: " prefix on this path.
  if (built.error) errs.push_back(*built.error);
  const bool base_errors = !errs.empty();
  std::set<std::string> targeted;
  for (const auto& lc : g.listeners) {
    if (section && (lc.listener_set != nullptr || lc.listener->name != *section)) continue;
    targeted.insert(lc.ir_name);
  }
  for (auto& il : g.ir->listeners) {
    if (!il.isHTTP() || targeted.count(il.name) == 0) continue;
    std::optional<std::string> geo_error;
    if (usesGeoLocations(built)) {
      geo_error = geoLocationError(policy, g.envoy_proxy, il.client_ip_detection);
      if (geo_error) errs.push_back("Authorization: " + *geo_error);
    }
    for (auto& r : il.routes) {
      if (!secured.insert(&r).second) continue;
      r.authorization = built.authorization;
      r.jwt = jwt.jwt;
      if (geo_error || base_errors) r.direct_response_500 = true;
    }
  }
  if (built.authorization) {
    for (auto& il : g.ir->listeners) {
      if (!il.isTCP() || targeted.count(il.name) == 0) continue;
      for (auto& r : il.routes) {
        if (!r.authorization) r.authorization = built.authorization;
      }
    }
  }
  return errs;
}

}  // namespace ctplab::policy
