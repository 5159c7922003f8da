// The built-in `echo` backend: answers a request the way the Gateway API conformance echo server
// does (a JSON description of the request it received), plus what the proxy decided about it.
#pragma once

#include <string>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/request_head.h"

namespace ctplab::live {

// What the backend knows: the request as the proxy forwards it, and the proxy's own view.
struct EchoRequest {
  const proxy::http1::RequestHead* forwarded = nullptr;  // method, target and headers sent upstream
  std::string_view route;           // IR route name, e.g. httproute/default/web/rule/0/...
  std::string_view listener;        // IR listener name
  std::string_view client_address;  // the client IP detection chose
  std::string_view peer_address;    // the connection's peer after the PROXY protocol
  std::string_view sni;             // the TLS server name the client sent (empty: none or no TLS)
};

struct EchoReply {
  int status = 200;
  proxy::http1::HeaderList headers;  // content-type etc.; content-length is the caller's
  std::string body;
  Duration delay;  // `?delay=` asked the backend to wait this long before answering
};

// Paths, as the conformance server routes them: `/health` → 200 `OK`; `/status/NNN` → NNN with
// an empty body (400 when NNN is not three digits); anything else → 200 with the JSON below.
// `?delay=<duration>` delays the answer (capped at 60 s; a bad value → 500 with a JSON message).
// `X-Echo-Set-Header: Name: value, Name2: value2` adds response headers.
//
// JSON fields: path (the request target), host, method, proto (`HTTP/1.1`), headers (name in Go's
// canonical case → values, Host excluded, sorted by name), namespace (the route's), ingress,
// service, pod, sni (empty: no TLS yet), and `ctplab` {clientAddress, peerAddress, listener,
// route}, which the conformance server does not have.
EchoReply echoRespond(const EchoRequest& request);

// Go's http.CanonicalHeaderKey: `x-forwarded-for` → `X-Forwarded-For`; names with characters
// outside a token are returned unchanged.
std::string canonicalHeaderKey(std::string_view name);

// A JSON string literal with quotes; control characters and non-UTF-8 bytes are escaped.
std::string jsonString(std::string_view text);
// The same, appended to `out`.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace ctplab::live
