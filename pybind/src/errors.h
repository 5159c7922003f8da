// Raising the package's exceptions (ctplab.errors) with the engine's diagnostics, each one
// carried as formatDiagnostic prints it. Call with the GIL held.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "ctplab/policy/diagnostics.h"

namespace ctplab::python {

namespace py = pybind11;

enum class ErrorKind { kPolicy, kScenario, kConformance };

// The message is the error lines, one per diagnostic, as the command line prints them; the
// exception's `diagnostics` holds every diagnostic, warnings included.
[[noreturn]] void raiseDiagnostics(ErrorKind kind, const std::vector<policy::Diagnostic>& all);
[[noreturn]] void raiseError(ErrorKind kind, const std::string& message);

// ctplab.errors.Diagnostic tuples, in order.
py::list diagnosticsToPython(const std::vector<policy::Diagnostic>& all);

}  // namespace ctplab::python
