// Reads conformance case files (format in conformance/README.md) strictly: every problem is a
// file:line:col diagnostic; a case with errors is not returned.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/conformance/conformance_case.h"
#include "ctplab/policy/diagnostics.h"

namespace ctplab::conformance {

struct LoadedCase {
  std::optional<ConformanceCase> value;  // nullopt when the file has errors
  policy::Diagnostics diagnostics;
};

LoadedCase loadCaseFile(const std::string& path);
LoadedCase loadCaseText(std::string_view text, const std::string& file_label,
                        const std::string& base_dir);

// The case files of a directory (`*.yaml`, not in subfolders), sorted by name.
std::vector<std::string> caseFilesIn(const std::string& directory);

// Whether `path` names an observation of a population (see conformance/README.md).
bool isObservationPath(const std::string& path);

// "3", ">= 1", "in [1, 5]": how expectations and observations are printed.
std::string describeNumber(double value);

}  // namespace ctplab::conformance
