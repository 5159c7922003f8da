// From calibration measurements to costs: per request, per byte, per connection and per TLS
// handshake by difference between workloads, and the cost-model file the simulator loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/result.h"

namespace ctplab::cli::calibrate {

// One workload's totals: requests answered, HTTP bytes relayed, the proxy's CPU time.
struct PhaseTotals {
  uint64_t requests = 0;
  uint64_t bytes = 0;
  Duration proxy_cpu;
};

struct Measurements {
  PhaseTotals keep_alive;       // kept-alive small requests
  PhaseTotals large_bodies;     // kept-alive requests with large bodies
  PhaseTotals new_connections;  // a plain connection per request
  PhaseTotals tls_ecdsa;        // a full TLS handshake (ECDSA P-256) per request
  PhaseTotals tls_rsa;          // a full TLS handshake (RSA-2048) per request
};

struct Costs {
  Duration accept_cost;   // per connection: accept, set-up and close
  Duration request_cost;  // per request: head parsed, routed, forwarded, answer relayed
  double ns_per_byte = 0;
  double bytes_per_cpu_second = 0;  // 0 when bytes did not measurably cost anything
  Duration tls_ecdsa, tls_rsa;      // per full handshake
  std::vector<std::string> warnings;
};

// Request and byte costs by regression between the small and large kept-alive workloads; the
// connection cost is what a new connection per request adds on top, the handshake what TLS adds
// on top of that. A cost the noise drives below zero is reported as 0 with a warning. Errors: a
// workload without requests, or large bodies no larger than small ones.
proxy::Result<Costs> fitCosts(const Measurements& m);

struct MachineInfo {
  std::string cpu;  // /proc/cpuinfo's model name; "unknown" when absent
  uint32_t cores = 0;
};
MachineInfo describeMachine();

struct CalibrationSettings {
  Duration phase_length;
  uint32_t workers = 1;
  uint32_t client_threads = 1;
  uint64_t large_body = 0;
};

// The cost-model file: `measuredOn`, `machine`, the costs under the names `host:` uses,
// `settings` and `samples` (informational).
std::string costModelYaml(const Costs& costs, const Measurements& m, const MachineInfo& machine,
                          const CalibrationSettings& settings, TimePoint measured_on);

// "12.345us": exact to the nanosecond, in a unit the scenario loader reads.
std::string microseconds(Duration d);
// "2026-06-01T12:00:00Z".
std::string rfc3339(TimePoint t);

}  // namespace ctplab::cli::calibrate
