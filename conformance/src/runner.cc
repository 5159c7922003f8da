#include "ctplab/conformance/runner.h"

#include <algorithm>

#include "checker.h"
#include "ctplab/conformance/case_loader.h"

namespace ctplab::conformance {
namespace {

bool hasTag(const ConformanceCase& c, const std::string& tag) {
  return std::find(c.features.begin(), c.features.end(), tag) != c.features.end();
}

std::string traceOf(const sim::run::RunResult& run) {
  std::string out;
  for (const auto& p : run.populations) {
    out += "population " + p.name + ":";
    for (const auto& [path, value] : observationsOf(p)) {
      if (value != 0) out += " " + path + "=" + describeNumber(value);
    }
    out += "\n";
  }
  std::string stats;
  for (const auto& [name, value] : run.gateway_stats) {
    if (value != 0) stats += " " + name + "=" + std::to_string(value);
  }
  if (!stats.empty()) out += "gateway:" + stats + "\n";
  return out;
}

}  // namespace

bool FeatureFilter::selects(const ConformanceCase& c) const {
  for (const auto& tag : exclude) {
    if (hasTag(c, tag)) return false;
  }
  if (include.empty()) return true;
  return std::any_of(include.begin(), include.end(), [&](const auto& t) { return hasTag(c, t); });
}

CaseResult runCase(const ConformanceCase& test, const SuiteOptions& options) {
  CaseResult result;
  result.test = &test;
  if (test.skip) {
    result.outcome = Outcome::kSkipped;
    result.reason = *test.skip;
    return result;
  }
  if (std::find(test.modes.begin(), test.modes.end(), options.mode) == test.modes.end()) {
    result.outcome = Outcome::kSkipped;
    result.reason = std::string("cannot run in mode ") + modeName(options.mode);
    return result;
  }
  if (options.mode != Mode::kSim) {
    result.outcome = Outcome::kFailed;
    result.reason = std::string("mode ") + modeName(options.mode) + " is not available yet";
    return result;
  }
  const bool traffic = !test.scenario.populations.empty();
  policy::Diagnostics diagnostics;
  std::vector<std::string> notes;
  auto prepared = sim::run::prepareScenario(test.scenario, diagnostics, notes, traffic);
  if (diagnostics.hasErrors() || (traffic && !prepared.gateway)) {
    result.outcome = Outcome::kFailed;
    for (const auto& d : diagnostics.all()) {
      if (d.severity == policy::Severity::kError) {
        result.reason += (result.reason.empty() ? "" : "\n") + policy::formatDiagnostic(d);
      }
    }
    return result;
  }
  result.failures = checkPolicies(test, prepared.translation);
  std::optional<sim::run::RunResult> run;
  if (traffic) {
    sim::run::SimulateOptions sim_options;
    sim_options.faults = options.faults;
    // Recording what the backend received costs memory: only cases that look at it pay.
    sim::scenario::Scenario scenario = test.scenario;
    if (!test.backend.empty()) scenario.outputs.backend_requests = true;
    auto simulated = sim::run::simulate(scenario, *prepared.gateway, sim_options);
    if (!simulated) {
      result.outcome = Outcome::kFailed;
      result.reason = simulated.error().message;
      return result;
    }
    run.emplace(std::move(simulated).value());
  }
  auto traffic_failures = checkTraffic(test, run ? &*run : nullptr);
  result.failures.insert(result.failures.end(), traffic_failures.begin(), traffic_failures.end());
  if (!result.failures.empty()) {
    result.outcome = Outcome::kFailed;
    if (run) result.trace = traceOf(*run);
  }
  return result;
}

SuiteResult runSuite(const std::vector<ConformanceCase>& cases, const SuiteOptions& options) {
  SuiteResult suite;
  suite.mode = options.mode;
  for (const auto& c : cases) {
    if (!options.features.selects(c)) continue;
    suite.cases.push_back(runCase(c, options));
  }
  return suite;
}

size_t SuiteResult::passed() const {
  return std::count_if(cases.begin(), cases.end(),
                       [](const CaseResult& r) { return r.outcome == Outcome::kPassed; });
}
size_t SuiteResult::failed() const {
  return std::count_if(cases.begin(), cases.end(),
                       [](const CaseResult& r) { return r.outcome == Outcome::kFailed; });
}
size_t SuiteResult::skipped() const {
  return std::count_if(cases.begin(), cases.end(),
                       [](const CaseResult& r) { return r.outcome == Outcome::kSkipped; });
}

}  // namespace ctplab::conformance
