#include "calibration_gateway.h"

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "ctplab/certgen/generator.h"
#include "ctplab/live/live_gateway.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"

namespace ctplab::cli::calibrate {
namespace {

constexpr const char* kServerName = "www.example.com";

struct ServerCertificates {
  certgen::Issued ecdsa, rsa;
};

// A throwaway CA and one leaf per key type: what the handshakes cost depends on the key only.
certgen::Result<ServerCertificates> generateCertificates(TimePoint now) {
  const certgen::Generator generator(1);
  certgen::CertSpec ca;
  ca.label = "calibration-ca";
  ca.subject.common_name = "ctplab calibration CA";
  ca.key = certgen::KeyType::kRsa2048;
  ca.ca = true;
  ca.validity = certgen::Validity::certificateAuthority(now);
  auto root = generator.selfSigned(ca);
  if (!root) return root.error();
  ServerCertificates out;
  for (const bool rsa : {false, true}) {
    certgen::CertSpec leaf;
    leaf.label = rsa ? "calibration-server-rsa" : "calibration-server-ecdsa";
    leaf.subject.common_name = kServerName;
    leaf.dns = {kServerName};
    leaf.key = rsa ? certgen::KeyType::kRsa2048 : certgen::KeyType::kEcdsaP256;
    leaf.server_auth = true;
    leaf.validity = certgen::Validity::current(now);
    auto issued = generator.issue(leaf, root.value());
    if (!issued) return issued.error();
    (rsa ? out.rsa : out.ecdsa) = std::move(issued).value();
  }
  return out;
}

// `text` as a YAML literal block indented by `indent` spaces.
std::string literalBlock(const std::string& text, const std::string& indent) {
  std::string out = "|\n";
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const size_t stop = end == std::string::npos ? text.size() : end;
    out += indent + text.substr(start, stop - start) + "\n";
    start = stop + 1;
  }
  return out;
}

std::string tlsSecret(const std::string& name, const certgen::Issued& issued) {
  return "apiVersion: v1\nkind: Secret\nmetadata: {name: " + name +
         ", namespace: calibration}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: " +
         literalBlock(issued.chain_pem, "    ") +
         "  tls.key: " + literalBlock(issued.key_pem, "    ");
}

// Ports 80 (HTTP), 443 (HTTPS, ECDSA) and 8443 (HTTPS, RSA), one route to the origin; no
// ClientTrafficPolicy, so every setting is Envoy Gateway's default.
std::string resources(const ServerCertificates& certs) {
  return R"(apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: calibration}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: calibration, namespace: calibration}
spec:
  gatewayClassName: calibration
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - name: https-ecdsa
    protocol: HTTPS
    port: 443
    tls: {mode: Terminate, certificateRefs: [{name: server-ecdsa}]}
  - name: https-rsa
    protocol: HTTPS
    port: 8443
    tls: {mode: Terminate, certificateRefs: [{name: server-rsa}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: origin, namespace: calibration}
spec:
  parentRefs: [{name: calibration}]
  rules:
  - backendRefs: [{name: origin, port: 8080}]
---
)" + tlsSecret("server-ecdsa", certs.ecdsa) +
         "---\n" + tlsSecret("server-rsa", certs.rsa);
}

}  // namespace

struct CalibrationGateway::State {
  // The IR points into both; they outlive the proxy (destroyed after it, declared before it).
  std::unique_ptr<policy::LoadResult> loaded;
  std::unique_ptr<policy::TranslationResult> translation;
  std::unique_ptr<live::LiveGateway> proxy;
  std::thread serving;
  CalibrationEndpoints endpoints;
  std::shared_ptr<std::mutex> log_mutex = std::make_shared<std::mutex>();
  std::shared_ptr<std::string> log = std::make_shared<std::string>();
};

CalibrationGateway::CalibrationGateway(std::unique_ptr<State> state) : state_(std::move(state)) {}

CalibrationGateway::~CalibrationGateway() {
  if (!state_->proxy) return;
  state_->proxy->requestShutdown();
  if (state_->serving.joinable()) state_->serving.join();
}

const CalibrationEndpoints& CalibrationGateway::endpoints() const { return state_->endpoints; }

std::string CalibrationGateway::log() const {
  std::lock_guard lock(*state_->log_mutex);
  return *state_->log;
}

proxy::Result<std::unique_ptr<CalibrationGateway>> CalibrationGateway::start(uint16_t origin_port,
                                                                             uint32_t workers) {
  const TimePoint now =
      TimePoint::fromUnixNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  auto certs = generateCertificates(now);
  if (!certs) return proxy::Error{"certificates: " + certs.error().message};
  auto state = std::make_unique<State>();
  state->loaded = std::make_unique<policy::LoadResult>();
  policy::loadText(resources(certs.value()), "calibration gateway", *state->loaded);
  for (const auto& d : state->loaded->diagnostics.all()) {
    if (d.severity == policy::Severity::kError) {
      return proxy::Error{"built-in resources: " + policy::formatDiagnostic(d)};
    }
  }
  policy::TranslateOptions translate;
  translate.now = now;
  translate.enforce_admission = true;
  state->translation = std::make_unique<policy::TranslationResult>(
      policy::translate(state->loaded->resources, translate));
  if (state->translation->irs.size() != 1) {
    return proxy::Error{"the built-in gateway did not translate"};
  }

  live::LiveOptions options;
  options.any_port = true;
  options.backend = live::HostPort{"127.0.0.1", origin_port};
  options.workers = workers;
  options.drain_time = Duration();
  options.log = [mutex = state->log_mutex, log = state->log](std::string_view line) {
    std::lock_guard lock(*mutex);
    log->append(line).push_back('\n');
  };
  auto started = live::LiveGateway::start(state->translation->irs.front(), std::move(options));
  if (!started) return proxy::Error{"live proxy: " + started.error().message};
  state->proxy = std::move(started).value();

  CalibrationEndpoints& e = state->endpoints;
  e.sni = kServerName;
  for (const auto& l : state->proxy->listeners()) {
    if (!l.bound) {
      return proxy::Error{"live proxy: listener " + l.listener +
                          " is not served: " + l.reason.value_or("unsupported")};
    }
    e.host = l.bound->host;
    uint16_t* port = l.gateway_port == 80    ? &e.http
                     : l.gateway_port == 443 ? &e.https_ecdsa
                                             : &e.https_rsa;
    *port = l.bound->port;
  }
  if (e.http == 0 || e.https_ecdsa == 0 || e.https_rsa == 0) {
    return proxy::Error{"live proxy: not every calibration port is bound"};
  }
  auto* proxy = state->proxy.get();
  state->serving = std::thread([proxy] { proxy->run(); });
  return std::make_unique<CalibrationGateway>(std::move(state));
}

}  // namespace ctplab::cli::calibrate
