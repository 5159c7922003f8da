#include "ctplab/proxy/ratelimit/local_rate_limiter.h"

#include <algorithm>
#include <array>
#include <utility>

#include "ratelimit/rule_match.h"

namespace ctplab::proxy::ratelimit {
namespace {

// Envoy reports the wait to the next token in milliseconds rounded up, then divides by 1000.
int64_t envoyResetSeconds(Duration wait) { return (wait.ns() + 999'999) / 1'000'000 / 1'000; }

// a refills more slowly than b; exact, since requests × seconds stays below 2^63.
bool slowerFill(const Limit& a, const Limit& b) {
  return static_cast<uint64_t>(a.requests) * static_cast<uint64_t>(unitSeconds(b.unit)) <
         static_cast<uint64_t>(b.requests) * static_cast<uint64_t>(unitSeconds(a.unit));
}

}  // namespace

void appendRateLimitHeaders(const Decision& decision, http1::HeaderList& headers) {
  if (!decision.rate_limit_headers) return;
  headers.push_back({"x-ratelimit-limit", std::to_string(decision.limit)});
  headers.push_back({"x-ratelimit-remaining", std::to_string(decision.remaining)});
  headers.push_back({"x-ratelimit-reset", std::to_string(decision.reset_seconds)});
}

std::optional<LimitedReply> limitedReply(const Decision& decision,
                                         const LocalRateLimitConfig& config) {
  if (decision.allowed) return std::nullopt;
  LimitedReply reply;
  reply.body = "local_rate_limited";
  reply.head.status = 429;
  reply.head.headers = {{"content-type", "text/plain"},
                        {"content-length", std::to_string(reply.body.size())}};
  if (config.envoyRatelimitedHeader())
    reply.head.headers.push_back({"x-envoy-ratelimited", "true"});
  appendRateLimitHeaders(decision, reply.head.headers);
  return reply;
}

LocalRateLimiter::LocalRateLimiter(std::shared_ptr<const LocalRateLimitConfig> config,
                                   size_t max_distinct_buckets)
    : config_(std::move(config)),
      max_distinct_(max_distinct_buckets),
      default_bucket_(config_->defaultLimit().requests,
                      unitDuration(config_->defaultLimit().unit)) {
  shared_buckets_.reserve(config_->rules().size());
  for (const CompiledRule& rule : config_->rules()) {
    shared_buckets_.emplace_back(rule.limit.requests, unitDuration(rule.limit.unit));
  }
}

TokenBucket* LocalRateLimiter::distinctBucket(const CompiledRule& rule, const std::string& key) {
  if (auto it = by_key_.find(std::string_view(key)); it != by_key_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return &it->second->bucket;
  }
  lru_.push_front({key, TokenBucket(rule.limit.requests, unitDuration(rule.limit.unit))});
  by_key_.emplace(std::string_view(lru_.front().key), lru_.begin());
  return &lru_.front().bucket;
}

void LocalRateLimiter::evictOverflow() {
  // Like Envoy's dynamic descriptors: the least recently used value loses its bucket and starts
  // full again if it returns.
  while (lru_.size() > max_distinct_) {
    by_key_.erase(std::string_view(lru_.back().key));
    lru_.pop_back();
  }
}

Decision LocalRateLimiter::decide(TimePoint now, const http1::RequestHead& head,
                                  const IpAddress& client) {
  struct Match {
    int rule;
    TokenBucket* bucket;
  };
  const std::vector<CompiledRule>& rules = config_->rules();
  std::array<Match, LocalRateLimitConfig::kMaxRules> matched;
  size_t count = 0;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!ruleMatches(rules[i], i, head, client, scratch_)) continue;
    TokenBucket* bucket =
        rules[i].distinct() ? distinctBucket(rules[i], scratch_) : &shared_buckets_[i];
    matched[count++] = {static_cast<int>(i), bucket};
  }
  // Envoy takes tokens from the matched buckets slowest-filling first, so that the strictest
  // limit is the one a limited request stops at; ties keep rule order here for determinism.
  std::stable_sort(matched.begin(), matched.begin() + count, [&](const Match& a, const Match& b) {
    return slowerFill(rules[a.rule].limit, rules[b.rule].limit);
  });

  Decision decision;
  const Match* reported = count > 0 ? &matched[0] : nullptr;
  for (size_t i = 0; i < count; ++i) {
    if (matched[i].bucket->tryConsume(now)) continue;
    if (rules[matched[i].rule].shadow_mode) {
      // Counted, never enforced; later buckets still decide.
      if (!decision.shadow_limited) reported = &matched[i];
      decision.shadow_limited = true;
      continue;
    }
    decision.allowed = false;
    reported = &matched[i];
    break;
  }
  // A request that matched a rule does not touch the default bucket (Envoy Gateway sets
  // always_consume_default_token_bucket to false).
  const TokenBucket* bucket = &default_bucket_;
  std::optional<bool> headers_override;
  if (reported != nullptr) {
    decision.rule = reported->rule;
    bucket = reported->bucket;
    headers_override = rules[reported->rule].rate_limit_headers;
  } else if (!default_bucket_.tryConsume(now)) {
    decision.allowed = false;
  }
  decision.limit = bucket->capacity();
  decision.remaining = bucket->remaining(now);
  decision.reset_seconds = envoyResetSeconds(bucket->resetIn(now));
  decision.rate_limit_headers = headers_override.value_or(config_->rateLimitHeaders());
  // Deferred until here so that no bucket this request holds a pointer to can be evicted.
  evictOverflow();
  return decision;
}

}  // namespace ctplab::proxy::ratelimit
