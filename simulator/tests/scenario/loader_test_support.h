// What the scenario-loader tests share: a scenario loaded from text, and its diagnostics as the
// command line prints them.
#pragma once

#include <string>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario_loader.h"

namespace ctplab::sim::scenario::loader_test {

inline LoadedScenario load(const std::string& text, const std::string& file = "s.yaml",
                           const std::string& dir = "dir") {
  return loadScenarioText(text, file, dir);
}

inline std::vector<std::string> diagnosticLines(const LoadedScenario& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.all()) out.push_back(policy::formatDiagnostic(d));
  return out;
}

// One diagnostic per line, for failure messages and whole-output comparisons.
inline std::string joined(const LoadedScenario& r) {
  std::string out;
  for (const auto& line : diagnosticLines(r)) out += line + "\n";
  return out;
}

}  // namespace ctplab::sim::scenario::loader_test
