// Decoders for the scenario-wide profiles: network link, gateway host, backend and outputs.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

// Kernel keepalive settings are whole seconds; a finer duration would be silently truncated.
void readWholeSeconds(const Field& f, uint32_t& out) {
  auto d = readDuration(f, Sign::kPositive);
  if (!d) return;
  if (d->ns() % 1'000'000'000 != 0 || d->wholeSeconds() > UINT32_MAX) {
    f.error("must be a whole number of seconds (the kernel setting is in seconds), found " +
            showDuration(*d));
    return;
  }
  out = static_cast<uint32_t>(d->wholeSeconds());
}

}  // namespace

LinkProfile decodeLink(const Keys& keys, const Field& f, const LinkProfile& base) {
  LinkProfile link = base;
  if (!keys.open(f, {"latency", "jitter", "bandwidth", "loss"})) return link;
  if (auto d = readDuration(keys.get(f, "latency"), Sign::kNonNegative)) link.latency = *d;
  if (auto d = readDuration(keys.get(f, "jitter"), Sign::kNonNegative)) link.jitter = *d;
  if (auto b = readBandwidth(keys.get(f, "bandwidth"))) link.bandwidth_bps = *b;
  const Field loss = keys.get(f, "loss");
  if (auto v = readNumber(loss)) {
    if (*v < 0 || *v > 1) {
      loss.error("must be between 0 and 1, found " + showNumber(*v));
    } else {
      if (*v == 1) loss.warning("every segment is lost; no connection can complete");
      link.loss = *v;
    }
  }
  return link;
}

GatewayHostProfile decodeHost(const Keys& keys, const Field& f, const std::string& base_dir) {
  GatewayHostProfile host;
  if (!keys.open(f, {"listenBacklog", "acceptCost", "requestCost", "bytesPerCpuSecond", "workers",
                     "tlsHandshakeCost", "tlsHandshakeCostRsa", "tlsHandshakeCostEcdsa",
                     "tlsClientVerifyCost", "jwtVerifyCost", "tlsHandshakes", "keepaliveDefaults",
                     "costModel"})) {
    return host;
  }
  // The file first, so whatever the mapping sets itself wins.
  std::vector<std::string> from_file;
  const Field model = keys.get(f, "costModel");
  if (auto file = model.str()) {
    if (file->empty()) {
      model.error("must not be empty");
    } else {
      std::filesystem::path p(*file);
      if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
      from_file = loadCostModel(model, p.lexically_normal().generic_string(), host);
    }
  }
  const auto overrides = [&](const char* key) {
    if (host.cost_model && std::find(from_file.begin(), from_file.end(), key) != from_file.end()) {
      host.cost_model->overridden.emplace_back(key);
    }
  };
  if (auto n = readCount(keys.get(f, "listenBacklog"), 1, UINT32_MAX)) {
    host.listen_backlog = static_cast<uint32_t>(*n);
  }
  // Each worker is a slot in the run; more than any real gateway has would only cost memory.
  if (auto n = readCount(keys.get(f, "workers"), 0, 1024)) {
    host.workers = static_cast<uint32_t>(*n);
  }
  const std::pair<const char*, Duration*> costs[] = {
      {"acceptCost", &host.accept_cost},
      {"requestCost", &host.request_cost},
      {"tlsHandshakeCostRsa", &host.tls_cost_rsa},
      {"tlsHandshakeCostEcdsa", &host.tls_cost_ecdsa},
      {"tlsClientVerifyCost", &host.tls_cost_client_verify},
      {"jwtVerifyCost", &host.jwt_verify_cost},
  };
  for (const auto& [key, out] : costs) {
    if (auto d = readDuration(keys.get(f, key), Sign::kNonNegative)) {
      *out = *d;
      overrides(key);
    }
  }
  if (auto rate = readByteRate(keys.get(f, "bytesPerCpuSecond"))) {
    host.bytes_per_cpu_second = *rate;
    overrides("bytesPerCpuSecond");
  }
  const Field fixed_tls = keys.get(f, "tlsHandshakeCost");
  if (auto d = readDuration(fixed_tls, Sign::kNonNegative)) {
    host.tls_handshake_cost = *d;
    for (const char* key : {"tlsHandshakeCostRsa", "tlsHandshakeCostEcdsa"}) {
      if (std::find(from_file.begin(), from_file.end(), key) != from_file.end()) {
        fixed_tls.warning("every handshake costs this; the cost model's " + std::string(key) +
                          " is not used");
      }
    }
  }
  const Field fidelity = keys.get(f, "tlsHandshakes");
  if (auto mode = fidelity.str()) {
    if (*mode == "cached") {
      host.tls_handshakes = GatewayHostProfile::TlsFidelity::kCached;
    } else if (*mode == "full") {
      host.tls_handshakes = GatewayHostProfile::TlsFidelity::kFull;
    } else {
      fidelity.error("expected cached or full, found \"" + *mode + "\"");
    }
  }
  const Field ka = keys.get(f, "keepaliveDefaults");
  if (keys.open(ka, {"idle", "interval", "probes"})) {
    readWholeSeconds(keys.get(ka, "idle"), host.keepalive_idle_s);
    readWholeSeconds(keys.get(ka, "interval"), host.keepalive_interval_s);
    if (auto n = readCount(keys.get(ka, "probes"), 1, UINT32_MAX)) {
      host.keepalive_probes = static_cast<uint32_t>(*n);
    }
  }
  return host;
}

BackendProfile decodeBackend(const Keys& keys, const Field& f) {
  BackendProfile backend;
  if (!keys.open(f, {"serviceTime", "concurrency", "queueLimit", "responseBytes"})) return backend;
  if (auto d = readDistribution(keys, keys.get(f, "serviceTime"))) backend.service_time = *d;
  if (auto n = readCount(keys.get(f, "concurrency"), 0, UINT32_MAX)) {
    backend.concurrency = static_cast<uint32_t>(*n);
  }
  const Field queue = keys.get(f, "queueLimit");
  if (auto n = readCount(queue, 0, UINT32_MAX)) {
    backend.queue_limit = static_cast<uint32_t>(*n);
    if (*n > 0 && backend.concurrency == 0) {
      queue.warning("has no effect while concurrency is 0 (unlimited): nothing ever waits");
    }
  }
  if (auto n = readCount(keys.get(f, "responseBytes"), 0, INT64_MAX)) backend.response_bytes = *n;
  return backend;
}

Outputs decodeOutputs(const Keys& keys, const Field& f, Duration duration) {
  Outputs out;
  if (!keys.open(f, {"bucket", "records", "backendRequests"})) return out;
  const Field bucket = keys.get(f, "bucket");
  if (auto d = readDuration(bucket, Sign::kPositive)) {
    out.bucket = *d;
    if (*d > duration) {
      bucket.warning("is longer than the scenario (" + showDuration(duration) +
                     "); the time series has one bucket");
    }
  }
  if (auto b = keys.get(f, "records").boolean()) out.records = *b;
  if (auto b = keys.get(f, "backendRequests").boolean()) out.backend_requests = *b;
  return out;
}

}  // namespace ctplab::sim::scenario::loader
