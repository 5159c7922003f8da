// API-server admission rules for SecurityPolicy targets and `authorization`: the CEL rules and
// schema markers of the CRD, with the API server's message formats.
#include <regex>

#include "admission_checker.h"
#include "ctplab/policy/engine.h"

namespace ctplab::policy {
namespace {

// The CRD's CIDR pattern, verbatim. Kubernetes patterns are unanchored (a match anywhere counts).
constexpr const char* kCIDRPattern =
    "((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|"
    "2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\/([0-9]+))|((([0-9a-"
    "fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-"
    "F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]"
    "{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-"
    "fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|"
    "fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|"
    "1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){"
    "1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]"
    "))\\/([0-9]+))";

constexpr const char* kGroup = "gateway.networking.k8s.io";

bool targetKindAllowed(const std::string& kind) {
  return kind == "Gateway" || kind == "ListenerSet" || kind == "HTTPRoute" || kind == "GRPCRoute" ||
         kind == "TCPRoute";
}

bool isXRouteKind(const std::string& kind) {
  return kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "TCPRoute";
}

std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void checkTargets(const SecurityPolicySpec& s, Checker& c) {
  bool ok = (s.target_ref.has_value() != !s.target_refs.empty()) || !s.target_selectors.empty();
  if (!ok) c.cel("spec", "either targetRef or targetRefs must be used");
  if (s.target_ref) {
    if (s.target_ref->group != kGroup) {
      c.cel("spec", "this policy can only have a targetRef.group of gateway.networking.k8s.io");
    }
    if (!targetKindAllowed(s.target_ref->kind)) {
      c.cel("spec",
            "this policy can only have a targetRef.kind of "
            "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute");
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
  if (!kind_ok) {
    c.cel("spec",
          "this policy can only have a targetRefs[*].kind of "
          "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute");
  }
  c.targetSelectors(s.target_selectors);
  if (s.merge_type) {
    if (*s.merge_type == "Replace") {
      c.cel("spec.mergeType", "Replace is not a valid MergeType for SecurityPolicy");
    }
    bool xroutes_only = !s.target_ref || isXRouteKind(s.target_ref->kind);
    for (const auto& r : s.target_refs) xroutes_only = xroutes_only && isXRouteKind(r.kind);
    for (const auto& sel : s.target_selectors)
      xroutes_only = xroutes_only && isXRouteKind(sel.kind);
    if (!xroutes_only) c.cel("spec", "mergeType can only be used with xRoute targets");
  }
}

void checkOperation(const std::string& path, const AuthorizationOperationSpec& op, Checker& c) {
  if (!op.methods && !op.path) c.cel(path, "at least one of methods or path must be specified");
  if (op.methods) {
    const std::string methods = path + ".methods";
    c.minItems(methods, op.methods->size(), 1);
    c.maxItems(methods, op.methods->size(), 16);
    for (size_t i = 0; i < op.methods->size(); ++i) {
      c.enumeration(
          index(methods, i), (*op.methods)[i],
          {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"});
    }
  }
  if (op.path) {
    c.enumeration(path + ".path.type", op.path->type, {"Exact", "PathPrefix", "RegularExpression"});
    c.length(path + ".path.value", op.path->value, 0, 1024);
  }
}

void checkJWT(const std::string& path, const JWTPrincipalSpec& jwt, Checker& c) {
  c.length(path + ".provider", jwt.provider, 1, 253);
  if (!jwt.claims && !jwt.scopes) c.cel(path, "at least one of claims or scopes must be specified");
  if (jwt.claims) {
    const std::string claims = path + ".claims";
    c.minItems(claims, jwt.claims->size(), 1);
    c.maxItems(claims, jwt.claims->size(), 16);
    for (size_t i = 0; i < jwt.claims->size(); ++i) {
      const auto& claim = (*jwt.claims)[i];
      const std::string p = index(claims, i);
      c.length(p + ".name", claim.name, 1, 253);
      c.enumeration(p + ".valueType", claim.value_type, {"String", "StringArray"});
      c.minItems(p + ".values", claim.values.size(), 1);
      c.maxItems(p + ".values", claim.values.size(), 128);
    }
  }
  if (jwt.scopes) {
    const std::string scopes = path + ".scopes";
    c.minItems(scopes, jwt.scopes->size(), 1);
    c.maxItems(scopes, jwt.scopes->size(), 16);
    for (size_t i = 0; i < jwt.scopes->size(); ++i) {
      c.length(index(scopes, i), (*jwt.scopes)[i], 1, 253);
    }
  }
}

void checkGeoLocation(const std::string& path, const ClientIPGeoLocationSpec& g, Checker& c) {
  if (!g.country && !g.region && !g.city && !g.asn && !g.isp && !g.has_anonymous) {
    c.cel(path, "at least one of country, region, city, asn, isp, or anonymous must be specified");
  }
  if (g.country) {
    static const std::regex country("^[A-Za-z]{2}$");
    c.length(path + ".country", *g.country, 2, 2);
    if (!std::regex_search(*g.country, country)) {
      c.pattern(path + ".country", *g.country, "^[A-Za-z]{2}$");
    }
  }
  if (g.region) {
    static const std::regex region("^[A-Za-z0-9-]+$");
    c.length(path + ".region", *g.region, 1, 16);
    if (!std::regex_search(*g.region, region)) {
      c.pattern(path + ".region", *g.region, "^[A-Za-z0-9-]+$");
    }
  }
  if (g.city) c.length(path + ".city", *g.city, 1, 128);
  if (g.isp) c.length(path + ".isp", *g.isp, 1, 256);
  if (g.asn) c.minimum(path + ".asn", *g.asn, 1);
  if (g.has_anonymous && g.anonymous_flags == 0) {
    c.cel(path + ".anonymous",
          "at least one of isAnonymous, isVPN, isHosting, isTor, or isProxy must be specified");
  }
}

void checkPrincipal(const std::string& path, const AuthorizationPrincipalSpec& p, Checker& c) {
  if (!p.client_cidrs && !p.jwt && !p.headers && !p.client_ip_geo_locations) {
    c.cel(path,
          "at least one of clientCIDRs, jwt, headers, or clientIPGeoLocations must be specified");
  }
  if (p.client_cidrs) {
    static const std::regex cidr(kCIDRPattern);
    const std::string cidrs = path + ".clientCIDRs";
    c.minItems(cidrs, p.client_cidrs->size(), 1);
    for (size_t i = 0; i < p.client_cidrs->size(); ++i) {
      const auto& value = (*p.client_cidrs)[i];
      if (!std::regex_search(value, cidr)) c.pattern(index(cidrs, i), value, kCIDRPattern);
    }
  }
  if (p.jwt) checkJWT(path + ".jwt", *p.jwt, c);
  if (p.headers) {
    const std::string headers = path + ".headers";
    c.minItems(headers, p.headers->size(), 1);
    c.maxItems(headers, p.headers->size(), 256);
    for (size_t i = 0; i < p.headers->size(); ++i) {
      const auto& h = (*p.headers)[i];
      const std::string hp = index(headers, i);
      c.length(hp + ".name", h.name, 1, 256);
      c.minItems(hp + ".values", h.values.size(), 1);
      c.maxItems(hp + ".values", h.values.size(), 256);
    }
  }
  if (p.client_ip_geo_locations) {
    const std::string geo = path + ".clientIPGeoLocations";
    c.minItems(geo, p.client_ip_geo_locations->size(), 1);
    for (size_t i = 0; i < p.client_ip_geo_locations->size(); ++i) {
      checkGeoLocation(index(geo, i), (*p.client_ip_geo_locations)[i], c);
    }
  }
}

void checkAuthorization(const SecurityPolicySpec& s, Checker& c) {
  const AuthorizationSpec& a = *s.authorization;
  c.enumeration("spec.authorization.defaultAction", a.default_action, {"Allow", "Deny"});
  bool uses_jwt = false;
  for (size_t i = 0; i < a.rules.size(); ++i) {
    const auto& rule = a.rules[i];
    const std::string path = index("spec.authorization.rules", i);
    if (!rule.principal && !rule.cel) {
      c.cel(path, "at least one of principal or cel must be specified");
    }
    if (rule.name) c.length(path + ".name", *rule.name, 1, 253);
    if (rule.action.empty()) {
      c.required(path + ".action");
    } else {
      c.enumeration(path + ".action", rule.action, {"Allow", "Deny"});
    }
    if (rule.operation) checkOperation(path + ".operation", *rule.operation, c);
    if (rule.principal) {
      checkPrincipal(path + ".principal", *rule.principal, c);
      uses_jwt = uses_jwt || rule.principal->jwt.has_value();
    }
    if (rule.cel) c.length(path + ".cel", *rule.cel, 1, 4096);
  }
  if (uses_jwt && !s.has_jwt) {
    c.cel("spec", "if authorization.rules.principal.jwt is used, jwt must be defined");
  }
}

// spec.jwt: the JWT, JWTProvider, RemoteJWKS and LocalJWKS markers of the CRD.
void checkJWTProviders(const JWTSpec& jwt, Checker& c) {
  if (jwt.optional && jwt.fail_open) {
    c.cel("spec.jwt",
          "optional and failOpen cannot both be set; failOpen already tolerates a missing JWT");
  }
  const std::string providers = "spec.jwt.providers";
  c.minItems(providers, jwt.providers.size(), 1);
  c.maxItems(providers, jwt.providers.size(), 16);
  for (size_t i = 0; i < jwt.providers.size(); ++i) {
    const JWTProviderSpec& p = jwt.providers[i];
    const std::string path = index(providers, i);
    if (p.recompute_route.value_or(false) && p.claim_to_headers.empty()) {
      c.cel(path, "claimToHeaders must be specified if recomputeRoute is enabled.");
    }
    if (!p.remote_jwks && !p.local_jwks) {
      c.cel(path, "either remoteJWKS or localJWKS must be specified.");
    }
    if (p.remote_jwks && p.local_jwks) {
      c.cel(path, "remoteJWKS and localJWKS cannot both be specified.");
    }
    c.length(path + ".name", p.name, 1, 253);
    if (p.issuer) c.length(path + ".issuer", *p.issuer, 0, 253);
    if (p.audiences) c.maxItems(path + ".audiences", p.audiences->size(), 8);
    if (p.remote_jwks) {
      if (p.remote_jwks->has_backend_ref) {
        c.cel(path + ".remoteJWKS", "BackendRefs must be used, backendRef is not supported.");
      }
      c.length(path + ".remoteJWKS.uri", p.remote_jwks->uri, 1, 253);
      c.duration(path + ".remoteJWKS.cacheDuration", p.remote_jwks->cache_duration);
      c.duration(path + ".remoteJWKS.failedRefetchDuration",
                 p.remote_jwks->failed_refetch_duration);
    }
    if (p.local_jwks) {
      const auto& l = *p.local_jwks;
      // The API server defaults type to Inline before the rule runs.
      const std::string type = l.type.value_or("Inline");
      c.enumeration(path + ".localJWKS.type", l.type, {"Inline", "ValueRef"});
      const bool ok = (type == "Inline" && l.inline_jwks && !l.value_ref) ||
                      (type == "ValueRef" && !l.inline_jwks && l.value_ref);
      if (!ok) {
        c.cel(path + ".localJWKS",
              "Exactly one of inline or valueRef must be set with correct type.");
      }
    }
  }
}

}  // namespace

std::vector<std::string> admissionErrors(const SecurityPolicySpec& s) {
  Checker c;
  checkTargets(s, c);
  if (s.jwt) checkJWTProviders(*s.jwt, c);
  if (s.authorization) checkAuthorization(s, c);
  return c.errors;
}

}  // namespace ctplab::policy
