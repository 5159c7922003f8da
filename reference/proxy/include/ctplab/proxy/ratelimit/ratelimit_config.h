// A BackendTrafficPolicy's `rateLimit.local` (spec 5.3) as plain values, and its validated,
// compiled form: the default bucket, the selector rules with their regexes and CIDRs parsed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_cidr.h"
#include "ctplab/common/time.h"
#include "ctplab/proxy/result.h"

namespace re2 {
class RE2;
}

namespace ctplab::proxy::ratelimit {

enum class Unit { kSecond, kMinute, kHour, kDay, kWeek, kMonth, kYear };
int64_t unitSeconds(Unit unit);  // Second 1 … Month 2592000, Year 31536000
inline Duration unitDuration(Unit unit) { return Duration::seconds(unitSeconds(unit)); }

struct Limit {
  uint32_t requests = 0;  // tokens per unit and bucket capacity; 0 limits every request
  Unit unit = Unit::kSecond;
  bool operator==(const Limit&) const = default;
};

// What Envoy Gateway installs when no rule lacks clientSelectors: effectively unlimited.
inline constexpr Limit kUnlimitedDefault{4294967295u, Unit::kSecond};

enum class MatchType {
  kExact,     // the whole value equals `value`
  kRegex,     // RE2 full match of the whole value
  kDistinct,  // any value; every distinct value gets its own bucket (`invert` not allowed)
};

// A header or query parameter condition. Exact/Regex with `invert` match when the field is
// absent too, as Envoy's header_value_match with expect_match=false does; Distinct needs the
// field present.
struct ValueSelector {
  std::string name;  // header names compare case-insensitively, query names exactly
  MatchType type = MatchType::kExact;
  std::string value;  // unused for kDistinct
  bool invert = false;
};

// Matched against the request's whole `:path`, query included, as Envoy Gateway's `:path`
// header matcher does: PathPrefix is a plain string prefix, not segment-aware.
struct PathSelector {
  enum class Type { kExact, kPrefix, kRegex };
  Type type = Type::kPrefix;
  std::string value;
  bool invert = false;
};

struct SourceCidrSelector {
  enum class Type {
    kExact,     // one bucket shared by every client in the range
    kDistinct,  // one bucket per client IP in the range
  };
  Type type = Type::kExact;
  std::string cidr;  // "10.0.0.0/8", "2001:db8::/32"
};

// A rule's clientSelectors, already merged: every listed condition must hold.
struct ClientSelectors {
  std::vector<ValueSelector> headers;
  std::vector<std::string> methods;  // any one, compared exactly; empty = any method
  std::optional<PathSelector> path;
  std::optional<SourceCidrSelector> source_cidr;
  std::vector<ValueSelector> query_params;
  bool empty() const {
    return headers.empty() && methods.empty() && !path && !source_cidr && query_params.empty();
  }
};

struct LocalRateLimitRule {
  ClientSelectors selectors;  // empty: this rule is the default bucket
  Limit limit;
  bool shadow_mode = false;  // counted as limited, never enforced
  // xRateLimitHeaders: true = DraftVersion03, false = Off; unset = the listener's setting.
  std::optional<bool> rate_limit_headers;
};

struct LocalRateLimitSpec {
  std::vector<LocalRateLimitRule> rules;    // in API order
  bool disable_rate_limit_headers = false;  // ClientTrafficPolicy headers.disableRateLimitHeaders
  // Whether 429 replies carry `x-envoy-ratelimited: true` (unconfirmed for the current proxy).
  bool envoy_ratelimited_header = true;
};

// A selector rule after validation; the regexes are shared so configs copy cheaply.
struct CompiledValueSelector {
  ValueSelector selector;
  std::shared_ptr<const re2::RE2> regex;  // kRegex only
};

struct CompiledRule {
  std::vector<CompiledValueSelector> headers;
  std::vector<std::string> methods;
  std::optional<PathSelector> path;
  std::shared_ptr<const re2::RE2> path_regex;
  std::optional<IpCidr> cidr;
  bool cidr_distinct = false;
  std::vector<CompiledValueSelector> query_params;
  Limit limit;
  bool shadow_mode = false;
  std::optional<bool> rate_limit_headers;
  size_t api_index = 0;  // position in LocalRateLimitSpec::rules, for explanations
  // Whether any selector yields a per-value bucket (Distinct header, query or CIDR).
  bool distinct() const;
};

class LocalRateLimitConfig {
 public:
  static constexpr size_t kMaxRules = 16;

  // Envoy Gateway's translation checks, with its messages. An empty spec is valid: the default
  // bucket is then kUnlimitedDefault.
  static Result<LocalRateLimitConfig> create(const LocalRateLimitSpec& spec);

  const Limit& defaultLimit() const { return default_limit_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }  // selector rules, in order
  bool rateLimitHeaders() const { return rate_limit_headers_; }
  bool envoyRatelimitedHeader() const { return envoy_ratelimited_header_; }

 private:
  Limit default_limit_ = kUnlimitedDefault;
  std::vector<CompiledRule> rules_;
  bool rate_limit_headers_ = true;
  bool envoy_ratelimited_header_ = true;
};

}  // namespace ctplab::proxy::ratelimit
