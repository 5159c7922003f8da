#include "ctplab/proxy/ratelimit/global_rate_limit.h"

#include <cctype>
#include <string_view>
#include <utility>

#include "ratelimit/rule_compile.h"
#include "ratelimit/rule_match.h"

namespace ctplab::proxy::ratelimit {
namespace {

// Keys stay readable and unambiguous: the separators `/` and `=` (and `%` itself) inside a
// value are percent-encoded, as are bytes that would not print.
void appendEscaped(std::string& key, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '/' || c == '=' || c == '%' || c <= 0x20 || c >= 0x7f) {
      key += '%';
      key += kHex[c >> 4];
      key += kHex[c & 0xf];
    } else {
      key += ch;
    }
  }
}

void appendEntry(std::string& key, std::string_view kind, std::string_view name,
                 std::string_view value) {
  key += '/';
  key += kind;
  for (const char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  key += '=';
  appendEscaped(key, value);
}

// The Distinct values a matching request brings, in the matcher's order: headers, query
// parameters, then the client address (Envoy's request_headers, query_parameters and
// masked_remote_address actions).
std::string descriptorKey(const GlobalRateLimitConfig& config, size_t index,
                          const http1::RequestHead& head, const IpAddress& client) {
  const CompiledRule& rule = config.rules()[index];
  std::string key = config.shared(index) ? config.sharedScope() : config.routeScope();
  key += "/rule/" + std::to_string(index);
  for (const CompiledValueSelector& s : rule.headers) {
    if (s.selector.type != MatchType::kDistinct) continue;
    const http1::Header* h = http1::findHeader(head.headers, s.selector.name);
    appendEntry(key, "header:", s.selector.name, h != nullptr ? h->value : "");
  }
  for (const CompiledValueSelector& s : rule.query_params) {
    if (s.selector.type != MatchType::kDistinct) continue;
    appendEntry(key, "query:", s.selector.name,
                queryParam(head.target, s.selector.name).value_or(""));
  }
  if (rule.cidr_distinct) appendEntry(key, "remote_address", "", client.toString());
  return key;
}

}  // namespace

Result<GlobalRateLimitConfig> GlobalRateLimitConfig::create(const GlobalRateLimitSpec& spec) {
  if (spec.rules.size() > kMaxRules) {
    return Error{"rules: Too many: " + std::to_string(spec.rules.size()) + ": must have at most " +
                 std::to_string(kMaxRules) + " items"};
  }
  GlobalRateLimitConfig config;
  config.route_scope_ = spec.route_scope;
  config.shared_scope_ = spec.shared_scope;
  config.rate_limit_headers_ = !spec.disable_rate_limit_headers;
  config.fail_closed_ = spec.fail_closed;
  for (size_t i = 0; i < spec.rules.size(); ++i) {
    const GlobalRateLimitRule& rule = spec.rules[i];
    auto compiled = compileSelectors(rule.selectors, i);
    if (!compiled) return compiled.error();
    CompiledRule out = std::move(compiled).value();
    out.limit = rule.limit;
    out.shadow_mode = rule.shadow_mode;
    config.rules_.push_back(std::move(out));
    config.shared_.push_back(rule.shared);
  }
  return config;
}

std::vector<GlobalDescriptor> globalDescriptors(const GlobalRateLimitConfig& config,
                                                const http1::RequestHead& head,
                                                const IpAddress& client) {
  std::vector<GlobalDescriptor> out;
  std::string scratch;
  const auto& rules = config.rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    // The local limit's matcher decides, so both limits select requests identically.
    if (!ruleMatches(rules[i], i, head, client, scratch)) continue;
    out.push_back(
        {i, descriptorKey(config, i, head, client), rules[i].limit, rules[i].shadow_mode});
  }
  return out;
}

GlobalDecision decideGlobal(const GlobalRateLimitConfig& config,
                            std::span<const GlobalDescriptor> descriptors,
                            const GlobalCheckReply& reply) {
  GlobalDecision decision;
  if (descriptors.empty()) return decision;
  if (reply.failed || reply.statuses.size() != descriptors.size()) {
    // A reply that does not answer every descriptor is as useless as none.
    decision.failed = true;
    decision.failed_open = !config.failClosed();
    decision.allowed = decision.failed_open;
    if (!decision.allowed) decision.status = 500;
    return decision;
  }
  std::string quota_policy;
  for (size_t i = 0; i < reply.statuses.size(); ++i) {
    const GlobalDescriptorStatus& s = reply.statuses[i];
    if (s.over_limit) decision.allowed = false;
    if (s.shadow_limited) decision.shadow_limited = true;
    // Envoy's x-ratelimit headers: the status with the least remaining (first of equals), and
    // every status's `<limit>;w=<window seconds>`.
    if (decision.descriptor < 0 || s.remaining < reply.statuses[decision.descriptor].remaining) {
      decision.descriptor = static_cast<int>(i);
    }
    quota_policy +=
        ", " + std::to_string(s.limit.requests) + ";w=" + std::to_string(unitSeconds(s.limit.unit));
  }
  if (!decision.allowed) decision.status = 429;
  const GlobalDescriptorStatus& shown = reply.statuses[static_cast<size_t>(decision.descriptor)];
  decision.rate_limit_headers = config.rateLimitHeaders();
  decision.limit = std::to_string(shown.limit.requests) + quota_policy;
  decision.remaining = shown.remaining;
  decision.reset_seconds = shown.reset_seconds;
  return decision;
}

void appendGlobalRateLimitHeaders(const GlobalDecision& decision, http1::HeaderList& headers) {
  if (!decision.rate_limit_headers || decision.descriptor < 0) return;
  headers.push_back({"x-ratelimit-limit", decision.limit});
  headers.push_back({"x-ratelimit-remaining", std::to_string(decision.remaining)});
  headers.push_back({"x-ratelimit-reset", std::to_string(decision.reset_seconds)});
}

std::optional<LimitedReply> globalLimitedReply(const GlobalDecision& decision) {
  if (decision.allowed) return std::nullopt;
  LimitedReply reply;
  reply.head.status = decision.status;
  reply.head.headers = {{"content-length", "0"}};
  if (decision.status == 429) {
    reply.head.headers.push_back({"x-envoy-ratelimited", "true"});
    appendGlobalRateLimitHeaders(decision, reply.head.headers);
  }
  return reply;
}

}  // namespace ctplab::proxy::ratelimit
