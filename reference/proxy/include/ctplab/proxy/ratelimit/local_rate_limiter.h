// The HTTP local rate limit filter for one route (or one shared scope): picks the buckets a
// request matches, takes tokens, and says whether to forward it or answer 429 (spec 5.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/common/time.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/ratelimit/ratelimit_config.h"
#include "ctplab/proxy/ratelimit/token_bucket.h"

namespace ctplab::proxy::ratelimit {

struct Decision {
  static constexpr int kDefaultBucket = -1;

  bool allowed = true;          // false: answer 429 instead of routing
  bool shadow_limited = false;  // a shadow-mode bucket ran dry; the request still passes
  // The bucket the x-ratelimit-* headers describe: the one that ran dry, else the strictest
  // matched rule, else the default bucket. Index into LocalRateLimitConfig::rules().
  int rule = kDefaultBucket;
  uint32_t limit = 0;              // that bucket's capacity
  uint32_t remaining = 0;          // its whole tokens after this request
  int64_t reset_seconds = 0;       // until its next token, as Envoy rounds it
  bool rate_limit_headers = true;  // whether x-ratelimit-* go on the response

  bool limited() const { return !allowed || shadow_limited; }
};

// Adds x-ratelimit-limit/-remaining/-reset (IETF draft 03) when the decision asks for them.
// Envoy adds them when the response headers pass the filter, on routed and local replies alike.
void appendRateLimitHeaders(const Decision& decision, http1::HeaderList& headers);

struct LimitedReply {
  http1::ResponseHead
      head;          // 429, content-type, content-length, x-envoy-ratelimited, x-ratelimit-*
  std::string body;  // "local_rate_limited"
};

// The local reply for an enforced limit; nullopt when the request goes on to the router.
std::optional<LimitedReply> limitedReply(const Decision& decision,
                                         const LocalRateLimitConfig& config);

class LocalRateLimiter {
 public:
  // Envoy Gateway sets max_dynamic_descriptors to 10000 per filter; Envoy's own default is 20.
  static constexpr size_t kDefaultMaxDistinctBuckets = 10000;

  explicit LocalRateLimiter(std::shared_ptr<const LocalRateLimitConfig> config,
                            size_t max_distinct_buckets = kDefaultMaxDistinctBuckets);

  // `head.target` is the normalized `:path` (the filter runs after path normalization) and
  // `client` the detected client IP (spec 4.6).
  Decision decide(TimePoint now, const http1::RequestHead& head, const IpAddress& client);

  const LocalRateLimitConfig& config() const { return *config_; }
  // Buckets currently held for Distinct values, across all rules.
  size_t distinctBuckets() const { return lru_.size(); }

 private:
  struct DistinctBucket {
    std::string key;
    TokenBucket bucket;
  };
  using Lru = std::list<DistinctBucket>;  // most recently used first

  TokenBucket* distinctBucket(const CompiledRule& rule, const std::string& key);
  void evictOverflow();

  std::shared_ptr<const LocalRateLimitConfig> config_;
  size_t max_distinct_;
  TokenBucket default_bucket_;
  std::vector<TokenBucket> shared_buckets_;  // one per rule; unused for Distinct rules
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> by_key_;  // views into lru_ keys
  std::string scratch_;  // reused per request to build Distinct keys without allocating
};

}  // namespace ctplab::proxy::ratelimit
