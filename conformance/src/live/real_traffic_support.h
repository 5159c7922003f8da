// What a scenario may ask for when its clients are real sockets on this host rather than
// simulated ones: the limits of the live and target modes, checked when a case is loaded.
#pragma once

#include <string>
#include <vector>

#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::conformance::live {

// Real runs take wall-clock time and one thread per client.
inline constexpr uint64_t kMaxRealClients = 256;
inline constexpr int64_t kMaxRealSeconds = 30;

// Every feature of `scenario` the real-traffic driver cannot reproduce faithfully, each a
// sentence naming the population or field; empty when the scenario can run live.
std::vector<std::string> realTrafficProblems(const sim::scenario::Scenario& scenario);

}  // namespace ctplab::conformance::live
