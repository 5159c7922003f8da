// Private to the client-IP audit: the settings it tries instead of a port's current ones, and
// the search for the first under which that port's attempts reveal nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit_run.h"
#include "ctplab/policy/ir.h"

namespace ctplab::sim::identity::audit {

struct PortFix {
  std::string paths;   // for findings on the port's entry paths
  std::string direct;  // for findings of direct connections to the port
};

// `paths` and `direct` are the plans of this port only.
PortFix findFix(const policy::ir::Gateway& gateway, uint32_t port,
                const std::vector<PathPlan>& paths, const std::vector<DirectPlan>& direct);

}  // namespace ctplab::sim::identity::audit
