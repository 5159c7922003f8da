// Test helper: runs a scenario given as YAML text (resources resolved against the shipped
// scenarios folder) and fails the test with the loader's or simulator's message if it cannot.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "ctplab/simulator/run/simulate.h"
#include "ctplab/simulator/scenario/scenario_loader.h"

namespace ctplab::sim::run::testing {

// A ClientTrafficPolicy on Gateway shop/edge with `spec_body` (indented by 8 spaces) as its spec
// after targetRefs, as a scenario `resources:` inline item.
std::string policyResource(const std::string& spec_body);

// Runs `scenario_yaml`; nullopt (and a test failure) when it cannot run.
std::optional<RunResult> runScenarioText(const std::string& scenario_yaml,
                                         uint64_t seed_override = 0);
std::optional<RunResult> runScenarioFile(const std::string& relative_path);
// The same after `edit_text` changed the file's text (e.g. its resources) and `edit` the decoded
// scenario; either may be empty.
std::optional<RunResult> runScenarioFileEdited(
    const std::string& relative_path, const std::function<void(scenario::Scenario&)>& edit,
    const std::function<void(std::string&)>& edit_text = {});

const PopulationResult& population(const RunResult& result, const std::string& name);
uint64_t stat(const RunResult& result, const std::string& name);

}  // namespace ctplab::sim::run::testing
