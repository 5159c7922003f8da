// Compares one case's expectations with what a run observed and lists every unmet one.
#pragma once

#include <vector>

#include "ctplab/conformance/conformance_case.h"
#include "ctplab/conformance/runner.h"
#include "ctplab/policy/engine.h"
#include "ctplab/simulator/run/run_result.h"

namespace ctplab::conformance {

// What a mode can see. The simulator sees everything; real clients see what crosses the wire,
// plus the admin endpoint's stats when there is one. An expectation on something unseen is not
// checked, and listed as such, rather than passed or failed.
struct Observability {
  bool policies = true;      // status conditions (the engine's own; a foreign gateway's live in
                             // its cluster)
  bool stats = true;         // the gateway's counters
  bool ground_truth = true;  // the gateway's verdict per connection (admitted, limited, ...)
  bool client_ip = true;     // the address the gateway detected (ctplab's echo backend reports it)
};

std::vector<Failure> checkPolicies(const ConformanceCase& test,
                                   const policy::TranslationResult& translation);
// `run` is null for cases without traffic. Expectations it cannot observe go to `unchecked`.
std::vector<Failure> checkTraffic(const ConformanceCase& test, const sim::run::RunResult* run,
                                  const Observability& observable,
                                  std::vector<std::string>& unchecked);

// Population observations only the simulator has (the gateway's verdict on each connection).
bool isGroundTruthPath(const std::string& path);

// A population's observations by path (conformance/README.md), for checks and traces.
std::vector<std::pair<std::string, double>> observationsOf(const sim::run::PopulationResult& p);

}  // namespace ctplab::conformance
