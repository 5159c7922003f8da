// Reads a scenario file (YAML, format in scenarios/README.md) into a Scenario, strictly: every
// problem becomes a file:line:col diagnostic; nothing throws and resource files are not opened.
#pragma once

#include <string>
#include <string_view>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::scenario {

struct LoadedScenario {
  Scenario scenario;  // meaningful only when ok(); otherwise partly filled
  policy::Diagnostics diagnostics;
  bool ok() const { return !diagnostics.hasErrors(); }
};

// Resource `file:` entries are resolved against the scenario file's directory.
LoadedScenario loadScenarioFile(const std::string& path);

// `file_label` names the text in diagnostics and becomes Scenario::file; `base_dir` is what
// resource `file:` entries are relative to (empty: the current directory).
LoadedScenario loadScenarioText(std::string_view text, const std::string& file_label,
                                const std::string& base_dir);

}  // namespace ctplab::sim::scenario
