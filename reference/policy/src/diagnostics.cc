#include "ctplab/policy/diagnostics.h"

namespace ctplab::policy {

std::string formatDiagnostic(const Diagnostic& d) {
  std::string out = d.location.file.empty() ? "<input>" : d.location.file;
  if (d.location.line > 0) {
    out += ":" + std::to_string(d.location.line);
    if (d.location.column > 0) out += ":" + std::to_string(d.location.column);
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  if (!d.field.empty()) out += d.field + ": ";
  out += d.message;
  return out;
}

void Diagnostics::error(SourceLocation loc, std::string field, std::string message) {
  items_.push_back({Severity::kError, std::move(loc), std::move(field), std::move(message)});
}

void Diagnostics::warning(SourceLocation loc, std::string field, std::string message) {
  items_.push_back({Severity::kWarning, std::move(loc), std::move(field), std::move(message)});
}

bool Diagnostics::hasErrors() const { return errorCount() > 0; }

size_t Diagnostics::errorCount() const {
  size_t n = 0;
  for (const auto& d : items_) n += d.severity == Severity::kError ? 1 : 0;
  return n;
}

}  // namespace ctplab::policy
