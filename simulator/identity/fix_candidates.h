// Private to the client-IP audit: the settings a port could run instead of its current ones,
// in order of least change, and how one is applied to a copy of the IR.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_run.h"
#include "ctplab/policy/ir.h"

namespace ctplab::sim::identity::audit {

using Detection = std::optional<policy::ir::ClientIPDetection>;
using ProxyProtocol = std::optional<policy::ir::ProxyProtocol>;

struct Setting {
  bool change_detection = false;
  Detection detection;
  bool change_proxy = false;
  ProxyProtocol proxy_protocol;
  bool hops_send_proxy = false;  // the paths' last L4 hops start sending PROXY v2
  std::string text;              // empty: keep the current settings
};

// What the port runs today: its settings owner's detection and the port's PROXY protocol.
struct Current {
  Detection detection;
  ProxyProtocol proxy_protocol;
  std::string listener;
  std::string policy;
};

Current currentOf(const policy::ir::Gateway& gateway, uint32_t port);

// The current settings first (a port may only need direct access closed), then the current
// mode's own parameter, the other modes, PROXY protocol, both, and a final L4 hop sending PROXY.
std::vector<Setting> allCandidates(const Current& current, const std::vector<PathPlan>& paths);

// A copy of `gateway` with `setting` on every listener of `port`.
policy::ir::Gateway applied(const policy::ir::Gateway& gateway, uint32_t port,
                            const Setting& setting);

// The path's last hop is an L4 load balancer that neither sends PROXY protocol nor keeps the
// source: the client's address is gone before the gateway.
bool hidesSource(const PathPlan& path);

// The fix a person applies, naming the ClientTrafficPolicy when the gateway changes.
std::string fixText(const Setting& setting, const Current& current);

std::string listText(const std::vector<std::string>& items);  // "[a, b]"

}  // namespace ctplab::sim::identity::audit
