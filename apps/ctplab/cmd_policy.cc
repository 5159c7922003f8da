// `translate` and `validate`: load manifests, run the policy engine, print the result.
#include <iostream>

#include "commands.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"
#include "ctplab/policy/output.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

struct PolicyArgs {
  std::vector<std::string> files;
  policy::TranslateOptions options;
  bool ok = true;
};

PolicyArgs parseArgs(const std::vector<std::string>& args, bool enforce_admission) {
  PolicyArgs out;
  out.options.now = wallClockNow();
  out.options.enforce_admission = enforce_admission;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--now" || a.rfind("--now=", 0) == 0) {
      std::string value = a == "--now" ? (i + 1 < args.size() ? args[++i] : "") : a.substr(6);
      auto t = parseRfc3339(value);
      if (!t) {
        std::cerr << "ctplab: --now needs an RFC 3339 time such as 2026-06-01T00:00:00Z, got \""
                  << value << "\"\n";
        out.ok = false;
      } else {
        out.options.now = *t;
      }
    } else if (a == "--enforce-admission") {
      out.options.enforce_admission = true;
    } else if (a == "--controller-name" && i + 1 < args.size()) {
      out.options.controller_name = args[++i];
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::cerr << "ctplab: unknown option \"" << a << "\"\n";
      out.ok = false;
    } else {
      out.files.push_back(a == "-" ? "/dev/stdin" : a);
    }
  }
  if (out.files.empty()) {
    std::cerr << "ctplab: no input files\n";
    out.ok = false;
  }
  return out;
}

void printDiagnostics(const policy::Diagnostics& d) {
  for (const auto& item : d.all()) std::cerr << policy::formatDiagnostic(item) << "\n";
}

}  // namespace

int runTranslate(const std::vector<std::string>& args) {
  PolicyArgs pa = parseArgs(args, false);
  if (!pa.ok) return 2;
  policy::LoadResult loaded = policy::loadFiles(pa.files);
  printDiagnostics(loaded.diagnostics);
  if (loaded.unreadable) return 2;
  auto result = policy::translate(loaded.resources, pa.options);
  for (const auto& r : result.policies) {
    for (const auto& e : r.admission_errors) {
      std::cerr << "warning: ClientTrafficPolicy " << r.policy->meta.ns << "/"
                << r.policy->meta.name << ": the API server would reject: " << e << "\n";
    }
  }
  std::cout << policy::emitYaml(policy::translationToTree(result));
  return loaded.diagnostics.hasErrors() ? 2 : 0;
}

int runValidate(const std::vector<std::string>& args) {
  PolicyArgs pa = parseArgs(args, true);
  if (!pa.ok) return 2;
  policy::LoadResult loaded = policy::loadFiles(pa.files);
  printDiagnostics(loaded.diagnostics);
  if (loaded.unreadable || loaded.diagnostics.hasErrors()) return 2;
  auto result = policy::translate(loaded.resources, pa.options);
  std::cout << policy::validationReport(result);
  // "All accepted" is strict: a rejected, conflicted, mistargeted or unattached policy is not.
  bool all_ok = true;
  for (const auto& r : result.policies) {
    if (r.rejected || r.status.ancestors().empty()) all_ok = false;
    for (const auto& a : r.status.ancestors()) {
      const auto* c = a.find("Accepted");
      if (c != nullptr && c->status == "False") all_ok = false;
    }
  }
  return all_ok ? 0 : 1;
}

}  // namespace ctplab::cli
