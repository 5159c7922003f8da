// `ctplab simulate`: loads a scenario, translates its resources, runs it and prints the summary;
// the JSON result goes to --json. The wall clock is read here only, for the progress line.
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "ctplab/simulator/run/result_output.h"
#include "ctplab/simulator/run/simulate.h"
#include "ctplab/simulator/scenario/scenario_loader.h"

namespace ctplab::cli {
namespace {

constexpr const char* kSimulateUsage =
    "usage: ctplab simulate SCENARIO.yaml [--seed N] [--json FILE] [--records]\n"
    "                       [--scheduler ladder|4ary|binary] [--quiet]\n";

bool parseSeed(const std::string& text, uint64_t& seed) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int runSimulate(const std::vector<std::string>& args) {
  std::string file, json_path;
  std::optional<uint64_t> seed;
  bool records = false, quiet = false;
  sim::run::SimulateOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--seed" && has_value) {
      uint64_t s = 0;
      if (!parseSeed(args[++i], s)) {
        std::cerr << "ctplab simulate: --seed wants a non-negative integer, got \"" << args[i]
                  << "\"\n";
        return 2;
      }
      seed = s;
    } else if (a == "--json" && has_value) {
      json_path = args[++i];
    } else if (a == "--records") {
      records = true;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--scheduler" && has_value) {
      const std::string& k = args[++i];
      if (k == "ladder") {
        options.scheduler = sim::SchedulerKind::kLadderQueue;
      } else if (k == "4ary") {
        options.scheduler = sim::SchedulerKind::kQuaternaryHeap;
      } else if (k == "binary") {
        options.scheduler = sim::SchedulerKind::kBinaryHeap;
      } else {
        std::cerr << "ctplab simulate: unknown scheduler \"" << k << "\"\n" << kSimulateUsage;
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "ctplab simulate: unknown or incomplete option \"" << a << "\"\n"
                << kSimulateUsage;
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      std::cerr << "ctplab simulate: one scenario file at a time\n" << kSimulateUsage;
      return 2;
    }
  }
  if (file.empty()) {
    std::cerr << kSimulateUsage;
    return 2;
  }

  auto loaded = sim::scenario::loadScenarioFile(file);
  for (const auto& d : loaded.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  if (!loaded.ok()) return 2;
  sim::scenario::Scenario scenario = std::move(loaded.scenario);
  if (seed) scenario.seed = *seed;
  if (records) scenario.outputs.records = true;

  policy::Diagnostics diagnostics;
  std::vector<std::string> notes;
  auto prepared = sim::run::prepareScenario(scenario, diagnostics, notes);
  for (const auto& d : diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  for (const auto& n : notes) std::cerr << "note: " << n << "\n";
  if (!prepared.gateway) return 2;
  const policy::ir::Gateway* gateway = &*prepared.gateway;
  options.resources = &prepared.loaded->resources;

  // Progress: only for runs that take a while, on one line when stderr is a terminal.
  const auto wall_start = std::chrono::steady_clock::now();
  auto last_print = wall_start;
  const bool tty = isatty(STDERR_FILENO) != 0;
  bool printed = false;
  if (!quiet) {
    options.progress = [&](const sim::run::Progress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - wall_start < std::chrono::seconds(2)) return;
      if (now - last_print < std::chrono::milliseconds(tty ? 200 : 5000)) return;
      last_print = now;
      printed = true;
      std::fprintf(stderr, "%s[%5.1f%%] %.1f/%.1f s virtual  %llu events  %llu connections%s",
                   tty ? "\r" : "",
                   100.0 * static_cast<double>(p.elapsed.ns()) /
                       static_cast<double>(std::max<int64_t>(1, p.duration.ns())),
                   static_cast<double>(p.elapsed.ns()) / 1e9,
                   static_cast<double>(p.duration.ns()) / 1e9,
                   static_cast<unsigned long long>(p.events),
                   static_cast<unsigned long long>(p.active_connections), tty ? "" : "\n");
    };
  }
  auto result = sim::run::simulate(scenario, *gateway, options);
  if (printed && tty) std::fprintf(stderr, "\n");
  if (!result) {
    std::cerr << "ctplab simulate: " << result.error().message << "\n";
    return 2;
  }
  std::cout << sim::run::resultToText(result.value());
  if (!json_path.empty()) {
    std::ofstream out(json_path, std::ios::binary);
    out << sim::run::resultToJson(result.value());
    if (!out) {
      std::cerr << "ctplab simulate: cannot write " << json_path << "\n";
      return 2;
    }
  }
  return 0;
}

}  // namespace ctplab::cli
