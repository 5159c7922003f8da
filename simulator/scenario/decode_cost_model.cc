// Cost-model files (`ctplab calibrate` writes them): the gateway host's CPU costs measured on one
// machine, read with the scenario loader's strict readers and diagnostics.
#include <string>
#include <utility>
#include <vector>

#include "scenario/decoders.h"
#include "scenario/yaml_document.h"

namespace ctplab::sim::scenario::loader {
namespace {

constexpr const char* kWhat = "cost model";

void decodeMachine(const Keys& keys, const Field& f, CostModelSource& source) {
  if (!keys.open(f, {"cpu", "cores"})) return;
  if (auto cpu = keys.get(f, "cpu").str()) source.machine_cpu = *cpu;
  if (auto n = readCount(keys.get(f, "cores"), 1, UINT32_MAX)) {
    source.machine_cores = static_cast<uint32_t>(*n);
  }
}

std::vector<std::string> decodeCostModel(const Keys& keys, const Field& root,
                                         GatewayHostProfile& host, CostModelSource& source) {
  std::vector<std::string> set;
  if (!root.isMap()) {
    root.error("expected a cost model (a mapping of measuredOn, requestCost, ...)");
    return set;
  }
  // `samples` and `settings` record how the costs were measured; nothing here reads them.
  keys.open(root, {"measuredOn", "machine", "acceptCost", "requestCost", "bytesPerCpuSecond",
                   "tlsHandshakeCostRsa", "tlsHandshakeCostEcdsa", "tlsClientVerifyCost",
                   "jwtVerifyCost", "samples", "settings"});
  const Field measured = keys.get(root, "measuredOn");
  if (!measured.present()) {
    keys.missing(root, "measuredOn");
  } else if (readTimestamp(measured)) {
    source.measured_on = *measured.str();
  }
  decodeMachine(keys, keys.get(root, "machine"), source);
  const std::pair<const char*, Duration*> durations[] = {
      {"acceptCost", &host.accept_cost},
      {"requestCost", &host.request_cost},
      {"tlsHandshakeCostRsa", &host.tls_cost_rsa},
      {"tlsHandshakeCostEcdsa", &host.tls_cost_ecdsa},
      {"tlsClientVerifyCost", &host.tls_cost_client_verify},
      {"jwtVerifyCost", &host.jwt_verify_cost},
  };
  for (const auto& [key, out] : durations) {
    if (auto d = readDuration(keys.get(root, key), Sign::kNonNegative)) {
      *out = *d;
      set.emplace_back(key);
    }
  }
  if (auto rate = readByteRate(keys.get(root, "bytesPerCpuSecond"))) {
    host.bytes_per_cpu_second = *rate;
    set.emplace_back("bytesPerCpuSecond");
  }
  return set;
}

}  // namespace

std::vector<std::string> loadCostModel(const Field& ref, const std::string& path,
                                       GatewayHostProfile& host) {
  policy::Diagnostics& diagnostics = *ref.context()->diags;
  // An unreadable file is the scenario's problem: reported at the field that names it.
  policy::Diagnostics read_problems;
  auto text = readInputFile(path, kWhat, read_problems);
  if (!text) {
    const std::string why =
        read_problems.all().empty() ? "cannot read file" : read_problems.all().front().message;
    ref.error("cost model \"" + path + "\": " + why);
    return {};
  }
  auto doc = singleDocument(*text, path, kWhat, diagnostics);
  if (!doc) return {};
  CostModelSource source;
  source.file = path;
  std::vector<std::string> set;
  policy::ReadContext ctx{path, "", &diagnostics};
  const Keys keys(&ctx);
  decodeGuarded(path, kWhat, diagnostics,
                [&] { set = decodeCostModel(keys, Field(*doc, "", &ctx), host, source); });
  host.cost_model = std::move(source);
  return set;
}

}  // namespace ctplab::sim::scenario::loader
