// One request from a client through its hops into the gateway, decided step by step with the
// data plane's own functions: PROXY protocol, listener, client IP, request stage, route, authz.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/simulator/identity/decision_gateway.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::identity {

struct RequestDescription {
  uint32_t port = 80;  // the Gateway listener port the client (or its last hop) dials
  IpAddress source;    // the client's own address
  uint16_t source_port = 40000;
  // Picks each hop's egress address, as in a scenario; not 0, whose address is a network's own.
  uint64_t client_index = 4;
  // A PROXY header the client writes in front of its request (a forgery, or a proxy client).
  std::optional<scenario::ClientProxyHeader> proxy_header;
  std::vector<const scenario::Hop*> hops;  // client side first; must outlive the call
  std::string method = "GET";
  std::string path = "/";
  // Empty: the first hostname of the port's first listener, else "example.com" (as a scenario).
  std::string host;
  std::string sni;                   // TLS ports; empty: the host
  proxy::http1::HeaderList headers;  // what the client sends besides Host
};

struct Step {
  enum class Kind {
    kClient,         // what the client sends
    kHop,            // one line of a hop's crossing
    kGateway,        // the port, its PROXY protocol filter and the effective peer
    kListener,       // which listener the connection (or the request's Host) lands on
    kCodec,          // the HTTP/1 parser, when it refuses the bytes
    kClientIp,       // client-IP detection; `details` holds the detector's own trace
    kRequestStage,   // header rules, normalization, health check: a local reply
    kForwarding,     // the forwarding headers as they go upstream
    kRoute,          // the route, or the router's own answer
    kAuthorization,  // the SecurityPolicy decision
  };
  Kind kind = Kind::kClient;
  std::string text;
  std::vector<std::string> details;
};

std::string_view stepKindName(Step::Kind kind);  // "client", "hop", "gateway", ...

struct Outcome {
  enum class Kind {
    kForwarded,   // handed to the backend; its answer is taken as 200
    kLocalReply,  // the gateway (or a hop) answered `status`
    kClosed,      // the connection was closed (or refused) without an HTTP answer
  };
  enum class DecidedBy {
    kHop,
    kListener,
    kProxyProtocol,
    kCodec,
    kClientIpDetection,
    kRequestStage,
    kRouter,
    kAuthorization,
    kBackend,
  };
  Kind kind = Kind::kClosed;
  int status = 0;      // kForwarded: 200; kLocalReply: the reply's; kClosed: 0
  std::string body;    // e.g. "RBAC: access denied"
  std::string detail;  // Envoy's response code details, a counter, or the reason of a close
  DecidedBy decided_by = DecidedBy::kListener;
};

std::string_view outcomeKindName(Outcome::Kind kind);   // "forwarded", "local_reply", "closed"
std::string_view decidedByName(Outcome::DecidedBy by);  // "hop", "proxy_protocol", ...

struct RequestDecision {
  std::vector<Step> steps;
  Outcome outcome;
  // What the gateway saw, as far as the request got.
  std::optional<IpAddress> peer;       // the TCP peer after the PROXY protocol
  std::optional<IpAddress> client_ip;  // the detected client IP (TCP: the peer)
  std::optional<proxy::client_ip::Source> client_ip_source;
  std::string listener;  // the IR name of the listener that decided client IP (or the TCP one)
  std::string route;     // the IR route name, when one matched
  // Authorization: not reached, no policy on the route, or its verdict.
  enum class Authorization { kNotReached, kNoPolicy, kAllowed, kDenied };
  Authorization authorization = Authorization::kNotReached;
  // The request head as forwarded upstream (only when forwarded over HTTP).
  proxy::http1::HeaderList forwarded_headers;
  // Where routing landed, for authorizationAt: listener index in the model, route index in its
  // table, the normalized path, the method; -1 when no route was reached.
  int route_listener = -1;
  int route_index = -1;
  std::string route_path;
  std::string method;
  bool tcp = false;  // a TCP/TLS proxy listener: authorization judged the connection
};

// Never fails: whatever stops the request becomes the outcome. Deterministic.
RequestDecision decideRequest(const DecisionGateway& gateway, const RequestDescription& request);

// The verdict the authorization of the route `decision` reached would give `client` (as if
// detection had found it), to compare a detected address with the real one. kNotReached when the
// request reached no route.
RequestDecision::Authorization authorizationAt(const DecisionGateway& gateway,
                                               const RequestDecision& decision,
                                               const IpAddress& client);

}  // namespace ctplab::sim::identity
