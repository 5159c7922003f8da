#include <map>

#include "ctplab/conformance/reports.h"

namespace ctplab::conformance {
namespace {

std::string where(const policy::SourceLocation& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string summaryText(const SuiteResult& suite, bool verbose) {
  std::string out;
  struct Counts {
    size_t passed = 0, failed = 0, skipped = 0;
  };
  std::map<std::string, Counts> by_feature;
  for (const auto& r : suite.cases) {
    const auto& c = *r.test;
    for (const auto& f : c.features) {
      auto& counts = by_feature[f];
      ++(r.outcome == Outcome::kPassed   ? counts.passed
         : r.outcome == Outcome::kFailed ? counts.failed
                                         : counts.skipped);
    }
    const std::string label = c.name + (c.id.empty() ? "" : " [" + c.id + "]");
    switch (r.outcome) {
      case Outcome::kPassed:
        if (verbose) {
          out += "PASS " + label + "\n";
          for (const auto& u : r.unchecked) out += "  not observable here: " + u + "\n";
        }
        break;
      case Outcome::kSkipped:
        if (verbose) out += "SKIP " + label + ": " + r.reason + "\n";
        break;
      case Outcome::kFailed:
        out += "FAIL " + label + "  (" + c.file + ")\n";
        if (!r.reason.empty()) out += indent(r.reason, "  ");
        for (const auto& f : r.failures) {
          out += "  " + where(f.location) + ": " + f.what + "\n";
          out += "    expected: " + f.expected + "\n";
          out += "    observed: " + f.observed + "\n";
        }
        if (!r.trace.empty()) out += "  observed outcomes:\n" + indent(r.trace, "    ");
        break;
    }
  }
  out += "\nfeature                          passed  failed  skipped\n";
  for (const auto& [feature, counts] : by_feature) {
    char line[128];
    std::snprintf(line, sizeof line, "%-32s %6zu  %6zu  %7zu\n", feature.c_str(), counts.passed,
                  counts.failed, counts.skipped);
    out += line;
  }
  size_t unchecked = 0;
  for (const auto& r : suite.cases) unchecked += r.unchecked.size();
  if (unchecked > 0) {
    out += "\n" + std::to_string(unchecked) + " expectation(s) not observable in mode " +
           modeName(suite.mode) + " were not checked (--verbose lists them)\n";
  }
  out += "\nconformance (" + std::string(modeName(suite.mode)) +
         "): " + std::to_string(suite.passed()) + " passed, " + std::to_string(suite.failed()) +
         " failed, " + std::to_string(suite.skipped()) + " skipped\n";
  return out;
}

}  // namespace ctplab::conformance
