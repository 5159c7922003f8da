#include "errors.h"

namespace ctplab::python {
namespace {

// The exception classes live in Python (ctplab/errors.py) so they carry docstrings and type
// hints; they are looked up when raised, by which time the package has been imported.
py::object errorsModule() { return py::module_::import("ctplab.errors"); }

const char* className(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kPolicy:
      return "PolicyError";
    case ErrorKind::kScenario:
      return "ScenarioError";
    case ErrorKind::kConformance:
      return "ConformanceError";
  }
  return "Error";
}

[[noreturn]] void raise(ErrorKind kind, const std::string& message, py::list diagnostics) {
  py::object cls = errorsModule().attr(className(kind));
  py::object error = cls(message, diagnostics);
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw py::error_already_set();
}

}  // namespace

py::list diagnosticsToPython(const std::vector<policy::Diagnostic>& all) {
  py::object cls = errorsModule().attr("Diagnostic");
  py::list out;
  for (const auto& d : all) {
    out.append(cls(d.severity == policy::Severity::kError ? "error" : "warning", d.location.file,
                   d.location.line, d.location.column, d.field, d.message,
                   policy::formatDiagnostic(d)));
  }
  return out;
}

void raiseDiagnostics(ErrorKind kind, const std::vector<policy::Diagnostic>& all) {
  std::string message;
  for (const auto& d : all) {
    if (d.severity != policy::Severity::kError) continue;
    if (!message.empty()) message += '\n';
    message += policy::formatDiagnostic(d);
  }
  if (message.empty()) message = "the input could not be read";
  raise(kind, message, diagnosticsToPython(all));
}

void raiseError(ErrorKind kind, const std::string& message) { raise(kind, message, py::list()); }

}  // namespace ctplab::python
