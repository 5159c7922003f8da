#include <algorithm>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"
#include "ctplab/simulator/run/simulate.h"
#include "tls/scenario_certificates.h"

namespace ctplab::sim::run {

PreparedScenario prepareScenario(const scenario::Scenario& scenario,
                                 policy::Diagnostics& diagnostics, std::vector<std::string>& notes,
                                 bool need_gateway) {
  PreparedScenario out;
  // The scenario loader already resolved resource files against the scenario's directory.
  out.loaded = std::make_unique<policy::LoadResult>(policy::loadFiles(scenario.resource_files));
  policy::LoadResult& loaded = *out.loaded;
  for (const auto& [label, text] : scenario.inline_resources) {
    policy::loadText(text, label, loaded);
  }
  if (scenario.certificates) {
    auto generated = tls::generatedCertificates(*scenario.certificates, scenario.now);
    if (!generated) {
      diagnostics.error(scenario.certificates->location, "certificates",
                        "cannot generate the certificates: " + generated.error().message);
      return out;
    }
    policy::loadText(generated.value()->secrets_yaml, scenario.file + " (certificates)", loaded);
  }
  for (const auto& d : loaded.diagnostics.all()) {
    if (d.severity == policy::Severity::kError) {
      diagnostics.error(d.location, d.field, d.message);
    } else {
      diagnostics.warning(d.location, d.field, d.message);
    }
  }
  if (loaded.unreadable || loaded.diagnostics.hasErrors()) return out;

  policy::TranslateOptions options;
  options.now = scenario.now;
  // A scenario shows what the cluster would run: policies the API server rejects never apply
  // (unless the scenario asks for the file-based translator's behaviour).
  options.enforce_admission = scenario.enforce_admission;
  out.translation = policy::translate(loaded.resources, options);
  const policy::TranslationResult& result = out.translation;
  if (!need_gateway) return out;
  for (const auto& p : result.policies) {
    const std::string name = p.policy->meta.ns + "/" + p.policy->meta.name;
    if (p.rejected) {
      notes.push_back("ClientTrafficPolicy " + name + " is rejected by admission and not applied");
    }
    // Accepted with a warning (e.g. HTTP/3 dropped on a listener that validates clients): the
    // run shows what the gateway does, the warning says why.
    std::vector<std::string> seen;
    for (const auto& ancestor : p.status.ancestors()) {
      const policy::Condition* warning = ancestor.find("Warning");
      if (warning == nullptr || warning->status != "True") continue;
      if (std::find(seen.begin(), seen.end(), warning->message) != seen.end()) continue;
      seen.push_back(warning->message);
      notes.push_back("ClientTrafficPolicy " + name + ": warning " + warning->reason + ": " +
                      warning->message);
    }
  }
  const policy::ir::Gateway* chosen = nullptr;
  if (!scenario.gateway.empty()) {
    for (const auto& g : result.gateways) {
      if (g.gateway && g.gateway->meta.ns + "/" + g.gateway->meta.name == scenario.gateway) {
        chosen = result.findIR(g.ir_key);
      }
    }
    if (chosen == nullptr) {
      diagnostics.error({scenario.file, 0, 0}, "gateway",
                        "no accepted Gateway " + scenario.gateway + " in the resources");
      return out;
    }
  } else if (result.irs.size() == 1) {
    chosen = &result.irs.front();
  } else {
    diagnostics.error({scenario.file, 0, 0}, "gateway",
                      result.irs.empty()
                          ? "the resources hold no accepted Gateway"
                          : "the resources hold " + std::to_string(result.irs.size()) +
                                " gateways; name one with `gateway: <namespace>/<name>`");
    return out;
  }
  out.gateway = *chosen;
  return out;
}

std::optional<policy::ir::Gateway> prepareGateway(const scenario::Scenario& scenario,
                                                  policy::Diagnostics& diagnostics,
                                                  std::vector<std::string>& notes) {
  return prepareScenario(scenario, diagnostics, notes).gateway;
}

}  // namespace ctplab::sim::run
