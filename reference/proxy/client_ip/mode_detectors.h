// The per-mode halves of detectClientIp: each reads the request for one configured mode and fills
// in the Detection that detectClientIp prepared (peer, client = peer, edge flag).
#pragma once

#include <string>

#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::client_ip {

// The mode found no address: the peer stays the client. `reason` opens the trace line.
void fallBack(Detection& d, const std::string& reason);

// Spec 4.6.2.
void detectByTrustedHops(const ClientIpConfig& config, const http1::HeaderList& headers,
                         Detection& d);
// Spec 4.6.3.
void detectByTrustedCidrs(const ClientIpConfig& config, const http1::HeaderList& headers,
                          Detection& d);
// Spec 4.6.4.
void detectByCustomHeader(const ClientIpConfig& config, const http1::HeaderList& headers,
                          Detection& d);

}  // namespace ctplab::proxy::client_ip
