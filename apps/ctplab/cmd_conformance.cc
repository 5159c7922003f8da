// `ctplab conformance`: loads conformance cases, runs them (in simulation, live on loopback or
// against a target gateway), prints the summary and writes JUnit XML and the conformance report.
#include <charconv>
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
    "                          [--target [PORT=]HOST:PORT ...] [--target-admin HOST:PORT]\n"
    "                          [--features +A,+B,-C] [--junit FILE] [--report FILE] [--verbose]\n"
    "                          [--jobs N] [--plant-fault NAME]\n"
    "       ctplab conformance --print-resources CASE.yaml\n"
    "  without CASE or DIR: every case in conformance/cases\n"
    "  --mode live starts ctplab's proxy on loopback for each case; --mode target drives real\n"
    "  clients against a gateway already configured with the case's resources (as\n"
    "  --print-resources prints them): --target gives its address for every Gateway port, or\n"
    "  PORT=HOST:PORT per Gateway listener port; --target-admin an Envoy admin endpoint for stats\n"
    "  --jobs N: live cases at a time (default 4; each has its own proxy and ports)\n"
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

// `HOST:PORT` (every Gateway port) or `PORT=HOST:PORT` (one Gateway listener port).
bool parseTarget(const std::string& text, conformance::TargetGateway& target) {
  const size_t eq = text.find('=');
  const auto address = live::parseHostPort(eq == std::string::npos ? text : text.substr(eq + 1));
  uint32_t port = 0;
  bool port_ok = true;
  if (eq != std::string::npos) {
    const std::string p = text.substr(0, eq);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    port_ok = ec == std::errc() && end == p.data() + p.size() && port >= 1 && port <= 65535;
  }
  if (!address || !port_ok) {
    std::cerr << "ctplab conformance: --target wants HOST:PORT or GATEWAYPORT=HOST:PORT, got \""
              << text << "\"\n";
    return false;
  }
  if (eq == std::string::npos) {
    target.every_port = *address;
  } else {
    target.ports[port] = *address;
  }
  return true;
}

// The case's resources as one multi-document YAML bundle: what to apply to a target gateway.
int printResources(const std::string& file) {
  auto loaded = conformance::loadCaseFile(file);
  for (const auto& d : loaded.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  if (!loaded.value) return 2;
  const auto& scenario = loaded.value->scenario;
  std::string out;
  auto add = [&](const std::string& label, std::string text) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    out += "---\n# from " + label + "\n" + text;
  };
  for (const auto& path : scenario.resource_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "ctplab conformance: cannot read " << path << "\n";
      return 2;
    }
    add(path, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  for (const auto& [label, text] : scenario.inline_resources) add(label, text);
  std::cout << out;
  return 0;
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
  bool jobs_given = false;
  conformance::SuiteOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      std::cout << kConformanceUsage;
      return 0;
    }
    if (a == "--mode" && has_value) {
      const std::string& m = args[++i];
      if (m == "sim") {
        options.mode = conformance::Mode::kSim;
      } else if (m == "live") {
        options.mode = conformance::Mode::kLive;
      } else if (m == "target") {
        options.mode = conformance::Mode::kTarget;
      } else {
        std::cerr << "ctplab conformance: unknown mode \"" << m << "\"\n" << kConformanceUsage;
        return 2;
      }
    } else if (a == "--target" && has_value) {
      if (!parseTarget(args[++i], options.target)) return 2;
    } else if (a == "--target-admin" && has_value) {
      options.target.admin = live::parseHostPort(args[++i]);
      if (!options.target.admin) {
        std::cerr << "ctplab conformance: --target-admin wants HOST:PORT, got \"" << args[i]
                  << "\"\n";
        return 2;
      }
    } else if (a == "--jobs" && has_value) {
      const std::string& n = args[++i];
      auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), options.jobs);
      if (ec != std::errc() || end != n.data() + n.size() || options.jobs < 1 ||
          options.jobs > 64) {
        std::cerr << "ctplab conformance: --jobs wants 1..64, got \"" << n << "\"\n";
        return 2;
      }
      jobs_given = true;
    } else if (a == "--print-resources" && has_value) {
      return printResources(args[++i]);
    } else if (a == "--features" && has_value) {
      if (!parseFeatures(args[++i], options.features)) return 2;
    } else if (a == "--junit" && has_value) {
      junit = args[++i];
    } else if (a == "--report" && has_value) {
      report = args[++i];
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "--plant-fault" && has_value) {
      if (!options.faults.plant(args[++i])) {
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
  const bool has_target = options.target.every_port || !options.target.ports.empty();
  if (options.mode == conformance::Mode::kTarget && !has_target) {
    std::cerr << "ctplab conformance: --mode target needs --target HOST:PORT\n";
    return 2;
  }
  if (options.mode != conformance::Mode::kTarget && (has_target || options.target.admin)) {
    std::cerr << "ctplab conformance: --target and --target-admin go with --mode target\n";
    return 2;
  }
  if (options.mode != conformance::Mode::kSim && options.faults.any()) {
    std::cerr << "ctplab conformance: planted faults break the simulated gateway; use --mode sim\n";
    return 2;
  }
  if (!jobs_given && options.mode == conformance::Mode::kLive) options.jobs = 4;
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
