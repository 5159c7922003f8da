// Runs conformance cases and checks their expectations: in simulation, live against ctplab's
// proxy on loopback, or against a gateway someone else runs (real clients, black-box).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/conformance/conformance_case.h"
#include "ctplab/live/host_port.h"
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
  // Expectations the mode cannot observe (a foreign gateway's policy status, the gateway's
  // verdict per connection): neither passed nor failed.
  std::vector<std::string> unchecked;
};

// Where `--mode target` finds the gateway under test, configured with the case's resources.
struct TargetGateway {
  std::map<uint32_t, ::ctplab::live::HostPort> ports;  // Gateway listener port → address
  std::optional<::ctplab::live::HostPort> every_port;  // for the ports not in `ports`
  std::optional<::ctplab::live::HostPort> admin;  // Envoy-style admin (`/stats`), when reachable
};

// --features: `+A` selects cases tagged A (any of the selected tags), `-B` drops cases tagged B.
struct FeatureFilter {
  std::vector<std::string> include, exclude;
  bool selects(const ConformanceCase& c) const;
};

struct SuiteOptions {
  Mode mode = Mode::kSim;
  FeatureFilter features;
  sim::run::Faults faults;  // planted faults (tests of the suite itself); simulation only
  TargetGateway target;     // kTarget
  // Real runs (live, target) last at most this long on the wall clock.
  Duration max_real_duration = Duration::seconds(30);
  // Live cases run this many at a time (each has its own proxy and ports; they mostly wait).
  // Simulation and target runs go one by one: a target's counters are shared by every case.
  uint32_t jobs = 1;
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
