// The immutable client-IP detection settings of one HTTP listener (CTP `clientIPDetection`, spec
// 4.6): which address counts as the client and how forwarding headers are written upstream.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctplab/common/ip_cidr.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::client_ip {

enum class Mode {
  kNone,            // no clientIPDetection: the peer, Envoy's use_remote_address=true
  kDirectSourceIp,  // `directSourceIP: {}`: the same data-plane behaviour as kNone
  kNumTrustedHops,  // `xForwardedFor.numTrustedHops`
  kTrustedCidrs,    // `xForwardedFor.trustedCIDRs`
  kCustomHeader,    // `customHeader`
};

// The defaults are what a listener without a ClientTrafficPolicy gets.
struct ClientIpConfig {
  Mode mode = Mode::kNone;
  // N as the policy wrote it, kept for explanations; detection only reads hops_to_skip.
  uint32_t num_trusted_hops = 0;
  // What Envoy Gateway hands Envoy's XFF extension: N−1, and 0 for N ≤ 1 (so 0 behaves like 1).
  uint32_t hops_to_skip = 0;
  std::vector<IpCidr> trusted_cidrs;
  std::string custom_header;  // the name as written; looked up case-insensitively
  bool fail_closed = false;
  bool disable_xff_append = false;

  // Spec §8 point 4 leaves these open; the defaults follow the spec's 4.6.1 table.
  // An XFF mode that found no address still appends the peer (the table's rule has no exception).
  bool append_xff_on_fallback = true;
  // customHeader mode appends the peer to XFF ("not appended", unconfirmed).
  bool append_xff_with_custom_header = false;
  // Spec 4.6.6 does not assert x-envoy-external-address; an edge request (kNone, kDirectSourceIp)
  // gets it set to the peer, as Envoy does for a request it considers external.
  bool set_external_address_on_edge = true;

  // Envoy's use_remote_address=true: the peer is the client and the request is an edge request
  // (x-request-id is regenerated, X-Forwarded-Proto overwritten).
  bool edgeRequests() const { return mode == Mode::kNone || mode == Mode::kDirectSourceIp; }

  // Several members set at once (admission prevents it; a scenario may skip admission) resolve as
  // Envoy Gateway's translator does: customHeader over xForwardedFor over directSourceIP, and
  // trustedCIDRs over numTrustedHops. An empty `clientIPDetection: {}` behaves like none.
  // Errors: a listener that is not HTTP/HTTPS; xForwardedFor with neither numTrustedHops nor
  // trustedCIDRs; an empty trustedCIDRs list; an entry that is not `address/length`; a customHeader
  // name that is not 1..255 of [A-Za-z0-9-].
  static Result<ClientIpConfig> fromListener(const policy::ir::Listener& listener);
};

}  // namespace ctplab::proxy::client_ip
