// ctplab.conformance: case loading, selection and suite runs (GIL released), with the results as
// dicts: per case outcome and unmet expectations, the summary text, JUnit XML and the report.
#include <algorithm>
#include <map>

#include "bindings.h"
#include "ctplab/conformance/case_loader.h"
#include "ctplab/conformance/reports.h"
#include "ctplab/conformance/runner.h"
#include "errors.h"
#include "tree_convert.h"

namespace ctplab::python {
namespace {

using conformance::ConformanceCase;

// Cases are shared, never copied per call, and read-only once loaded (pybind11 holders cannot
// be shared_ptr<const T>).
using CaseHandle = std::shared_ptr<ConformanceCase>;

struct SuiteRequest {
  std::string mode = "sim";
  std::vector<std::string> include, exclude;  // feature tags
  std::vector<std::string> faults;
  std::optional<std::string> target;             // every Gateway port
  std::map<uint32_t, std::string> target_ports;  // Gateway listener port → HOST:PORT
  std::optional<std::string> target_admin;
  std::optional<uint32_t> jobs;
  std::string date;
  bool verbose = false;
};

// Loads every file before reporting, so one exception lists every broken case, as the CLI does.
std::vector<CaseHandle> loadCases(const std::vector<std::string>& files) {
  std::vector<CaseHandle> out;
  std::vector<policy::Diagnostic> all;
  bool broken = false;
  {
    py::gil_scoped_release release;
    for (const auto& f : files) {
      auto loaded = conformance::loadCaseFile(f);
      const auto& diagnostics = loaded.diagnostics.all();
      all.insert(all.end(), diagnostics.begin(), diagnostics.end());
      if (!loaded.value) {
        broken = true;
        continue;
      }
      for (const auto& c : out) {
        if (c->name == loaded.value->name) {
          all.push_back({policy::Severity::kError,
                         {f, 0, 0},
                         "",
                         "case name " + c->name + " is also used by " + c->file});
          broken = true;
        }
      }
      out.push_back(std::make_shared<ConformanceCase>(std::move(*loaded.value)));
    }
  }
  if (broken) raiseDiagnostics(ErrorKind::kConformance, all);
  return out;
}

conformance::Mode parseMode(const std::string& mode) {
  if (mode == "sim") return conformance::Mode::kSim;
  if (mode == "live") return conformance::Mode::kLive;
  if (mode == "target") return conformance::Mode::kTarget;
  raiseError(ErrorKind::kConformance, "unknown mode \"" + mode + "\" (sim, live or target)");
}

conformance::FeatureFilter featureFilter(const std::vector<std::string>& include,
                                         const std::vector<std::string>& exclude) {
  const auto& known = conformance::knownFeatures();
  for (const auto* list : {&include, &exclude}) {
    for (const auto& tag : *list) {
      if (std::find(known.begin(), known.end(), tag) == known.end()) {
        raiseError(ErrorKind::kConformance, "unknown feature \"" + tag + "\"");
      }
    }
  }
  return {include, exclude};
}

// The fault names `ctplab conformance --plant-fault` takes.
void plantFault(const std::string& name, sim::run::Faults& faults) {
  if (!faults.plant(name)) raiseError(ErrorKind::kConformance, "unknown fault \"" + name + "\"");
}

live::HostPort hostPort(const std::string& text, const char* what) {
  auto parsed = live::parseHostPort(text);
  if (!parsed) {
    raiseError(ErrorKind::kConformance,
               std::string(what) + " wants HOST:PORT, got \"" + text + "\"");
  }
  return *parsed;
}

// The option checks of `ctplab conformance`, with its messages.
conformance::SuiteOptions suiteOptions(const SuiteRequest& r) {
  conformance::SuiteOptions options;
  options.mode = parseMode(r.mode);
  options.features = featureFilter(r.include, r.exclude);
  for (const auto& f : r.faults) plantFault(f, options.faults);
  if (r.target) options.target.every_port = hostPort(*r.target, "target");
  for (const auto& [port, address] : r.target_ports) {
    if (port < 1 || port > 65535) {
      raiseError(ErrorKind::kConformance, "target ports are 1..65535, got " + std::to_string(port));
    }
    options.target.ports[port] = hostPort(address, "target");
  }
  if (r.target_admin) options.target.admin = hostPort(*r.target_admin, "target_admin");
  const bool has_target = options.target.every_port || !options.target.ports.empty();
  if (options.mode == conformance::Mode::kTarget && !has_target) {
    raiseError(ErrorKind::kConformance, "mode target needs a target HOST:PORT");
  }
  if (options.mode != conformance::Mode::kTarget && (has_target || options.target.admin)) {
    raiseError(ErrorKind::kConformance, "target and target_admin go with mode target");
  }
  if (options.mode != conformance::Mode::kSim && options.faults.any()) {
    raiseError(ErrorKind::kConformance, "planted faults break the simulated gateway; use mode sim");
  }
  if (r.jobs) {
    if (*r.jobs < 1 || *r.jobs > 64) {
      raiseError(ErrorKind::kConformance, "jobs wants 1..64, got " + std::to_string(*r.jobs));
    }
    options.jobs = *r.jobs;
  } else if (options.mode == conformance::Mode::kLive) {
    options.jobs = 4;
  }
  return options;
}

const char* outcomeName(conformance::Outcome outcome) {
  switch (outcome) {
    case conformance::Outcome::kPassed:
      return "passed";
    case conformance::Outcome::kFailed:
      return "failed";
    case conformance::Outcome::kSkipped:
      return "skipped";
  }
  return "failed";
}

py::dict caseResultToPython(const conformance::CaseResult& r) {
  py::list failures;
  for (const auto& f : r.failures) {
    py::dict item;
    item["file"] = f.location.file;
    item["line"] = f.location.line;
    item["column"] = f.location.column;
    item["what"] = f.what;
    item["expected"] = f.expected;
    item["observed"] = f.observed;
    failures.append(item);
  }
  py::dict out;
  out["name"] = r.test->name;
  out["id"] = r.test->id;
  out["file"] = r.test->file;
  out["features"] = r.test->features;
  out["outcome"] = outcomeName(r.outcome);
  out["reason"] = r.reason;
  out["failures"] = failures;
  out["unchecked"] = r.unchecked;
  out["trace"] = r.trace;
  return out;
}

py::dict runSuite(const std::vector<CaseHandle>& handles, const SuiteRequest& request) {
  const conformance::SuiteOptions options = suiteOptions(request);
  // runSuite takes the cases by value in a vector; its results point into that vector.
  std::vector<ConformanceCase> cases;
  for (const auto& h : handles) cases.push_back(*h);
  conformance::SuiteResult suite;
  std::string summary, junit, report;
  {
    py::gil_scoped_release release;
    suite = conformance::runSuite(cases, options);
    summary = conformance::summaryText(suite, request.verbose);
    junit = conformance::junitXml(suite);
    report = conformance::conformanceReportYaml(suite, request.date);
  }
  py::list results;
  for (const auto& r : suite.cases) results.append(caseResultToPython(r));
  py::dict out;
  out["mode"] = conformance::modeName(suite.mode);
  out["passed"] = suite.passed();
  out["failed"] = suite.failed();
  out["skipped"] = suite.skipped();
  out["cases"] = results;
  out["report"] = yamlTextToPython(report);
  out["summary"] = summary;
  out["junit"] = junit;
  return out;
}

}  // namespace

void bindConformance(py::module_& m) {
  py::class_<ConformanceCase, CaseHandle>(m, "ConformanceCase", "One loaded conformance case.")
      .def_readonly("name", &ConformanceCase::name)
      .def_readonly("id", &ConformanceCase::id)
      .def_readonly("description", &ConformanceCase::description)
      .def_readonly("features", &ConformanceCase::features)
      .def_readonly("skip", &ConformanceCase::skip)
      .def_readonly("file", &ConformanceCase::file)
      .def_property_readonly("modes", [](const ConformanceCase& c) {
        std::vector<std::string> out;
        for (auto mode : c.modes) out.emplace_back(conformance::modeName(mode));
        return out;
      });

  m.def("case_files_in", &conformance::caseFilesIn, py::arg("directory"),
        "The case files of a directory (*.yaml, not in subfolders), sorted by name.");
  m.def("known_features", &conformance::knownFeatures, "The feature tags a case may carry.");
  m.def("load_cases", &loadCases, py::arg("files"),
        "Loads case files; raises ConformanceError listing every problem.");
  m.def(
      "select_cases",
      [](const std::vector<CaseHandle>& cases, const std::vector<std::string>& include,
         const std::vector<std::string>& exclude) {
        const auto filter = featureFilter(include, exclude);
        std::vector<CaseHandle> out;
        for (const auto& c : cases) {
          if (filter.selects(*c)) out.push_back(c);
        }
        return out;
      },
      py::arg("cases"), py::arg("include"), py::arg("exclude"),
      "The cases a feature selection (+include, -exclude) keeps.");
  m.def(
      "run_suite",
      [](const std::vector<CaseHandle>& cases, const std::string& mode,
         const std::vector<std::string>& include, const std::vector<std::string>& exclude,
         const std::vector<std::string>& faults, std::optional<std::string> target,
         const std::map<uint32_t, std::string>& target_ports,
         std::optional<std::string> target_admin, std::optional<uint32_t> jobs,
         const std::string& date, bool verbose) {
        return runSuite(cases, SuiteRequest{mode, include, exclude, faults, target, target_ports,
                                            target_admin, jobs, date, verbose});
      },
      py::arg("cases"), py::arg("mode"), py::arg("include"), py::arg("exclude"), py::arg("faults"),
      py::arg("target"), py::arg("target_ports"), py::arg("target_admin"), py::arg("jobs"),
      py::arg("date"), py::arg("verbose"),
      "Runs the cases with the GIL released and returns the results as a dict.");
}

}  // namespace ctplab::python
