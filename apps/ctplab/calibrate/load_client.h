// The calibration's clients: threads driving one workload through the proxy over loopback, counting
// what they did and reporting their own CPU time so it is not counted as the proxy's.
#pragma once

#include <cstdint>
#include <string>

#include "calibration_gateway.h"
#include "cpu_time.h"
#include "ctplab/common/time.h"

namespace ctplab::cli::calibrate {

enum class Workload {
  kKeepAliveSmall,  // one connection per thread, small requests and answers
  kKeepAliveLarge,  // one connection per thread, alternately a large answer and a large body
  kNewConnection,   // a plain connection per request, closed by the proxy after the answer
  kTlsEcdsa,        // the same over a full TLS handshake with the ECDSA certificate
  kTlsRsa,          // the same with the RSA certificate
};

struct WorkloadCounts {
  uint64_t requests = 0;  // answered requests (one per connection in the new-connection ones)
  uint64_t bytes = 0;     // HTTP bytes sent and received by the clients: heads and bodies
  std::string error;      // the first failure; empty when every request was answered with 200
};

struct DriveOptions {
  Duration length;          // how long the threads keep going
  uint32_t threads = 1;     // clients at once
  uint64_t large_body = 0;  // body size of kKeepAliveLarge requests and answers
};

// Runs the workload against the gateway and returns what it did, summed over the threads.
WorkloadCounts drive(Workload workload, const CalibrationEndpoints& endpoints,
                     const DriveOptions& options, CpuLedger& ledger);

}  // namespace ctplab::cli::calibrate
