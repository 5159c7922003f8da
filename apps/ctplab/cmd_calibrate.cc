// `ctplab calibrate`: runs the live proxy in this process against an origin and client threads on
// loopback, measures its CPU time per workload and writes the costs as a cost-model file.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "calibrate/calibrate.h"
#include "calibrate/calibration_gateway.h"
#include "calibrate/cost_fit.h"
#include "calibrate/cpu_time.h"
#include "calibrate/load_client.h"
#include "calibrate/origin_server.h"
#include "ctplab/live/duration_text.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

using calibrate::Workload;

constexpr const char* kCalibrateUsage =
    "usage: ctplab calibrate [--out FILE] [--duration D] [--workers N]\n"
    "  --out FILE      write the cost model here (default: print it on stdout, the summary on\n"
    "                  stderr)\n"
    "  --duration D    how long each of the five workloads runs (default 2s; 50ms..60s)\n"
    "  --workers N     the proxy's worker threads (default 1)\n"
    "Runs the live proxy in this process with an HTTP and two HTTPS listeners (ECDSA and RSA\n"
    "certificates) in front of an origin on loopback, drives kept-alive small and large requests,\n"
    "a new connection per request and a full TLS handshake per request through it, and derives\n"
    "from the proxy's CPU time the cost per connection, request, byte and handshake. Scenarios\n"
    "load the file with `host: {costModel: FILE}`.\n"
    "exit 0: measured, 1: the measurement failed, 2: usage error or unwritable --out\n";

// Large enough that bytes, not requests, dominate the large-body workload's cost.
constexpr uint64_t kLargeBody = 256 * 1024;

struct CalibrateArgs {
  std::string out;
  Duration phase = Duration::seconds(2);
  uint32_t workers = 1;
  bool help = false;
};

bool fail(const std::string& message) {
  std::cerr << "ctplab calibrate: " << message << "\n" << kCalibrateUsage;
  return false;
}

bool parseArgs(const std::vector<std::string>& args, CalibrateArgs& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kCalibrateUsage;
      out.help = true;
      return false;
    } else if ((a == "--out" || a == "--duration" || a == "--workers") && i + 1 >= args.size()) {
      return fail("option " + a + " needs a value");
    } else if (a == "--out") {
      out.out = args[++i];
    } else if (a == "--duration") {
      auto d = live::parseDurationText(args[++i]);
      if (!d || *d < Duration::milliseconds(50) || *d > Duration::seconds(60)) {
        return fail("--duration wants a duration from 50ms to 60s, got \"" + args[i] + "\"");
      }
      out.phase = *d;
    } else if (a == "--workers") {
      const std::string& v = args[++i];
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out.workers);
      if (ec != std::errc() || end != v.data() + v.size() || out.workers < 1 || out.workers > 64) {
        return fail("--workers wants 1..64, got \"" + v + "\"");
      }
    } else {
      return fail((!a.empty() && a[0] == '-' ? "unknown option \"" : "unexpected argument \"") + a +
                  "\"");
    }
  }
  return true;
}

// The proxy's CPU time over one workload: the process's, less what the clients, the origin and
// this thread spent. Lets the proxy settle first, so the previous workload's closes are not
// counted here, and afterwards, so this one's are.
struct Phase {
  calibrate::WorkloadCounts counts;
  Duration proxy_cpu;
};

Phase measure(Workload workload, const calibrate::CalibrationEndpoints& endpoints,
              const calibrate::DriveOptions& options, calibrate::CpuLedger& ledger) {
  constexpr auto kSettle = std::chrono::milliseconds(100);
  std::this_thread::sleep_for(kSettle);
  const Duration process0 = calibrate::processCpuTime();
  const Duration others0 = ledger.total();
  const Duration self0 = calibrate::threadCpuTime();
  Phase p;
  p.counts = calibrate::drive(workload, endpoints, options, ledger);
  std::this_thread::sleep_for(kSettle);
  const Duration self = calibrate::threadCpuTime() - self0;
  p.proxy_cpu = calibrate::processCpuTime() - process0 - (ledger.total() - others0) - self;
  return p;
}

std::string perSecond(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string summary(const calibrate::Costs& c, const calibrate::Measurements& m,
                    const calibrate::MachineInfo& machine,
                    const calibrate::CalibrationSettings& s) {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "calibrated the live proxy on %s (%u cores): %u worker(s), %u client threads, "
                "%.3f s per workload\n",
                machine.cpu.c_str(), machine.cores, s.workers, s.client_threads,
                static_cast<double>(s.phase_length.ns()) / 1e9);
  out += buf;
  const auto line = [&](const char* name, const char* unit, const calibrate::PhaseTotals& t) {
    std::snprintf(buf, sizeof buf, "  %-22s %9llu %-11s %14llu bytes  proxy CPU %.3f s\n", name,
                  static_cast<unsigned long long>(t.requests), unit,
                  static_cast<unsigned long long>(t.bytes),
                  static_cast<double>(t.proxy_cpu.ns()) / 1e9);
    out += buf;
  };
  line("kept-alive requests", "requests", m.keep_alive);
  line("large bodies", "requests", m.large_bodies);
  line("new connections", "connections", m.new_connections);
  line("TLS, ECDSA P-256", "handshakes", m.tls_ecdsa);
  line("TLS, RSA-2048", "handshakes", m.tls_rsa);
  out += "costs\n";
  out += "  acceptCost             " + calibrate::microseconds(c.accept_cost) +
         "  per connection (accept, set-up, close)\n";
  out += "  requestCost            " + calibrate::microseconds(c.request_cost) + "  per request\n";
  std::snprintf(buf, sizeof buf, "  bytesPerCpuSecond      %s  (%.4f ns per byte)\n",
                perSecond(c.bytes_per_cpu_second).c_str(), c.ns_per_byte);
  out += buf;
  out += "  tlsHandshakeCostEcdsa  " + calibrate::microseconds(c.tls_ecdsa) + "\n";
  out += "  tlsHandshakeCostRsa    " + calibrate::microseconds(c.tls_rsa) + "\n";
  for (const auto& w : c.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace

int runCalibrate(const std::vector<std::string>& args) {
  CalibrateArgs a;
  if (!parseArgs(args, a)) return a.help ? 0 : 2;
  if (!a.out.empty()) {
    // An unwritable --out is refused before the measuring, not after it.
    std::error_code ec;
    const bool existed = std::filesystem::exists(a.out, ec);
    const bool writable = static_cast<bool>(std::ofstream(a.out, std::ios::app));
    if (!existed) std::filesystem::remove(a.out, ec);
    if (!writable) {
      std::cerr << "ctplab calibrate: cannot write " << a.out << "\n";
      return 2;
    }
  }
  std::ostream& report = a.out.empty() ? std::cerr : std::cout;

  calibrate::CpuLedger ledger;
  auto origin_started = calibrate::OriginServer::start(ledger);
  if (!origin_started) {
    std::cerr << "ctplab calibrate: " << origin_started.error().message << "\n";
    return 1;
  }
  std::unique_ptr<calibrate::OriginServer> origin = std::move(origin_started).value();
  auto gateway_started = calibrate::CalibrationGateway::start(origin->port(), a.workers);
  if (!gateway_started) {
    std::cerr << "ctplab calibrate: " << gateway_started.error().message << "\n";
    return 1;
  }
  std::unique_ptr<calibrate::CalibrationGateway> gateway = std::move(gateway_started).value();
  const calibrate::CalibrationEndpoints endpoints = gateway->endpoints();
  calibrate::CalibrationSettings settings;
  settings.phase_length = a.phase;
  settings.workers = a.workers;
  // One more client than workers keeps every worker busy while a client waits for an answer.
  settings.client_threads = a.workers + 1;
  settings.large_body = kLargeBody;
  calibrate::DriveOptions options{a.phase, settings.client_threads, kLargeBody};

  const std::pair<Workload, calibrate::PhaseTotals calibrate::Measurements::*> workloads[] = {
      {Workload::kKeepAliveSmall, &calibrate::Measurements::keep_alive},
      {Workload::kKeepAliveLarge, &calibrate::Measurements::large_bodies},
      {Workload::kNewConnection, &calibrate::Measurements::new_connections},
      {Workload::kTlsEcdsa, &calibrate::Measurements::tls_ecdsa},
      {Workload::kTlsRsa, &calibrate::Measurements::tls_rsa},
  };
  // A short unmeasured round first: pooled upstream connections, buffers and OpenSSL's lazy
  // initialisation are set up once, not charged to the first workload.
  calibrate::DriveOptions warm = options;
  warm.length = std::min(a.phase, Duration::milliseconds(100));
  for (const auto& [workload, field] : workloads) {
    auto counts = calibrate::drive(workload, endpoints, warm, ledger);
    if (!counts.error.empty()) {
      std::cerr << "ctplab calibrate: " << counts.error << "\n" << gateway->log();
      return 1;
    }
  }
  calibrate::Measurements m;
  for (const auto& [workload, field] : workloads) {
    Phase p = measure(workload, endpoints, options, ledger);
    if (!p.counts.error.empty()) {
      std::cerr << "ctplab calibrate: " << p.counts.error << "\n" << gateway->log();
      return 1;
    }
    m.*field = {p.counts.requests, p.counts.bytes, p.proxy_cpu};
  }
  const TimePoint measured_on = wallClockNow();
  gateway.reset();
  origin.reset();

  auto costs = calibrate::fitCosts(m);
  if (!costs) {
    std::cerr << "ctplab calibrate: " << costs.error().message << "\n";
    return 1;
  }
  const calibrate::MachineInfo machine = calibrate::describeMachine();
  const std::string yaml =
      calibrate::costModelYaml(costs.value(), m, machine, settings, measured_on);
  report << summary(costs.value(), m, machine, settings);
  if (a.out.empty()) {
    std::cout << yaml;
    return 0;
  }
  std::ofstream out(a.out, std::ios::binary | std::ios::trunc);
  out << yaml;
  out.close();
  if (!out) {
    std::cerr << "ctplab calibrate: cannot write " << a.out << "\n";
    return 2;
  }
  report << "wrote " << a.out << "; scenarios use it with host: {costModel: " << a.out << "}\n";
  return 0;
}

}  // namespace ctplab::cli
