// Reads manifests: kubectl-style multi-document YAML (any order, several files, `kind: List`)
// and Envoy Gateway's test-bundle format (top-level lists such as `gateways:`), into a ResourceSet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/resources.h"

namespace ctplab::policy {

struct LoadResult {
  ResourceSet resources;
  Diagnostics diagnostics;
  bool unreadable = false;  // a file could not be read or parsed as YAML at all
};

LoadResult loadFiles(const std::vector<std::string>& paths);

// Appends the documents of `text` (labelled `file` in diagnostics) to `result`.
void loadText(std::string_view text, const std::string& file, LoadResult& result);

}  // namespace ctplab::policy
