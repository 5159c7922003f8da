// Whether a request satisfies one rule's client selectors, as the route's rate-limit actions
// Envoy Gateway generates would produce that rule's descriptor, and which Distinct bucket it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/ratelimit/ratelimit_config.h"

namespace ctplab::proxy::ratelimit {

// The raw value of the first `name` parameter in the request target's query (no
// percent-decoding), or nullopt: what Envoy's query parameter matchers read.
std::optional<std::string_view> queryParam(std::string_view target, std::string_view name);

// On a match of a rule with Distinct selectors, `key` is overwritten with a string that is equal
// for two requests exactly when they share a bucket of that rule (rule index included).
bool ruleMatches(const CompiledRule& rule, size_t rule_index, const http1::RequestHead& head,
                 const IpAddress& client, std::string& key);

}  // namespace ctplab::proxy::ratelimit
