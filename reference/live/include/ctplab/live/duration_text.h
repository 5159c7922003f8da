// Durations written the way Go and Envoy Gateway write them (`5s`, `250ms`, `1m30s`, `1.5s`), for
// command-line options and the echo backend's `?delay=`; pure parsing, no clock.
#pragma once

#include <optional>
#include <string_view>

#include "ctplab/common/time.h"

namespace ctplab::live {

// Units ns, us (or µs), ms, s, m, h; several terms add up ("1m30s"); a bare "0" is zero.
// Negative values, missing units and values past about 290 years give nullopt.
std::optional<Duration> parseDurationText(std::string_view text);

}  // namespace ctplab::live
