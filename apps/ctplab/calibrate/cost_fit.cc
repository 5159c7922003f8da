#include "cost_fit.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "ctplab/policy/units.h"

namespace ctplab::cli::calibrate {
namespace {

double nsOf(Duration d) { return static_cast<double>(d.ns()); }

// Non-negative whole nanoseconds; a negative estimate is noise, noted in `warnings`.
Duration clamped(double ns, const char* what, std::vector<std::string>& warnings) {
  if (ns < 0) {
    warnings.push_back(std::string(what) + " came out negative (" + std::to_string(ns) +
                       " ns): measurement noise exceeds it; written as 0");
    return Duration();
  }
  return Duration::nanoseconds(std::llround(ns));
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

std::string sample(const char* name, const char* unit, const PhaseTotals& t) {
  return "  " + std::string(name) + ": {" + unit + ": " + std::to_string(t.requests) +
         ", bytes: " + std::to_string(t.bytes) +
         ", proxyCpu: " + policy::formatGoDuration(t.proxy_cpu) + "}\n";
}

}  // namespace

std::string microseconds(Duration d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%03lldus", static_cast<long long>(d.ns() / 1000),
                static_cast<long long>(d.ns() % 1000));
  return buf;
}

std::string rfc3339(TimePoint t) {
  const time_t seconds = static_cast<time_t>(t.unixSeconds());
  tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

proxy::Result<Costs> fitCosts(const Measurements& m) {
  const std::pair<const char*, const PhaseTotals*> phases[] = {
      {"kept-alive requests", &m.keep_alive},
      {"large bodies", &m.large_bodies},
      {"new connections", &m.new_connections},
      {"TLS (ECDSA)", &m.tls_ecdsa},
      {"TLS (RSA)", &m.tls_rsa},
  };
  for (const auto& [name, p] : phases) {
    if (p->requests == 0) return proxy::Error{std::string(name) + ": no request was answered"};
  }
  const auto per = [](const PhaseTotals& p) {
    return std::pair{nsOf(p.proxy_cpu) / static_cast<double>(p.requests),
                     static_cast<double>(p.bytes) / static_cast<double>(p.requests)};
  };
  const auto [small_cpu, small_bytes] = per(m.keep_alive);
  const auto [large_cpu, large_bytes] = per(m.large_bodies);
  if (large_bytes <= small_bytes) {
    return proxy::Error{"large bodies were no larger than small ones"};
  }
  Costs c;
  c.ns_per_byte = (large_cpu - small_cpu) / (large_bytes - small_bytes);
  if (c.ns_per_byte <= 0) {
    c.warnings.push_back("bytes cost nothing measurable; bytesPerCpuSecond written as 0");
    c.ns_per_byte = 0;
  } else {
    c.bytes_per_cpu_second = 1e9 / c.ns_per_byte;
  }
  const double request = small_cpu - c.ns_per_byte * small_bytes;
  c.request_cost = clamped(request, "requestCost", c.warnings);
  const auto [connection_cpu, connection_bytes] = per(m.new_connections);
  c.accept_cost =
      clamped(connection_cpu - std::max(request, 0.0) - c.ns_per_byte * connection_bytes,
              "acceptCost", c.warnings);
  // A TLS connection is a plain one plus the handshake; its few extra bytes are the answer's.
  const auto handshake = [&](const PhaseTotals& p, const char* name) {
    const auto [cpu, bytes] = per(p);
    return clamped(cpu - connection_cpu - c.ns_per_byte * (bytes - connection_bytes), name,
                   c.warnings);
  };
  c.tls_ecdsa = handshake(m.tls_ecdsa, "tlsHandshakeCostEcdsa");
  c.tls_rsa = handshake(m.tls_rsa, "tlsHandshakeCostRsa");
  return c;
}

MachineInfo describeMachine() {
  MachineInfo info;
  info.cores = std::max(1u, std::thread::hardware_concurrency());
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    // x86 says "model name"; some ARM kernels only "Hardware" or "CPU part".
    for (const char* key : {"model name", "Hardware"}) {
      if (line.rfind(key, 0) != 0) continue;
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      if (!value.empty()) {
        info.cpu = value;
        return info;
      }
    }
  }
  info.cpu = "unknown";
  return info;
}

std::string costModelYaml(const Costs& costs, const Measurements& m, const MachineInfo& machine,
                          const CalibrationSettings& settings, TimePoint measured_on) {
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.0f", costs.bytes_per_cpu_second);
  char per_byte[64];
  std::snprintf(per_byte, sizeof per_byte, "%.4f", costs.ns_per_byte);
  std::string y;
  y += "# The live proxy's CPU cost on one machine, measured by `ctplab calibrate`. A scenario\n";
  y += "# loads it with `host: {costModel: FILE}`; costs set in `host:` itself override these.\n";
  y += "measuredOn: " + rfc3339(measured_on) + "\n";
  y +=
      "machine: {cpu: " + quoted(machine.cpu) + ", cores: " + std::to_string(machine.cores) + "}\n";
  y += "acceptCost: " + microseconds(costs.accept_cost) +
       "  # per connection: accept, set-up, close\n";
  y += "requestCost: " + microseconds(costs.request_cost) +
       "  # per request: parse, route, forward, relay the answer\n";
  y += "bytesPerCpuSecond: " + std::string(rate) + "  # " + per_byte + " ns per byte relayed\n";
  y += "tlsHandshakeCostRsa: " + microseconds(costs.tls_rsa) + "  # full handshake, RSA-2048\n";
  y += "tlsHandshakeCostEcdsa: " + microseconds(costs.tls_ecdsa) +
       "  # full handshake, ECDSA P-256\n";
  y += "settings: {phaseDuration: " + policy::formatGoDuration(settings.phase_length) +
       ", workers: " + std::to_string(settings.workers) +
       ", clientThreads: " + std::to_string(settings.client_threads) +
       ", largeBody: " + std::to_string(settings.large_body) + "}\n";
  y += "samples:  # what each workload did and the proxy's CPU time for it\n";
  y += sample("keepAlive", "requests", m.keep_alive);
  y += sample("largeBodies", "requests", m.large_bodies);
  y += sample("newConnections", "connections", m.new_connections);
  y += sample("tlsEcdsa", "handshakes", m.tls_ecdsa);
  y += sample("tlsRsa", "handshakes", m.tls_rsa);
  return y;
}

}  // namespace ctplab::cli::calibrate
