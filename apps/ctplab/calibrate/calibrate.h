// `ctplab calibrate`: measures the live proxy's CPU cost per connection, request, byte and TLS
// handshake on this machine and writes the cost-model file scenarios load (`host.costModel`).
#pragma once

#include <string>
#include <vector>

namespace ctplab::cli {

// Exit 0 when measured (and written), 1 when the measurement failed, 2 on a usage error.
int runCalibrate(const std::vector<std::string>& args);

}  // namespace ctplab::cli
