// Private to the scenario loader: one decoder per scenario struct. Each reads one YAML mapping,
// reports problems through the shared diagnostics and keeps defaults where a field is bad.
#pragma once

#include "ctplab/simulator/scenario/scenario.h"
#include "scenario/readers.h"

namespace ctplab::sim::scenario::loader {

// Scenario-wide settings a population inherits or is checked against.
struct ScenarioFrame {
  Duration duration;
  LinkProfile network;
  const std::vector<Hop>* hops = nullptr;  // the scenario's, for `via`
  std::string base_dir;                    // certificate files are relative to the scenario
  const CertificateFixtures* certificates = nullptr;  // generates the named client certificates
};

// Fields left out keep the value in `base` (the defaults, or the scenario's network).
LinkProfile decodeLink(const Keys& keys, const Field& f, const LinkProfile& base);
// `costModel` (a file relative to `base_dir`) supplies costs the mapping's own fields override.
GatewayHostProfile decodeHost(const Keys& keys, const Field& f, const std::string& base_dir);
BackendProfile decodeBackend(const Keys& keys, const Field& f);
Outputs decodeOutputs(const Keys& keys, const Field& f, Duration duration);

// `clients` comes in as written (nullopt: not written) and goes out as the population's count,
// which a trace supplies when `clients` is left out.
ArrivalProcess decodeArrival(const Keys& keys, const Field& f, std::optional<uint64_t>& clients);
Behavior decodeBehavior(const Keys& keys, const Field& f);
RetryPolicy decodeRetry(const Keys& keys, const Field& f);
Population decodePopulation(const Keys& keys, const Field& f, const ScenarioFrame& frame);

// `hops`: the devices between clients and the gateway. Names are unique.
std::vector<Hop> decodeHops(const Keys& keys, const Field& f);
// A population's `via`: names of `hops`, client side first; unknown names are errors.
std::vector<std::string> decodeVia(const Field& f, const std::vector<Hop>& hops);
// `certificates`: the generated certificate set.
std::optional<CertificateFixtures> decodeCertificates(const Keys& keys, const Field& f);
// A population's `tls`: its client certificate and handshake preferences.
TlsClientProfile decodeTlsClient(const Keys& keys, const Field& f, const ScenarioFrame& frame);
// The names `tls.certificate` accepts.
const std::vector<std::string>& clientCertificateNames();

// A cost-model file: its costs go into `host` (and its provenance into host.cost_model); returns
// the fields it set. Problems inside are reported against the file, an unreadable file at `ref`.
std::vector<std::string> loadCostModel(const Field& ref, const std::string& path,
                                       GatewayHostProfile& host);

// `gateway`: "<ns>/<name>", or {name, replicas, loadBalancer}.
void decodeGatewayDeployment(const Keys& keys, const Field& f, Scenario& s);
// `rateLimitService`: the global rate-limit service's round trip and the filter's timeout.
std::optional<RateLimitServiceProfile> decodeRateLimitService(const Keys& keys, const Field& f);
// `faults`: outages during the run, within [0, duration] (later ends are warned about).
std::vector<EnvironmentFault> decodeFaults(const Keys& keys, const Field& f, Duration duration);

// A population's `proxyHeader`: a PROXY header the client writes itself.
std::optional<ClientProxyHeader> decodeClientProxyHeader(const Keys& keys, const Field& f);
// A population's `http3:`; unset when absent.
std::optional<Http3ClientProfile> decodeHttp3Client(const Keys& keys, const Field& f);

}  // namespace ctplab::sim::scenario::loader
