// Decoders for the scenario-wide profiles: network link, gateway host, backend and outputs.
#include <cstdint>

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

GatewayHostProfile decodeHost(const Keys& keys, const Field& f) {
  GatewayHostProfile host;
  if (!keys.open(f, {"listenBacklog", "acceptCost", "tlsHandshakeCost", "tlsHandshakeCostRsa",
                     "tlsHandshakeCostEcdsa", "tlsClientVerifyCost", "tlsHandshakes",
                     "keepaliveDefaults"})) {
    return host;
  }
  if (auto n = readCount(keys.get(f, "listenBacklog"), 1, UINT32_MAX)) {
    host.listen_backlog = static_cast<uint32_t>(*n);
  }
  if (auto d = readDuration(keys.get(f, "acceptCost"), Sign::kNonNegative)) host.accept_cost = *d;
  if (auto d = readDuration(keys.get(f, "tlsHandshakeCost"), Sign::kNonNegative)) {
    host.tls_handshake_cost = *d;
  }
  if (auto d = readDuration(keys.get(f, "tlsHandshakeCostRsa"), Sign::kNonNegative)) {
    host.tls_cost_rsa = *d;
  }
  if (auto d = readDuration(keys.get(f, "tlsHandshakeCostEcdsa"), Sign::kNonNegative)) {
    host.tls_cost_ecdsa = *d;
  }
  if (auto d = readDuration(keys.get(f, "tlsClientVerifyCost"), Sign::kNonNegative)) {
    host.tls_cost_client_verify = *d;
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
