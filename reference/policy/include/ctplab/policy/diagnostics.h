// Diagnostics for everything the policy engine reads: each one names file:line:column and field.
// Loading and decoding never throw past the engine's API; they append diagnostics instead.
#pragma once

#include <string>
#include <vector>

namespace ctplab::policy {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

enum class Severity { kWarning, kError };

// One finding about the input. `field` is a dotted path such as
// `ClientTrafficPolicy envoy-gateway/p1: spec.connection.bufferLimit`.
struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string field;
  std::string message;
};

// Formats `file:line:col: error: field: message` (the one-line form every CLI prints).
std::string formatDiagnostic(const Diagnostic& d);

class Diagnostics {
 public:
  void error(SourceLocation loc, std::string field, std::string message);
  void warning(SourceLocation loc, std::string field, std::string message);
  const std::vector<Diagnostic>& all() const { return items_; }
  bool hasErrors() const;
  size_t errorCount() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace ctplab::policy
