// The forwarding headers a detection result writes into the request going upstream (spec 4.6.1
// columns "XFF sent upstream" and "X-Forwarded-Proto", 4.6.5, 4.6.6).
#pragma once

#include <string>
#include <vector>

#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::client_ip {

// Rewrites `headers` (the ones `detection` was computed from) into what is forwarded upstream:
// - X-Forwarded-For: several fields become one, comma-joined, as Envoy holds XFF as one field;
//   the peer is appended with `,` (the field created if absent) unless disableXForwardedForAppend,
//   customHeader mode (append_xff_with_custom_header) or a fallback (append_xff_on_fallback) says
//   otherwise;
// - X-Forwarded-Proto: one field with `detection.forwarded_proto`;
// - x-envoy-external-address: the peer on edge requests when set_external_address_on_edge;
//   otherwise left as received.
// Returns one line per change for explanations. A rejected request is not forwarded: nothing
// changes and the result is empty.
std::vector<std::string> applyForwardingHeaders(const ClientIpConfig& config,
                                                const Detection& detection,
                                                http1::HeaderList& headers);
// The same rewrite; the lines go to `trace` unless it is null (the proxy's per-request path
// needs no explanation and skips formatting it).
void applyForwardingHeaders(const ClientIpConfig& config, const Detection& detection,
                            http1::HeaderList& headers, std::vector<std::string>* trace);

}  // namespace ctplab::proxy::client_ip
