// ctplab.simulate: one scenario run, as `ctplab simulate` runs it, with the GIL released; the
// result as the CLI's JSON text plus NumPy views of its time series, histograms and records.
#include <pybind11/numpy.h>

#include "bindings.h"
#include "ctplab/simulator/run/result_output.h"
#include "ctplab/simulator/run/simulate.h"
#include "errors.h"
#include "scenario_data.h"

namespace ctplab::python {
namespace {

using sim::run::RunResult;

struct SimulationData {
  std::unique_ptr<RunResult> result;
  std::vector<policy::Diagnostic> diagnostics;  // warnings from loading the resources
  std::vector<std::string> notes;               // e.g. policies rejected by admission
  bool records_kept = false;
};

struct RunRequest {
  std::optional<uint64_t> seed;
  std::optional<bool> records, backend_requests;
  std::string scheduler = "ladder";
  std::optional<uint64_t> event_budget;
};

sim::SchedulerKind schedulerKind(const std::string& name) {
  if (name == "ladder") return sim::SchedulerKind::kLadderQueue;
  if (name == "4ary") return sim::SchedulerKind::kQuaternaryHeap;
  if (name == "binary") return sim::SchedulerKind::kBinaryHeap;
  throw py::value_error("unknown scheduler \"" + name + "\" (ladder, 4ary or binary)");
}

// The steps of `ctplab simulate` after loading: overrides, resources, Gateway, run.
std::shared_ptr<SimulationData> runScenario(const ScenarioData& data, const RunRequest& request) {
  sim::run::SimulateOptions options;
  options.scheduler = schedulerKind(request.scheduler);
  if (request.event_budget) options.event_budget = *request.event_budget;
  sim::scenario::Scenario scenario = data.scenario;
  if (request.seed) scenario.seed = *request.seed;
  if (request.records) scenario.outputs.records = *request.records;
  if (request.backend_requests) scenario.outputs.backend_requests = *request.backend_requests;

  auto out = std::make_shared<SimulationData>();
  out->records_kept = scenario.outputs.records;
  policy::Diagnostics diagnostics;
  bool resources_broken = false;
  std::optional<std::string> run_error;
  {
    py::gil_scoped_release release;
    auto prepared = sim::run::prepareScenario(scenario, diagnostics, out->notes);
    resources_broken = prepared.loaded && prepared.loaded->diagnostics.hasErrors();
    if (prepared.gateway) {
      options.resources = &prepared.loaded->resources;
      auto result = sim::run::simulate(scenario, *prepared.gateway, options);
      if (result) {
        out->result = std::make_unique<RunResult>(std::move(result).value());
      } else {
        run_error = result.error().message;
      }
    }
  }
  if (!out->result && !run_error) {
    // Broken manifests are the policy engine's findings; the rest (no such Gateway, failed
    // certificate generation) are about the scenario.
    raiseDiagnostics(resources_broken ? ErrorKind::kPolicy : ErrorKind::kScenario,
                     diagnostics.all());
  }
  if (run_error) raiseError(ErrorKind::kScenario, *run_error);
  out->diagnostics = diagnostics.all();
  return out;
}

size_t populationIndex(const RunResult& r, const std::string& name) {
  for (size_t i = 0; i < r.populations.size(); ++i) {
    if (r.populations[i].name == name) return i;
  }
  throw py::key_error("no population \"" + name + "\" in this run");
}

// Series names as the JSON lists them: each gauge is followed by its `.max` companion.
std::vector<std::string> seriesNames(const SimulationData& d) {
  const auto& ts = d.result->series;
  std::vector<std::string> out;
  for (size_t i = 0; i < ts.seriesCount(); ++i) {
    const sim::results::SeriesId id{static_cast<uint32_t>(i)};
    out.push_back(ts.name(id));
    if (ts.kind(id) == sim::results::SeriesKind::kGauge) out.push_back(ts.name(id) + ".max");
  }
  return out;
}

py::tuple timeSeries(const SimulationData& d, const std::string& name) {
  const auto& ts = d.result->series;
  std::string base = name;
  bool maxima = false;
  auto id = ts.find(base);
  if (!id && name.size() > 4 && name.ends_with(".max")) {
    base = name.substr(0, name.size() - 4);
    id = ts.find(base);
    maxima = id && ts.kind(*id) == sim::results::SeriesKind::kGauge;
    if (!maxima) id.reset();
  }
  if (!id) throw py::key_error("no time series \"" + name + "\" in this run");
  const size_t n = ts.bucketCount();
  py::array_t<double> t(static_cast<py::ssize_t>(n));
  py::array_t<int64_t> values(static_cast<py::ssize_t>(n));
  double* tp = t.mutable_data();
  int64_t* vp = values.mutable_data();
  const bool gauge = ts.kind(*id) == sim::results::SeriesKind::kGauge;
  for (size_t b = 0; b < n; ++b) {
    tp[b] = static_cast<double>((ts.bucketStart(b) - ts.origin()).ns()) / 1e9;
    vp[b] = maxima ? ts.gaugeMax(*id, b) : gauge ? ts.gaugeLast(*id, b) : ts.counter(*id, b);
  }
  return py::make_tuple(t, values);
}

py::tuple latencyHistogram(const SimulationData& d, const std::string& population) {
  const auto& h = d.result->populations[populationIndex(*d.result, population)].latency;
  std::vector<double> low, high;
  std::vector<uint64_t> counts;
  h.forEachBucket([&](Duration lowest, Duration highest, uint64_t n) {
    low.push_back(static_cast<double>(lowest.ns()) / 1e6);
    high.push_back(static_cast<double>(highest.ns()) / 1e6);
    counts.push_back(n);
  });
  return py::make_tuple(
      py::array_t<double>(static_cast<py::ssize_t>(low.size()), low.data()),
      py::array_t<double>(static_cast<py::ssize_t>(high.size()), high.data()),
      py::array_t<uint64_t>(static_cast<py::ssize_t>(counts.size()), counts.data()));
}

py::tuple latencyPercentiles(const SimulationData& d, const std::string& population,
                             const std::vector<double>& percentiles) {
  const auto& h = d.result->populations[populationIndex(*d.result, population)].latency;
  py::array_t<double> out(static_cast<py::ssize_t>(percentiles.size()));
  double* p = out.mutable_data();
  for (size_t i = 0; i < percentiles.size(); ++i) {
    p[i] = static_cast<double>(h.valueAtPercentile(percentiles[i]).ns()) / 1e6;
  }
  return py::make_tuple(out, h.count());
}

template <typename T, typename Fn>
py::array_t<T> column(const std::vector<sim::run::RequestRecord>& records, Fn&& get) {
  py::array_t<T> out(static_cast<py::ssize_t>(records.size()));
  T* p = out.mutable_data();
  for (size_t i = 0; i < records.size(); ++i) p[i] = get(records[i]);
  return out;
}

// Codes index RECORD_OUTCOMES and RECORD_DECISIONS; the Python layer turns them into names.
py::dict recordColumns(const SimulationData& d) {
  if (!d.records_kept) {
    throw py::value_error(
        "this run kept no per-request records; simulate with records=True (or set "
        "outputs.records in the scenario)");
  }
  const auto& r = d.result->records;
  const auto ms = [](TimePoint t) { return static_cast<double>((t - TimePoint()).ns()) / 1e6; };
  py::dict out;
  out["population"] = column<uint32_t>(r, [](const auto& x) { return x.population; });
  out["client"] = column<uint64_t>(r, [](const auto& x) { return x.client; });
  out["connection"] = column<uint32_t>(r, [](const auto& x) { return x.connection; });
  out["request"] = column<uint32_t>(r, [](const auto& x) { return x.request; });
  out["start_ms"] = column<double>(r, [&](const auto& x) { return ms(x.start); });
  out["end_ms"] = column<double>(r, [&](const auto& x) { return ms(x.end); });
  out["outcome"] =
      column<uint8_t>(r, [](const auto& x) { return static_cast<uint8_t>(x.outcome); });
  out["status"] = column<int32_t>(r, [](const auto& x) { return x.status; });
  out["decision"] =
      column<uint8_t>(r, [](const auto& x) { return static_cast<uint8_t>(x.decision); });
  out["rule"] = column<int32_t>(r, [](const auto& x) { return x.rule; });
  return out;
}

}  // namespace

void bindSimulator(py::module_& m) {
  py::class_<SimulationData, std::shared_ptr<SimulationData>>(m, "SimulationData",
                                                              "What one simulation run observed.")
      .def(
          "json",
          [](const SimulationData& d) {
            py::gil_scoped_release release;
            return sim::run::resultToJson(*d.result);
          },
          "The document `ctplab simulate --json` writes, byte for byte.")
      .def_property_readonly("population_names",
                             [](const SimulationData& d) {
                               std::vector<std::string> out;
                               for (const auto& p : d.result->populations) out.push_back(p.name);
                               return out;
                             })
      .def_property_readonly("bucket_s",
                             [](const SimulationData& d) {
                               return static_cast<double>(d.result->series.bucketWidth().ns()) /
                                      1e9;
                             })
      .def_property_readonly("notes", [](const SimulationData& d) { return d.notes; })
      .def("diagnostics",
           [](const SimulationData& d) { return diagnosticsToPython(d.diagnostics); })
      .def("series_names", &seriesNames)
      .def("time_series", &timeSeries, py::arg("name"))
      .def("latency_histogram", &latencyHistogram, py::arg("population"))
      .def("latency_percentiles", &latencyPercentiles, py::arg("population"),
           py::arg("percentiles"))
      .def("record_columns", &recordColumns);

  std::vector<std::string> outcomes, decisions;
  for (int k = 0; k <= static_cast<int>(sim::run::RequestOutcome::kUnfinished); ++k) {
    outcomes.emplace_back(sim::run::outcomeName(static_cast<sim::run::RequestOutcome>(k)));
  }
  for (size_t k = 0; k < sim::run::kDecisionKinds; ++k) {
    decisions.emplace_back(sim::run::decisionName(static_cast<sim::run::DecisionKind>(k)));
  }
  m.attr("RECORD_OUTCOMES") = py::tuple(py::cast(outcomes));
  m.attr("RECORD_DECISIONS") = py::tuple(py::cast(decisions));

  m.def(
      "simulate",
      [](const ScenarioData& data, std::optional<uint64_t> seed, std::optional<bool> records,
         std::optional<bool> backend_requests, const std::string& scheduler,
         std::optional<uint64_t> event_budget) {
        return runScenario(data,
                           RunRequest{seed, records, backend_requests, scheduler, event_budget});
      },
      py::arg("scenario"), py::arg("seed"), py::arg("records"), py::arg("backend_requests"),
      py::arg("scheduler"), py::arg("event_budget"),
      "Runs the scenario with the GIL released; raises ScenarioError or PolicyError.");
}

}  // namespace ctplab::python
