// How a run's results are written: the JSON document (schema in scenarios/README.md) and the
// terminal summary, both byte-for-byte deterministic for one result.
#pragma once

#include <string>

#include "ctplab/simulator/run/run_result.h"

namespace ctplab::sim::run {

std::string resultToJson(const RunResult& result);
std::string resultToText(const RunResult& result);

}  // namespace ctplab::sim::run
