// `ctplab conformance`: loads conformance cases, runs them (in simulation), prints the summary
// and writes JUnit XML and the conformance report on request.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "ctplab/conformance/case_loader.h"
#include "ctplab/conformance/reports.h"
#include "ctplab/conformance/runner.h"

namespace ctplab::cli {
namespace {

constexpr const char* kConformanceUsage =
    "usage: ctplab conformance [CASE.yaml|DIR ...] [--mode sim|live|target]\n"
    "                          [--features +A,+B,-C] [--junit FILE] [--report FILE] [--verbose]\n"
    "                          [--plant-fault NAME]\n"
    "  without CASE or DIR: every case in conformance/cases\n"
    "  --plant-fault breaks the simulated gateway on purpose (connection-limit-off-by-one,\n"
    "  ignore-close-delay, ignore-request-received-timeout, ignore-idle-timeout) to show that\n"
    "  the suite notices\n";

bool parseFeatures(const std::string& text, conformance::FeatureFilter& filter) {
  std::stringstream in(text);
  std::string item;
  const auto& known = conformance::knownFeatures();
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    const bool exclude = item[0] == '-';
    const std::string tag = (item[0] == '+' || item[0] == '-') ? item.substr(1) : item;
    if (std::find(known.begin(), known.end(), tag) == known.end()) {
      std::cerr << "ctplab conformance: unknown feature \"" << tag << "\"\n";
      return false;
    }
    (exclude ? filter.exclude : filter.include).push_back(tag);
  }
  return true;
}

bool plantFault(const std::string& name, sim::run::Faults& faults) {
  if (name == "connection-limit-off-by-one") {
    faults.connection_limit_off_by_one = true;
  } else if (name == "ignore-close-delay") {
    faults.ignore_close_delay = true;
  } else if (name == "ignore-request-received-timeout") {
    faults.ignore_request_received_timeout = true;
  } else if (name == "ignore-idle-timeout") {
    faults.ignore_idle_timeout = true;
  } else {
    return false;
  }
  return true;
}

std::string todayUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int runConformance(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string junit, report;
  bool verbose = false;
  conformance::SuiteOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--mode" && has_value) {
      const std::string& m = args[++i];
      if (m == "sim") {
        options.mode = conformance::Mode::kSim;
      } else if (m == "live" || m == "target") {
        std::cerr << "ctplab conformance: mode " << m
                  << " needs the live reference proxy and its client drivers, which are not "
                     "built yet; use --mode sim\n";
        return 2;
      } else {
        std::cerr << "ctplab conformance: unknown mode \"" << m << "\"\n" << kConformanceUsage;
        return 2;
      }
    } else if (a == "--features" && has_value) {
      if (!parseFeatures(args[++i], options.features)) return 2;
    } else if (a == "--junit" && has_value) {
      junit = args[++i];
    } else if (a == "--report" && has_value) {
      report = args[++i];
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "--plant-fault" && has_value) {
      if (!plantFault(args[++i], options.faults)) {
        std::cerr << "ctplab conformance: unknown fault \"" << args[i] << "\"\n"
                  << kConformanceUsage;
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "ctplab conformance: unknown or incomplete option \"" << a << "\"\n"
                << kConformanceUsage;
      return 2;
    } else {
      inputs.push_back(a);
    }
  }
  if (inputs.empty()) {
    if (!std::filesystem::is_directory("conformance/cases")) {
      std::cerr << "ctplab conformance: no conformance/cases here; run it from the project root "
                   "or name the cases\n";
      return 2;
    }
    inputs.push_back("conformance/cases");
  }
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      for (auto& f : conformance::caseFilesIn(in)) files.push_back(std::move(f));
    } else {
      files.push_back(in);
    }
  }
  std::vector<conformance::ConformanceCase> cases;
  bool broken = false;
  for (const auto& f : files) {
    auto loaded = conformance::loadCaseFile(f);
    for (const auto& d : loaded.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
    if (!loaded.value) {
      broken = true;
      continue;
    }
    for (const auto& c : cases) {
      if (c.name == loaded.value->name) {
        std::cerr << f << ": error: case name " << c.name << " is also used by " << c.file << "\n";
        broken = true;
      }
    }
    cases.push_back(std::move(*loaded.value));
  }
  if (broken) {
    std::cerr << "ctplab conformance: fix the cases above; nothing was run\n";
    return 2;
  }
  const auto suite = conformance::runSuite(cases, options);
  std::cout << conformance::summaryText(suite, verbose);
  if (!junit.empty() && !writeFile(junit, conformance::junitXml(suite))) {
    std::cerr << "ctplab conformance: cannot write " << junit << "\n";
    return 2;
  }
  if (!report.empty() &&
      !writeFile(report, conformance::conformanceReportYaml(suite, todayUtc()))) {
    std::cerr << "ctplab conformance: cannot write " << report << "\n";
    return 2;
  }
  return suite.failed() == 0 ? 0 : 1;
}

}  // namespace ctplab::cli
