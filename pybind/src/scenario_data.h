// A loaded scenario held for Python: the simulator's plain-data Scenario and the loader's
// warnings. Immutable once loaded; runs copy it, so it can be shared between threads.
#pragma once

#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::python {

struct ScenarioData {
  sim::scenario::Scenario scenario;
  std::vector<policy::Diagnostic> diagnostics;  // warnings only: errors are raised instead
};

}  // namespace ctplab::python
