// Per-request client-IP detection (spec 4.6.1–4.6.4): which address the rest of the request sees
// as the client, whether failClosed rejects the request, and a step-by-step trace of the decision.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_address.h"
#include "ctplab/proxy/client_ip/client_ip_config.h"
#include "ctplab/proxy/client_ip/client_ip_stats.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::client_ip {

// Where the client address came from.
enum class Source { kPeer, kXff, kCustomHeader };

// The local reply for `customHeader.failClosed` (spec 4.6.4), sent before routing.
struct Reject {
  int status = 403;
  std::string body;  // empty (unconfirmed), as Envoy Gateway configures no body
  std::string details = "rejecting_because_detection_failed";  // Envoy's response code details
  ClientIpStat stat = ClientIpStat::downstream_rq_rejected_via_ip_detection;
};

struct Detection {
  // The connection's remote address as given (after the PROXY protocol).
  IpAddress peer;
  // The request's downstream remote address from here on: authorization clientCIDRs, local
  // rate-limit sourceCIDR, access logs. The peer when rejected, as the access log would show.
  IpAddress client;
  Source source = Source::kPeer;
  // A detection mode was set but yielded no address, so the peer is used (spec 4.6.1).
  bool fallback = false;
  // Set only for customHeader with failClosed: the request goes no further.
  std::optional<Reject> reject;
  // One short line per step, the decisive one last, for explanations.
  std::vector<std::string> trace;
  // Envoy's edge request (spec 4.6.6): true only for kNone and kDirectSourceIp.
  bool edge_request = true;
  // The X-Forwarded-Proto the request carries from here on (Envoy derives :scheme from it): the
  // connection's scheme for edge requests; otherwise the client's value, or the scheme if absent.
  std::string forwarded_proto;
};

// `peer` is the connection's remote address after the PROXY protocol (spec 4.5); `scheme` is the
// connection's, "http" or "https". `request_headers` are the headers as the connection manager
// holds them; spec 4.18 assumes early header rules ran first (§8 point 3), so callers pass the
// headers after them. Reads only.
Detection detectClientIp(const ClientIpConfig& config, const IpAddress& peer,
                         const http1::HeaderList& request_headers, std::string_view scheme);

}  // namespace ctplab::proxy::client_ip
