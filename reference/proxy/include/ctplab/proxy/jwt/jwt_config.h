// A SecurityPolicy's `jwt` block as plain values (providers with their local JWKS, token
// locations and claim headers; optional / failOpen), and its validated, compiled form.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/proxy/jwt/clock_skew.h"
#include "ctplab/proxy/jwt/jwks.h"
#include "ctplab/proxy/jwt/jwt_status.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::jwt {

struct HeaderExtractor {
  std::string name;          // compared case-insensitively
  std::string value_prefix;  // e.g. "Bearer "; empty: the whole value is the token
};

struct JwtExtractFrom {
  std::vector<HeaderExtractor> headers;
  std::vector<std::string> cookies;
  std::vector<std::string> params;  // query parameters
};

struct ClaimToHeader {
  std::string header;
  std::string claim;  // dotted path into nested objects, e.g. "user.email"
};

struct JwtProviderSpec {
  std::string name;                    // unique; also the key authorization rules refer to
  std::string issuer;                  // empty: any `iss` (even none)
  std::vector<std::string> audiences;  // empty: any `aud`; otherwise one must match
  std::string local_jwks;              // the JWKS document (localJWKS inline or ConfigMap value)
  // Unset: `Authorization: Bearer <token>` and the `access_token` query parameter, Envoy's
  // defaults. Set but all lists empty means the same.
  std::optional<JwtExtractFrom> extract_from;
  std::vector<ClaimToHeader> claim_to_headers;
  // Envoy Gateway always sets `forward: true`, so the token stays on the request. Envoy's own
  // default (false) removes the header that carried it (a query parameter is removed too).
  bool forward = true;
  // Envoy's default; Envoy Gateway does not set clock_skew_seconds.
  uint64_t clock_skew_seconds = kDefaultClockSkewSeconds;
};

struct JwtSpec {
  std::vector<JwtProviderSpec> providers;  // 1..16, tried in order; any one authenticates
  bool optional = false;   // a request without any token passes (Envoy's allow_missing)
  bool fail_open = false;  // a missing or failing token passes (allow_missing_or_failed)
  // Envoy's per-provider verified-token cache. Unset: no cache, which is what Envoy Gateway
  // configures (it sets no jwt_cache_config), so every request verifies its signature. A value
  // enables it with that many entries per worker; 0 means Envoy's default, 100.
  std::optional<uint32_t> jwt_cache_size;
  // Envoy loads a local JWKS it cannot parse as "no keys" (a warning in its log) and then answers
  // every token of that provider with "Jwks doesn't have any valid public key". true turns that
  // into a configuration error; false keeps Envoy's behaviour and records a warning.
  bool reject_invalid_jwks = true;
};

// Where a provider looks for tokens; header names are lower-cased.
struct TokenLocation {
  enum class Kind { kHeader, kParam, kCookie };
  Kind kind = Kind::kHeader;
  std::string name;
  std::string value_prefix;  // headers only
};

struct CompiledProvider {
  std::string name;
  std::string issuer;
  std::vector<std::string> audiences;
  // In the order Envoy extracts: headers, then parameters, then cookies, each sorted by name
  // (headers by name + prefix), duplicates merged.
  std::vector<TokenLocation> locations;
  std::vector<ClaimToHeader> claim_to_headers;  // header names lower-cased
  // Removed from every request before extraction so a client cannot forge them (lower-cased).
  std::vector<std::string> sanitized_headers;
  bool forward = true;
  uint64_t clock_skew_seconds = kDefaultClockSkewSeconds;
  std::shared_ptr<const Jwks> jwks;  // null when the JWKS was unusable and tolerated
  Status jwks_status = Status::kOk;
};

class JwtConfig {
 public:
  static constexpr size_t kMaxProviders = 16;
  static constexpr size_t kMaxAudiences = 8;
  static constexpr uint32_t kEnvoyDefaultCacheSize = 100;
  // Envoy does not cache tokens longer than this.
  static constexpr size_t kMaxCachedTokenBytes = 4096;

  // Envoy Gateway's checks (provider names present and unique, claimToHeaders complete,
  // optional and failOpen exclusive) plus the JWKS; errors name the provider.
  static Result<JwtConfig> create(const JwtSpec& spec);

  const std::vector<CompiledProvider>& providers() const { return providers_; }
  bool optional() const { return optional_; }
  bool failOpen() const { return fail_open_; }
  uint32_t cacheSize() const { return cache_size_; }  // 0: no cache
  // Problems Envoy would only log, such as keys skipped from a JWKS.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<CompiledProvider> providers_;
  bool optional_ = false;
  bool fail_open_ = false;
  uint32_t cache_size_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace ctplab::proxy::jwt
