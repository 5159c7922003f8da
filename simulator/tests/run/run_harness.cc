#include "run/run_harness.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "ctplab/policy/diagnostics.h"

namespace ctplab::sim::run::testing {
namespace {

std::optional<RunResult> runLoaded(scenario::LoadedScenario loaded, uint64_t seed_override) {
  for (const auto& d : loaded.diagnostics.all()) ADD_FAILURE() << policy::formatDiagnostic(d);
  if (!loaded.ok()) return std::nullopt;
  if (seed_override != 0) loaded.scenario.seed = seed_override;
  policy::Diagnostics diags;
  std::vector<std::string> notes;
  auto prepared = prepareScenario(loaded.scenario, diags, notes);
  for (const auto& d : diags.all()) ADD_FAILURE() << policy::formatDiagnostic(d);
  if (!prepared.gateway) return std::nullopt;
  SimulateOptions options;
  options.resources = &prepared.loaded->resources;
  auto result = simulate(loaded.scenario, *prepared.gateway, options);
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return std::nullopt;
  }
  return std::move(result).value();
}

}  // namespace

std::string policyResource(const std::string& spec_body) {
  return "  - inline: |\n"
         "      apiVersion: gateway.envoyproxy.io/v1alpha1\n"
         "      kind: ClientTrafficPolicy\n"
         "      metadata:\n"
         "        name: under-test\n"
         "        namespace: shop\n"
         "      spec:\n"
         "        targetRefs:\n"
         "        - group: gateway.networking.k8s.io\n"
         "          kind: Gateway\n"
         "          name: edge\n" +
         spec_body;
}

std::optional<RunResult> runScenarioText(const std::string& scenario_yaml, uint64_t seed_override) {
  return runLoaded(scenario::loadScenarioText(scenario_yaml, "test-scenario.yaml",
                                              CTPLAB_SOURCE_DIR "/scenarios/flood"),
                   seed_override);
}

std::optional<RunResult> runScenarioFile(const std::string& relative_path) {
  return runLoaded(scenario::loadScenarioFile(CTPLAB_SOURCE_DIR "/" + relative_path), 0);
}

std::optional<RunResult> runScenarioFileEdited(const std::string& relative_path,
                                               const std::function<void(scenario::Scenario&)>& edit,
                                               const std::function<void(std::string&)>& edit_text) {
  const std::string file = CTPLAB_SOURCE_DIR "/" + relative_path;
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (edit_text) edit_text(text);
  auto loaded =
      scenario::loadScenarioText(text, file, std::filesystem::path(file).parent_path().string());
  if (loaded.ok() && edit) edit(loaded.scenario);
  return runLoaded(std::move(loaded), 0);
}

const PopulationResult& population(const RunResult& result, const std::string& name) {
  for (const auto& p : result.populations) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no population " << name;
  static const PopulationResult kEmpty;
  return kEmpty;
}

uint64_t stat(const RunResult& result, const std::string& name) {
  auto it = result.gateway_stats.find(name);
  return it == result.gateway_stats.end() ? 0 : it->second;
}

}  // namespace ctplab::sim::run::testing
