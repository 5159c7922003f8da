// detectClientIp: prepares the result every mode shares, then hands the request to its mode.
#include "ctplab/proxy/client_ip/detection.h"

#include <optional>
#include <string>

#include "header_fields.h"
#include "mode_detectors.h"

namespace ctplab::proxy::client_ip {

void fallBack(Detection& d, const std::string& reason) {
  d.client = d.peer;
  d.source = Source::kPeer;
  d.fallback = true;
  d.trace.push_back(reason + " → fallback: client = peer " + d.peer.toString());
}

Detection detectClientIp(const ClientIpConfig& config, const IpAddress& peer,
                         const http1::HeaderList& request_headers, std::string_view scheme) {
  Detection d;
  d.peer = peer;
  d.client = peer;
  d.edge_request = config.edgeRequests();
  // An edge proxy trusts no one's X-Forwarded-Proto; behind trusted hops the first hop's stands.
  std::optional<std::string> proto;
  if (!d.edge_request) proto = combinedValue(request_headers, kForwardedProtoName);
  d.forwarded_proto = proto ? *proto : std::string(scheme);
  switch (config.mode) {
    case Mode::kNone:
      d.trace.push_back("no clientIPDetection: client = peer " + peer.toString() +
                        " (edge request)");
      break;
    case Mode::kDirectSourceIp:
      d.trace.push_back("mode directSourceIP: client = peer " + peer.toString() +
                        " (edge request)");
      break;
    case Mode::kNumTrustedHops:
      detectByTrustedHops(config, request_headers, d);
      break;
    case Mode::kTrustedCidrs:
      detectByTrustedCidrs(config, request_headers, d);
      break;
    case Mode::kCustomHeader:
      detectByCustomHeader(config, request_headers, d);
      break;
  }
  return d;
}

}  // namespace ctplab::proxy::client_ip
