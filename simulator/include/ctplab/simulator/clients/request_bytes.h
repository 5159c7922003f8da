// The bytes a simulated client writes for one HTTP/1.1 request, from the population's template:
// real wire format so the proxy's parser, header limits and underscore rules see what curl sends.
#pragma once

#include <string>

#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::clients {

// `host` is the Host header value to use when the template names none.
std::string buildRequestBytes(const scenario::RequestTemplate& request, const std::string& host);

// Only the head (request line and headers, ending in CRLF CRLF): what slowloris drips.
std::string buildRequestHead(const scenario::RequestTemplate& request, const std::string& host);

// The same request as an HTTP/3 HEADERS frame delivers it to the data plane: :authority as the
// `host` field, names in lower case (HTTP/3 forbids upper case), no chunked coding.
proxy::http1::RequestHead buildQuicRequestHead(const scenario::RequestTemplate& request,
                                               const std::string& host);

}  // namespace ctplab::sim::clients
