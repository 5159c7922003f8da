#include "ctplab/conformance/runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "checker.h"
#include "ctplab/conformance/case_loader.h"
#include "live/live_session.h"
#include "live/traffic_driver.h"

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

// How many separate expectations a case states (each unchecked one is counted once).
size_t expectationCount(const ConformanceCase& c) {
  size_t n = c.policies.size() + c.stats.size();
  for (const auto& p : c.populations) n += p.observations.size();
  for (const auto& b : c.backend) {
    n += (b.received ? 1 : 0) + (b.method ? 1 : 0) + (b.path ? 1 : 0) + (b.client_ip ? 1 : 0) +
         b.headers.size();
  }
  return n;
}

Observability observabilityOf(Mode mode, const TargetGateway& target) {
  Observability seen;
  if (mode == Mode::kSim) return seen;
  seen.ground_truth = false;
  if (mode == Mode::kTarget) {
    seen.policies = false;
    seen.stats = target.admin.has_value();
  }
  return seen;
}

// Real clients against ctplab's proxy started for this case, or against the target.
proxy::Result<sim::run::RunResult> runReal(const ConformanceCase& test,
                                           const policy::ir::Gateway& gateway,
                                           const SuiteOptions& options) {
  if (options.mode == Mode::kTarget) {
    live::GatewayEndpoints endpoints{options.target.ports, options.target.every_port,
                                     options.target.admin};
    return live::driveTraffic(test.scenario, gateway, endpoints, options.max_real_duration);
  }
  auto session = live::LiveSession::start(gateway);
  if (!session) return proxy::Error{"ctplab serve could not start: " + session.error().message};
  auto run = live::driveTraffic(test.scenario, gateway, session.value()->endpoints(),
                                options.max_real_duration);
  if (!run && !session.value()->unserved().empty()) {
    std::string why = run.error().message + "; not served live:";
    for (const auto& u : session.value()->unserved()) why += " " + u + ";";
    why.pop_back();
    return proxy::Error{why};
  }
  return run;
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
  Observability seen = observabilityOf(options.mode, options.target);
  if (seen.policies) {
    result.failures = checkPolicies(test, prepared.translation);
  } else {
    for (const auto& p : test.policies) {
      result.unchecked.push_back(p.label() + " status");
    }
  }
  std::optional<sim::run::RunResult> run;
  if (traffic && options.mode != Mode::kSim) {
    auto real = runReal(test, *prepared.gateway, options);
    if (!real) {
      result.outcome = Outcome::kFailed;
      result.reason = real.error().message;
      return result;
    }
    run.emplace(std::move(real).value());
    // Only ctplab's echo backend says which address the gateway detected.
    for (const auto& b : run->backend_requests) {
      seen.client_ip = seen.client_ip && b.client_ip_known;
    }
  } else if (traffic) {
    sim::run::SimulateOptions sim_options;
    sim_options.faults = options.faults;
    sim_options.resources = &prepared.loaded->resources;
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
  auto traffic_failures = checkTraffic(test, run ? &*run : nullptr, seen, result.unchecked);
  result.failures.insert(result.failures.end(), traffic_failures.begin(), traffic_failures.end());
  if (result.failures.empty() && result.unchecked.size() >= expectationCount(test)) {
    result.outcome = Outcome::kSkipped;
    result.reason =
        std::string("nothing it expects is observable in mode ") + modeName(options.mode);
    return result;
  }
  if (!result.failures.empty()) {
    result.outcome = Outcome::kFailed;
    if (run) result.trace = traceOf(*run);
  }
  return result;
}

SuiteResult runSuite(const std::vector<ConformanceCase>& cases, const SuiteOptions& options) {
  SuiteResult suite;
  suite.mode = options.mode;
  std::vector<const ConformanceCase*> selected;
  for (const auto& c : cases) {
    if (options.features.selects(c)) selected.push_back(&c);
  }
  suite.cases.resize(selected.size());
  const size_t workers =
      options.mode == Mode::kLive ? std::min<size_t>(options.jobs, selected.size()) : 1;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < selected.size(); i = next++) {
      suite.cases[i] = runCase(*selected[i], options);
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
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
