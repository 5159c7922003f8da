// Reads a gateway's counters from an Envoy-style admin endpoint (`GET /stats`, `name: value`
// lines): ctplab serve's and Envoy's own, so stats expectations can be checked outside simulation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ctplab/proxy/result.h"

namespace ctplab::conformance::live {

// Counters and gauges; lines that are not `name: <unsigned integer>` (histograms) are skipped.
std::map<std::string, uint64_t> parseEnvoyStats(std::string_view text);

// Errors: the endpoint cannot be reached, or does not answer 200 within a few seconds.
proxy::Result<std::map<std::string, uint64_t>> fetchAdminStats(const std::string& host,
                                                               uint16_t port);

}  // namespace ctplab::conformance::live
