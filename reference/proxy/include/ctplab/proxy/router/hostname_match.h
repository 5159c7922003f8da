// Gateway API hostname matching as the proxy applies it: filter chains by SNI and virtual hosts
// by Host, exact names before wildcards, longer wildcard suffixes before shorter ones.
#pragma once

#include <string_view>
#include <vector>

namespace ctplab::proxy::router {

// How well `pattern` (a listener or route hostname, "*.example.com", "*" or empty = any) matches
// `host` (port already removed, any case; a trailing dot is significant). 0 = no match; higher is
// more specific: exact beats every wildcard, a longer wildcard suffix beats a shorter one,
// catch-all is 1.
size_t hostnameMatchRank(std::string_view pattern, std::string_view host);

// The index of the best candidate for `host` among `hostnames_per_candidate` (each candidate
// matches when any of its names does; an empty list is a catch-all), ties to the first; -1 if none.
int bestHostnameMatch(const std::vector<std::vector<std::string_view>>& hostnames_per_candidate,
                      std::string_view host);

// The Host header without its port, for matching only.
std::string_view hostWithoutPort(std::string_view authority);

}  // namespace ctplab::proxy::router
