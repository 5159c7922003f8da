// Runs conformance cases and checks their expectations: in simulation today; live and against
// an external target once the live proxy and its client drivers exist.
#pragma once

#include <string>
#include <vector>

#include "ctplab/conformance/conformance_case.h"
#include "ctplab/simulator/run/simulate.h"

namespace ctplab::conformance {

// One unmet expectation.
struct Failure {
  policy::SourceLocation location;  // the expectation in the case file
  std::string what;                 // e.g. "population more: connections.limited"
  std::string expected, observed;
};

enum class Outcome { kPassed, kFailed, kSkipped };

struct CaseResult {
  const ConformanceCase* test = nullptr;
  Outcome outcome = Outcome::kPassed;
  std::vector<Failure> failures;
  std::string reason;  // skipped: why; failed before checking (e.g. the run failed): why
  std::string trace;   // failed: what was observed, for the report (per-population outcomes)
};

// --features: `+A` selects cases tagged A (any of the selected tags), `-B` drops cases tagged B.
struct FeatureFilter {
  std::vector<std::string> include, exclude;
  bool selects(const ConformanceCase& c) const;
};

struct SuiteOptions {
  Mode mode = Mode::kSim;
  FeatureFilter features;
  sim::run::Faults faults;  // planted faults (tests of the suite itself)
};

struct SuiteResult {
  Mode mode = Mode::kSim;
  std::vector<CaseResult> cases;  // the selected cases, in input order
  size_t passed() const;
  size_t failed() const;
  size_t skipped() const;
};

CaseResult runCase(const ConformanceCase& test, const SuiteOptions& options);
SuiteResult runSuite(const std::vector<ConformanceCase>& cases, const SuiteOptions& options);

}  // namespace ctplab::conformance
