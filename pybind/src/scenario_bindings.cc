// Scenarios for Python: loaded from a file or YAML text by the simulator's own loader (a dict is
// first written as YAML, so its errors are the loader's), and their resources translated.
#include "bindings.h"
#include "ctplab/simulator/run/simulate.h"
#include "ctplab/simulator/scenario/scenario_loader.h"
#include "errors.h"
#include "scenario_data.h"
#include "translation.h"
#include "tree_convert.h"

namespace ctplab::python {
namespace {

std::shared_ptr<ScenarioData> fromLoaded(sim::scenario::LoadedScenario loaded) {
  if (!loaded.ok()) raiseDiagnostics(ErrorKind::kScenario, loaded.diagnostics.all());
  auto data = std::make_shared<ScenarioData>();
  data->scenario = std::move(loaded.scenario);
  data->diagnostics = loaded.diagnostics.all();
  return data;
}

// What the simulator would run against: the resources loaded and translated as a run does
// (admission as the scenario says), without choosing a Gateway.
std::shared_ptr<TranslationData> translateScenario(const ScenarioData& data) {
  policy::Diagnostics diagnostics;
  std::vector<std::string> notes;
  sim::run::PreparedScenario prepared;
  {
    py::gil_scoped_release release;
    prepared = sim::run::prepareScenario(data.scenario, diagnostics, notes, false);
  }
  if (diagnostics.hasErrors()) raiseDiagnostics(ErrorKind::kPolicy, diagnostics.all());
  auto out = std::make_shared<TranslationData>();
  out->loaded = std::move(prepared.loaded);
  out->result = std::move(prepared.translation);
  out->diagnostics = diagnostics.all();
  return out;
}

py::list populationNames(const ScenarioData& data) {
  py::list out;
  for (const auto& p : data.scenario.populations) out.append(p.name);
  return out;
}

}  // namespace

void bindScenario(py::module_& m) {
  py::class_<ScenarioData, std::shared_ptr<ScenarioData>>(
      m, "ScenarioData", "A scenario as the simulator's loader read it.")
      .def_property_readonly("name", [](const ScenarioData& d) { return d.scenario.name; })
      .def_property_readonly("description",
                             [](const ScenarioData& d) { return d.scenario.description; })
      .def_property_readonly("file", [](const ScenarioData& d) { return d.scenario.file; })
      .def_property_readonly("seed", [](const ScenarioData& d) { return d.scenario.seed; })
      .def_property_readonly(
          "duration_s",
          [](const ScenarioData& d) { return static_cast<double>(d.scenario.duration.ns()) / 1e9; })
      .def_property_readonly("gateway", [](const ScenarioData& d) { return d.scenario.gateway; })
      .def_property_readonly("resource_files",
                             [](const ScenarioData& d) { return d.scenario.resource_files; })
      .def_property_readonly("records",
                             [](const ScenarioData& d) { return d.scenario.outputs.records; })
      .def_property_readonly("population_names", &populationNames)
      .def(
          "diagnostics", [](const ScenarioData& d) { return diagnosticsToPython(d.diagnostics); },
          "The loader's warnings.")
      .def("translate", &translateScenario,
           "Loads and translates the scenario's resources; raises ctplab.PolicyError.");

  m.def(
      "load_scenario_file",
      [](const std::string& path) {
        sim::scenario::LoadedScenario loaded;
        {
          py::gil_scoped_release release;
          loaded = sim::scenario::loadScenarioFile(path);
        }
        return fromLoaded(std::move(loaded));
      },
      py::arg("path"), "Reads a scenario file as `ctplab simulate` does; raises ScenarioError.");
  m.def(
      "load_scenario_text",
      [](const std::string& text, const std::string& label, const std::string& base_dir) {
        sim::scenario::LoadedScenario loaded;
        {
          py::gil_scoped_release release;
          loaded = sim::scenario::loadScenarioText(text, label, base_dir);
        }
        return fromLoaded(std::move(loaded));
      },
      py::arg("text"), py::arg("label"), py::arg("base_dir"),
      "Reads scenario text labelled `label` in diagnostics, resource files relative to "
      "`base_dir`; raises ScenarioError.");
  m.def(
      "to_yaml", [](py::handle value) { return policy::emitYaml(pythonToTree(value, "")); },
      py::arg("value"), "Writes dicts, lists and scalars as block YAML (keys sorted).");
}

}  // namespace ctplab::python
