// `ctplab audit-xff`: checks a gateway's client-IP detection against how clients really reach it
// (a topology file) and proposes settings that were re-checked by running the requests again.
#include <iostream>

#include "commands.h"
#include "ctplab/simulator/identity/gateway_from_files.h"
#include "ctplab/simulator/identity/topology.h"
#include "ctplab/simulator/identity/xff_audit.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

constexpr const char* kAuditUsage =
    "usage: ctplab audit-xff RESOURCES... --topology FILE [--gateway NS/NAME] [--now RFC3339]\n"
    "                        [--json]\n"
    "exit 0: no findings, 1: findings, 2: usage or input error\n";

int usage(const std::string& message) {
  std::cerr << "ctplab audit-xff: " << message << "\n" << kAuditUsage;
  return 2;
}

}  // namespace

int runAuditXff(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string topology_file, gateway_key;
  TimePoint now = wallClockNow();
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "-h" || a == "--help") {
      std::cout << kAuditUsage;
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if ((a == "--topology" || a == "--gateway" || a == "--now") && !has_value) {
      return usage("option " + a + " needs a value");
    } else if (a == "--topology") {
      topology_file = args[++i];
    } else if (a == "--gateway") {
      gateway_key = args[++i];
    } else if (a == "--now") {
      auto t = parseRfc3339(args[++i]);
      if (!t) return usage("--now needs an RFC 3339 time, got \"" + args[i] + "\"");
      now = *t;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usage("unknown option \"" + a + "\"");
    } else {
      files.push_back(a == "-" ? "/dev/stdin" : a);
    }
  }
  if (files.empty()) return usage("no resource files");
  if (topology_file.empty()) return usage("--topology FILE is required");

  auto topology = sim::identity::loadTopologyFile(topology_file);
  for (const auto& d : topology.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  if (!topology.ok()) return 2;

  policy::Diagnostics diagnostics;
  std::vector<std::string> notes;
  auto ir = sim::identity::gatewayFromFiles(files, gateway_key, now, diagnostics, notes);
  for (const auto& d : diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  for (const auto& n : notes) std::cerr << "note: " << n << "\n";
  if (!ir) return 2;

  policy::Diagnostics audit_diagnostics;
  auto report = sim::identity::auditClientIp(*ir, topology.topology, audit_diagnostics);
  for (const auto& d : audit_diagnostics.all()) {
    std::cerr << policy::formatDiagnostic(d) << "\n";
  }
  if (!report) return 2;
  std::cout << (json ? sim::identity::auditToJson(*report) : sim::identity::auditToText(*report));
  return report->findings.empty() ? 0 : 1;
}

}  // namespace ctplab::cli
