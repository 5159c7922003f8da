#include "ctplab/proxy/jwt/config_from_ir.h"

namespace ctplab::proxy::jwt {

Result<JwtSpec> jwtSpecFromIr(const policy::ir::JWT& jwt) {
  JwtSpec spec;
  spec.optional = jwt.allow_missing;
  spec.fail_open = jwt.allow_missing_or_failed;
  for (const auto& in : jwt.providers) {
    if (!in.local_jwks) {
      return Error{"jwt provider \"" + in.name + "\": remote JWKS" +
                   (in.remote_jwks_uri ? " " + *in.remote_jwks_uri : std::string()) +
                   " cannot be fetched; use localJWKS"};
    }
    JwtProviderSpec p;
    p.name = in.name;
    p.issuer = in.issuer;
    p.audiences = in.audiences;
    p.local_jwks = *in.local_jwks;
    if (in.extract_from) {
      JwtExtractFrom from;
      for (const auto& h : in.extract_from->headers) {
        from.headers.push_back({h.name, h.value_prefix.value_or("")});
      }
      from.cookies = in.extract_from->cookies;
      from.params = in.extract_from->params;
      p.extract_from = std::move(from);
    }
    for (const auto& c : in.claim_to_headers) p.claim_to_headers.push_back({c.header, c.claim});
    spec.providers.push_back(std::move(p));
  }
  return spec;
}

JwtPrincipal principalFromIr(const policy::ir::JWTPrincipal& principal) {
  JwtPrincipal out;
  out.provider = principal.provider;
  for (const auto& c : principal.claims) {
    JwtClaimMatch m;
    m.name = c.name;
    m.value_type =
        c.value_type == "StringArray" ? ClaimValueType::kStringArray : ClaimValueType::kString;
    m.values = c.values;
    out.claims.push_back(std::move(m));
  }
  out.scopes = principal.scopes;
  return out;
}

}  // namespace ctplab::proxy::jwt
