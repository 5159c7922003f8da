// Reads a scenario file (YAML, format in scenarios/README.md) into a Scenario, strictly: every
// problem becomes a file:line:col diagnostic; nothing throws and resource files are not opened.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::scenario {

// What else a file may hold besides a scenario: conformance cases are scenarios with
// expectations, read by their own loader from the same text.
struct ScenarioLoadOptions {
  std::vector<std::string> extra_keys;  // top-level keys another reader owns
  bool require_populations = true;      // false: a run with no traffic (status checks only)
};

struct LoadedScenario {
  Scenario scenario;  // meaningful only when ok(); otherwise partly filled
  policy::Diagnostics diagnostics;
  bool ok() const { return !diagnostics.hasErrors(); }
};

// Resource `file:` entries are resolved against the scenario file's directory.
LoadedScenario loadScenarioFile(const std::string& path, const ScenarioLoadOptions& options = {});

// `file_label` names the text in diagnostics and becomes Scenario::file; `base_dir` is what
// resource `file:` entries are relative to (empty: the current directory).
LoadedScenario loadScenarioText(std::string_view text, const std::string& file_label,
                                const std::string& base_dir,
                                const ScenarioLoadOptions& options = {});

}  // namespace ctplab::sim::scenario
