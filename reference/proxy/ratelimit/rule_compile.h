// Validates one rate-limit rule's client selectors and compiles them (regexes, CIDR): shared by
// the local and the global rate limit, which select requests the same way.
#pragma once

#include <cstddef>

#include "ctplab/proxy/ratelimit/ratelimit_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::ratelimit {

// The selector part of a CompiledRule (api_index = `index`, which also names the rule in
// messages: `rules[<index>].clientSelectors...`); the caller fills in limit and modes.
Result<CompiledRule> compileSelectors(const ClientSelectors& selectors, size_t index);

}  // namespace ctplab::proxy::ratelimit
