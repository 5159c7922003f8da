// CTP `headers.host.stripTrailingHostDot` (spec 4.11): one trailing dot of the authority's host
// removed before routing, with or without a port.
#pragma once

#include <string>

namespace ctplab::proxy::request {

// `example.com.` → `example.com`, `example.com.:443` → `example.com:443`. Only one dot goes, as in
// Envoy; IPv6 literals are safe because a dot never directly precedes a colon in them.
void stripTrailingHostDot(std::string& authority);

}  // namespace ctplab::proxy::request
