// Compares one case's expectations with what a run observed and lists every unmet one.
#pragma once

#include <vector>

#include "ctplab/conformance/conformance_case.h"
#include "ctplab/conformance/runner.h"
#include "ctplab/policy/engine.h"
#include "ctplab/simulator/run/run_result.h"

namespace ctplab::conformance {

std::vector<Failure> checkPolicies(const ConformanceCase& test,
                                   const policy::TranslationResult& translation);
// `run` is null for cases without traffic.
std::vector<Failure> checkTraffic(const ConformanceCase& test, const sim::run::RunResult* run);

// A population's observations by path (conformance/README.md), for checks and traces.
std::vector<std::pair<std::string, double>> observationsOf(const sim::run::PopulationResult& p);

}  // namespace ctplab::conformance
