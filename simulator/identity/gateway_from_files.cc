#include "ctplab/simulator/identity/gateway_from_files.h"

#include "ctplab/simulator/run/simulate.h"

namespace ctplab::sim::identity {

std::optional<policy::ir::Gateway> gatewayFromFiles(const std::vector<std::string>& files,
                                                    const std::string& gateway_key, TimePoint now,
                                                    policy::Diagnostics& diagnostics,
                                                    std::vector<std::string>& notes) {
  // The scenario path already does loading, admission and the choice of Gateway with the
  // messages users know from `ctplab simulate`.
  scenario::Scenario s;
  s.file = "--gateway";
  s.resource_files = files;
  s.gateway = gateway_key;
  s.now = now;
  s.enforce_admission = true;
  return run::prepareGateway(s, diagnostics, notes);
}

}  // namespace ctplab::sim::identity
