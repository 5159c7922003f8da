// A translation kept alive for Python: the loaded resources and the engine's result, which
// points into them. Shared by `ctplab.translate` and `Scenario.translate`.
#pragma once

#include <memory>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"

namespace ctplab::python {

struct TranslationData {
  // Owned through a pointer so the result's pointers into it survive moves of this object.
  std::unique_ptr<policy::LoadResult> loaded;
  policy::TranslationResult result;
  std::vector<policy::Diagnostic> diagnostics;  // warnings only: errors are raised instead
};

}  // namespace ctplab::python
