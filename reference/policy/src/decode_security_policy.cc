// Decoding of SecurityPolicy.spec: targets, `authorization` and `jwt` strictly, the other
// features accepted as written (they are echoed, not modelled).
#include "decode.h"

namespace ctplab::policy {
namespace {

// A list that is present (even empty) stays distinct from an absent one: minItems rules of the
// schema apply to written lists only.
std::optional<std::vector<std::string>> optionalStrings(const Field& f) {
  if (!f.present()) return std::nullopt;
  return f.strings();
}

AuthorizationOperationSpec decodeOperation(const Field& f) {
  f.rejectUnknown({"methods", "path"});
  AuthorizationOperationSpec op;
  op.methods = optionalStrings(f["methods"]);
  Field path = f["path"];
  if (path.expectMap()) {
    path.rejectUnknown({"type", "value", "invert"});
    // The API server defaults an absent value to "/".
    op.path = AuthorizationPathSpec{path["type"].str(), path["value"].str().value_or("/"),
                                    path["invert"].boolean()};
  }
  return op;
}

JWTPrincipalSpec decodeJWTPrincipal(const Field& f) {
  f.rejectUnknown({"provider", "claims", "scopes"});
  JWTPrincipalSpec jwt;
  jwt.provider = f["provider"].required("provider");
  if (f["claims"].present()) {
    std::vector<JWTClaimSpec> claims;
    for (const auto& c : f["claims"].items()) {
      c.rejectUnknown({"name", "valueType", "values"});
      if (!c["values"].present()) c["values"].error("missing required field (values)");
      claims.push_back({c["name"].required("name"), c["valueType"].str(), c["values"].strings()});
    }
    jwt.claims = std::move(claims);
  }
  jwt.scopes = optionalStrings(f["scopes"]);
  return jwt;
}

ClientIPGeoLocationSpec decodeGeoLocation(const Field& f) {
  f.rejectUnknown({"country", "region", "city", "asn", "isp", "anonymous"});
  ClientIPGeoLocationSpec g;
  g.country = f["country"].str();
  g.region = f["region"].str();
  g.city = f["city"].str();
  g.isp = f["isp"].str();
  g.asn = f["asn"].integer();
  Field anon = f["anonymous"];
  if (anon.expectMap()) {
    anon.rejectUnknown({"isAnonymous", "isVPN", "isHosting", "isTor", "isProxy"});
    for (const char* flag : {"isAnonymous", "isVPN", "isHosting", "isTor", "isProxy"}) {
      // Only presence counts: the flags are echoed, not evaluated.
      if (anon[flag].boolean()) ++g.anonymous_flags;
    }
    g.has_anonymous = true;
  }
  return g;
}

AuthorizationPrincipalSpec decodePrincipal(const Field& f) {
  f.rejectUnknown({"clientCIDRs", "jwt", "headers", "clientIPGeoLocations"});
  AuthorizationPrincipalSpec p;
  p.client_cidrs = optionalStrings(f["clientCIDRs"]);
  if (f["jwt"].expectMap()) p.jwt = decodeJWTPrincipal(f["jwt"]);
  if (f["headers"].present()) {
    std::vector<AuthorizationHeaderSpec> headers;
    for (const auto& h : f["headers"].items()) {
      h.rejectUnknown({"name", "values"});
      if (!h["values"].present()) h["values"].error("missing required field (values)");
      headers.push_back({h["name"].required("name"), h["values"].strings()});
    }
    p.headers = std::move(headers);
  }
  if (f["clientIPGeoLocations"].present()) {
    std::vector<ClientIPGeoLocationSpec> geo;
    for (const auto& g : f["clientIPGeoLocations"].items()) {
      if (g.expectMap()) geo.push_back(decodeGeoLocation(g));
    }
    p.client_ip_geo_locations = std::move(geo);
  }
  return p;
}

AuthorizationRuleSpec decodeRule(const Field& f) {
  f.rejectUnknown({"name", "action", "operation", "principal", "cel"});
  AuthorizationRuleSpec r;
  r.name = f["name"].str();
  r.action = f["action"].required("action");
  if (f["operation"].expectMap()) r.operation = decodeOperation(f["operation"]);
  if (f["principal"].expectMap()) r.principal = decodePrincipal(f["principal"]);
  r.cel = f["cel"].str();
  return r;
}

AuthorizationSpec decodeAuthorization(const Field& f) {
  f.rejectUnknown({"rules", "defaultAction"});
  AuthorizationSpec a;
  a.default_action = f["defaultAction"].str();
  for (const auto& rule : f["rules"].items()) {
    if (rule.expectMap()) a.rules.push_back(decodeRule(rule));
  }
  return a;
}

JWTProviderSpec decodeJWTProvider(const Field& f) {
  f.rejectUnknown({"name", "issuer", "audiences", "remoteJWKS", "localJWKS", "claimToHeaders",
                   "recomputeRoute", "extractFrom"});
  JWTProviderSpec p;
  p.name = f["name"].required("name");
  p.issuer = f["issuer"].str();
  p.audiences = optionalStrings(f["audiences"]);
  Field remote = f["remoteJWKS"];
  if (remote.expectMap()) {
    // Backend settings of the key-set fetch are echoed, not modelled.
    remote.rejectUnknown({"uri", "cacheDuration", "failedRefetchDuration", "backendRef",
                          "backendRefs", "backendSettings"});
    JWTProviderSpec::Remote r;
    r.uri = remote["uri"].required("uri");
    r.has_backend_ref = remote["backendRef"].present();
    r.has_backend_refs = remote["backendRefs"].present();
    r.cache_duration = remote["cacheDuration"].str();
    r.failed_refetch_duration = remote["failedRefetchDuration"].str();
    p.remote_jwks = std::move(r);
  }
  Field local = f["localJWKS"];
  if (local.expectMap()) {
    local.rejectUnknown({"type", "inline", "valueRef"});
    JWTProviderSpec::Local l;
    l.type = local["type"].str();
    l.inline_jwks = local["inline"].str();
    Field ref = local["valueRef"];
    if (ref.expectMap()) {
      ref.rejectUnknown({"group", "kind", "name"});
      l.value_ref = ref["name"].required("name");
    }
    p.local_jwks = std::move(l);
  }
  for (const auto& c : f["claimToHeaders"].items()) {
    if (!c.expectMap()) continue;
    c.rejectUnknown({"header", "claim"});
    p.claim_to_headers.push_back({c["header"].required("header"), c["claim"].required("claim")});
  }
  p.recompute_route = f["recomputeRoute"].boolean();
  Field ex = f["extractFrom"];
  if (ex.expectMap()) {
    ex.rejectUnknown({"headers", "cookies", "params"});
    JWTProviderSpec::ExtractFrom e;
    for (const auto& h : ex["headers"].items()) {
      if (!h.expectMap()) continue;
      h.rejectUnknown({"name", "valuePrefix"});
      e.headers.push_back({h["name"].required("name"), h["valuePrefix"].str()});
    }
    e.cookies = ex["cookies"].strings();
    e.params = ex["params"].strings();
    p.extract_from = std::move(e);
  }
  return p;
}

JWTSpec decodeJWT(const Field& f) {
  f.rejectUnknown({"optional", "failOpen", "providers"});
  JWTSpec jwt;
  jwt.optional = f["optional"].boolean();
  jwt.fail_open = f["failOpen"].boolean();
  for (const auto& p : f["providers"].items()) {
    if (p.expectMap()) jwt.providers.push_back(decodeJWTProvider(p));
  }
  return jwt;
}

}  // namespace

void decodeSecurityPolicySpec(const Field& spec, SecurityPolicySpec& out) {
  spec.rejectUnknown({"targetRef", "targetRefs", "targetSelectors", "mergeType", "apiKeyAuth",
                      "cors", "csrf", "basicAuth", "jwt", "oidc", "extAuth", "authorization"});
  if (spec["targetRef"].present()) out.target_ref = decodeTargetRef(spec["targetRef"]);
  for (const auto& r : spec["targetRefs"].items()) out.target_refs.push_back(decodeTargetRef(r));
  for (const auto& s : spec["targetSelectors"].items()) {
    out.target_selectors.push_back(decodeTargetSelector(s));
  }
  out.merge_type = spec["mergeType"].str();
  out.has_jwt = spec["jwt"].present();
  if (spec["jwt"].expectMap()) out.jwt = decodeJWT(spec["jwt"]);
  for (const char* feature :
       {"cors", "csrf", "jwt", "oidc", "apiKeyAuth", "basicAuth", "extAuth"}) {
    out.has_http_features = out.has_http_features || spec[feature].present();
  }
  Field ext = spec["extAuth"];
  out.ext_auth_grpc_backend_ref = ext["grpc"]["backendRef"].present();
  out.ext_auth_http_backend_ref = ext["http"]["backendRef"].present();
  if (spec["authorization"].expectMap()) {
    out.authorization = decodeAuthorization(spec["authorization"]);
  }
}

}  // namespace ctplab::policy
