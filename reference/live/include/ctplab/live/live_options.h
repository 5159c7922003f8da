// How the live proxy is run: where it listens, which backend answers, how many worker threads,
// the admin endpoint and the shutdown drain; plain values, filled from the command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/live/host_port.h"
#include "ctplab/policy/ir.h"
#include "ctplab/proxy/result.h"

namespace ctplab::live {

struct LiveOptions {
  // Every proxy port listens on this address.
  std::string bind_address = "127.0.0.1";
  // Unset: each port listens on Envoy Gateway's container port (Gateway port 80 → 10080, spec
  // 3.1). Set to N: on Gateway port + N instead.
  std::optional<int32_t> port_offset;
  // Every port on an ephemeral port the kernel picks; the startup report gives the mapping.
  bool any_port = false;
  // Unset: the built-in echo backend. Set: forward over HTTP/1.1 to this upstream.
  std::optional<HostPort> backend;
  // Where global rate-limit counters live (Envoy's rate-limit service semantics on Redis).
  // Unset: every global check fails, and the filter lets the request through (fail open).
  std::optional<HostPort> rate_limit_redis;
  // How long a request waits for the counters before failing open (Envoy's default: 20 ms).
  Duration rate_limit_timeout = Duration::milliseconds(20);
  uint32_t workers = 1;           // threads serving connections, each with its own event loop
  std::optional<HostPort> admin;  // `/stats`, `/ready`, `/config_dump`; port 0 = ephemeral
  // How long SIGTERM/SIGINT waits for requests in flight before closing what is left.
  Duration drain_time = Duration::seconds(5);
  // Upstream limits (forwarding backend only).
  Duration upstream_connect_timeout = Duration::seconds(10);
  Duration upstream_response_timeout = Duration::seconds(15);  // Envoy's default route timeout
  uint64_t max_buffered_body_bytes = 16u << 20;  // request or response body held in memory
  // Idle kept-alive upstream connections each worker keeps for later requests.
  size_t upstream_max_idle_connections = 256;
  // Re-reads the configuration for SIGHUP and the admin endpoint's POST /reload: the gateway to
  // serve next, or why not (the old configuration then stays). Unset: reloading is refused.
  std::function<proxy::Result<std::shared_ptr<const policy::ir::Gateway>>()> reload;
  // Runtime log lines (drain, refused ports, accept errors); default: stderr.
  std::function<void(std::string_view)> log;
};

}  // namespace ctplab::live
