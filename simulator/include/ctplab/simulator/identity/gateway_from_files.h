// Loads manifests and translates them as a scenario's resources are (admission enforced, as on a
// cluster), then picks the Gateway an explanation or an audit runs against.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/ir.h"

namespace ctplab::sim::identity {

// `gateway_key` "<ns>/<name>", or empty when the resources hold exactly one Gateway. nullopt
// with errors in `diagnostics` otherwise; `notes` say which policies admission rejected.
std::optional<policy::ir::Gateway> gatewayFromFiles(const std::vector<std::string>& files,
                                                    const std::string& gateway_key, TimePoint now,
                                                    policy::Diagnostics& diagnostics,
                                                    std::vector<std::string>& notes);

}  // namespace ctplab::sim::identity
