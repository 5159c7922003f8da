// Parsing of the `--now RFC3339` argument and reading of the real clock (the CLI is a driver:
// it is allowed to read the clock; the engine is handed the result).
#pragma once

#include <optional>
#include <string>

#include "ctplab/common/time.h"

namespace ctplab::cli {

std::optional<TimePoint> parseRfc3339(const std::string& text);
TimePoint wallClockNow();

}  // namespace ctplab::cli
