// A conformance case as plain data: a scenario (resources + traffic) plus the observations it
// must produce — policy status conditions, per-population outcomes, gateway stats.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::conformance {

// A number that must be exactly `equals`, or within [min, max] (either bound optional).
struct NumberMatcher {
  std::optional<double> equals, min, max;
  bool matches(double value) const;
  std::string describe() const;  // "3", "≥ 1", "in [1, 5]", "≤ 200"
};

// A text that must equal `equals` or contain `contains`.
struct TextMatcher {
  std::optional<std::string> equals, contains;
  bool matches(const std::string& value) const;
  std::string describe() const;
};

struct ConditionExpectation {
  std::string type;
  std::optional<std::string> status, reason;
  std::optional<TextMatcher> message;
  policy::SourceLocation location;
};

// Status of one policy, on the ancestor(s) selected by the optional fields.
struct PolicyExpectation {
  std::string kind = "ClientTrafficPolicy";  // or SecurityPolicy, BackendTrafficPolicy
  std::string ns, name;
  std::string label() const { return kind + " " + ns + "/" + name; }
  std::optional<std::string> ancestor_kind, ancestor_name, ancestor_namespace, section_name;
  std::optional<NumberMatcher> ancestor_count;   // how many ancestors the policy has in total
  std::vector<ConditionExpectation> conditions;  // each must be on every selected ancestor
  std::vector<std::string> absent_conditions;    // condition types that must not be there
  policy::SourceLocation location;
};

// Observation paths are the population's JSON fields, dotted: `connections.limited`,
// `requests.by_status.200`, `requests.reset`, `latency_ms.p99`, `hold_completed`, `clients`.
struct ObservationExpectation {
  std::string path;
  NumberMatcher matcher;
  policy::SourceLocation location;
};

struct PopulationExpectation {
  std::string population;
  std::vector<ObservationExpectation> observations;
  policy::SourceLocation location;
};

struct StatExpectation {
  std::string name;  // full Envoy name, e.g. connection_limit.http-10080.limited_connections
  NumberMatcher matcher;
  policy::SourceLocation location;
};

// A header the backend received: its values (all fields of that name, joined with ",") must match,
// or it must be absent.
struct HeaderExpectation {
  std::string name;
  std::optional<TextMatcher> value;
  bool absent = false;
  policy::SourceLocation location;
};

// What the backend received from one population: how many requests, and the `request`-th of
// them (0-based, in arrival order at the backend).
struct BackendExpectation {
  std::string population;
  std::optional<NumberMatcher> received;
  size_t request = 0;
  std::optional<TextMatcher> method, path;
  std::optional<TextMatcher> client_ip;  // the address the gateway detected for it (spec 4.6)
  std::vector<HeaderExpectation> headers;
  policy::SourceLocation location;
};

enum class Mode { kSim, kLive, kTarget };
const char* modeName(Mode mode);

struct ConformanceCase {
  std::string name;
  std::string id;  // the upstream behaviour it reproduces (e.g. CL-1), if any
  std::string description;
  std::vector<std::string> features;
  std::vector<Mode> modes = {Mode::kSim};
  std::optional<std::string> skip;  // a feature that is not implemented yet, and why
  sim::scenario::Scenario scenario;
  std::vector<PolicyExpectation> policies;
  std::vector<PopulationExpectation> populations;
  std::vector<StatExpectation> stats;
  std::vector<BackendExpectation> backend;
  std::string file;
};

// The feature tags a case may carry; anything else is an error (a typo would silently exclude
// the case from a --features selection).
const std::vector<std::string>& knownFeatures();

}  // namespace ctplab::conformance
