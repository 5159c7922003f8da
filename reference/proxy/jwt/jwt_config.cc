#include "ctplab/proxy/jwt/jwt_config.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <utility>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::jwt {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string where(size_t index, const std::string& name, std::string_view field) {
  std::string out = "providers[" + std::to_string(index) + "]";
  if (!name.empty()) out += " (" + name + ")";
  if (!field.empty()) out += "." + std::string(field);
  return out;
}

// Envoy keys header locations by lower-cased name + prefix and parameters and cookies by name,
// in sorted maps: that is the extraction order.
std::vector<TokenLocation> locationsFor(const JwtProviderSpec& spec) {
  std::set<std::pair<std::string, std::string>> headers;
  std::set<std::string> params;
  std::set<std::string> cookies;
  const bool custom = spec.extract_from &&
                      (!spec.extract_from->headers.empty() || !spec.extract_from->params.empty() ||
                       !spec.extract_from->cookies.empty());
  if (custom) {
    for (const HeaderExtractor& h : spec.extract_from->headers) {
      headers.insert({lower(h.name), h.value_prefix});
    }
    params.insert(spec.extract_from->params.begin(), spec.extract_from->params.end());
    cookies.insert(spec.extract_from->cookies.begin(), spec.extract_from->cookies.end());
  } else {
    headers.insert({"authorization", "Bearer "});
    params.insert("access_token");
  }
  std::vector<std::pair<std::string, TokenLocation>> keyed_headers;
  for (const auto& [name, prefix] : headers) {
    keyed_headers.push_back({name + prefix, {TokenLocation::Kind::kHeader, name, prefix}});
  }
  std::sort(keyed_headers.begin(), keyed_headers.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TokenLocation> out;
  for (auto& [key, location] : keyed_headers) out.push_back(std::move(location));
  for (const std::string& p : params) out.push_back({TokenLocation::Kind::kParam, p, ""});
  for (const std::string& c : cookies) out.push_back({TokenLocation::Kind::kCookie, c, ""});
  return out;
}

Result<CompiledProvider> compileProvider(const JwtProviderSpec& spec, size_t index,
                                         bool reject_invalid_jwks,
                                         std::vector<std::string>& warnings) {
  if (spec.name.empty()) return Error{where(index, "", "name") + ": must not be empty"};
  if (spec.name.size() > 253) {
    return Error{where(index, spec.name, "name") + ": must be at most 253 characters"};
  }
  if (spec.audiences.size() > JwtConfig::kMaxAudiences) {
    return Error{where(index, spec.name, "audiences") + ": must have at most 8 items"};
  }
  CompiledProvider out;
  out.name = spec.name;
  out.issuer = spec.issuer;
  out.audiences = spec.audiences;
  out.forward = spec.forward;
  out.clock_skew_seconds = spec.clock_skew_seconds;
  if (spec.extract_from) {
    for (size_t i = 0; i < spec.extract_from->headers.size(); ++i) {
      const std::string& name = spec.extract_from->headers[i].name;
      if (!http1::isValidFieldName(name)) {
        return Error{
            where(index, spec.name, "extractFrom.headers[" + std::to_string(i) + "].name") +
            ": invalid header name \"" + name + "\""};
      }
    }
    for (const std::string& p : spec.extract_from->params) {
      if (p.empty()) return Error{where(index, spec.name, "extractFrom.params") + ": empty name"};
    }
    for (const std::string& c : spec.extract_from->cookies) {
      if (c.empty()) return Error{where(index, spec.name, "extractFrom.cookies") + ": empty name"};
    }
  }
  out.locations = locationsFor(spec);
  for (size_t i = 0; i < spec.claim_to_headers.size(); ++i) {
    const ClaimToHeader& c = spec.claim_to_headers[i];
    const std::string field = "claimToHeaders[" + std::to_string(i) + "]";
    if (c.header.empty())
      return Error{where(index, spec.name, field + ".header") + ": must be set"};
    if (c.claim.empty()) return Error{where(index, spec.name, field + ".claim") + ": must be set"};
    if (!http1::isValidFieldName(c.header)) {
      return Error{where(index, spec.name, field + ".header") + ": invalid header name \"" +
                   c.header + "\""};
    }
    out.claim_to_headers.push_back({lower(c.header), c.claim});
    out.sanitized_headers.push_back(lower(c.header));
  }

  JwksParse parsed = parseJwks(spec.local_jwks);
  out.jwks_status = parsed.status;
  for (const SkippedJwk& skipped : parsed.jwks.skipped) {
    warnings.push_back(where(index, spec.name, "localJWKS") + ": key " +
                       std::to_string(skipped.index) +
                       " skipped: " + std::string(statusString(skipped.reason)));
  }
  if (parsed.status != Status::kOk) {
    const std::string message =
        where(index, spec.name, "localJWKS") + ": " + std::string(statusString(parsed.status));
    if (reject_invalid_jwks) return Error{message};
    warnings.push_back(message + "; every token for this provider fails with \"" +
                       std::string(statusString(Status::kJwksNoValidKeys)) + "\"");
  } else {
    out.jwks = std::make_shared<const Jwks>(std::move(parsed.jwks));
  }
  return out;
}

}  // namespace

Result<JwtConfig> JwtConfig::create(const JwtSpec& spec) {
  if (spec.providers.empty()) return Error{"providers: at least one provider is required"};
  if (spec.providers.size() > kMaxProviders) {
    return Error{"providers: Too many: " + std::to_string(spec.providers.size()) +
                 ": must have at most 16 items"};
  }
  if (spec.optional && spec.fail_open) {
    return Error{
        "optional and failOpen cannot both be set; failOpen already tolerates a missing JWT"};
  }
  JwtConfig config;
  config.optional_ = spec.optional;
  config.fail_open_ = spec.fail_open;
  if (spec.jwt_cache_size) {
    config.cache_size_ = *spec.jwt_cache_size == 0 ? kEnvoyDefaultCacheSize : *spec.jwt_cache_size;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < spec.providers.size(); ++i) {
    const JwtProviderSpec& p = spec.providers[i];
    if (!names.insert(p.name).second) {
      return Error{"provider name " + p.name + " must be unique"};
    }
    auto compiled = compileProvider(p, i, spec.reject_invalid_jwks, config.warnings_);
    if (!compiled) return compiled.error();
    config.providers_.push_back(std::move(compiled).value());
  }
  return config;
}

}  // namespace ctplab::proxy::jwt
