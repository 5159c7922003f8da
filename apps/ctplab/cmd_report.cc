// `ctplab report SWEEP.yaml`: the capacity-planning sweep and report, which live in Python
// (reports/, matplotlib): runs Debian's interpreter on that package with this binary as simulator.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace ctplab::cli {
namespace {

// Where the package and the Python module are, from the build; the environment may override
// them for an installed layout.
std::string fromEnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

std::string selfPath() {
  std::vector<char> buf(4096);
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  return n > 0 ? std::string(buf.data(), static_cast<size_t>(n)) : std::string();
}

}  // namespace

int runReport(const std::vector<std::string>& args) {
  const std::string python = fromEnvOr("CTPLAB_PYTHON", "/usr/bin/python3");
  std::string path = fromEnvOr("CTPLAB_REPORTS_DIR", CTPLAB_REPORTS_SOURCE_DIR);
  path += ":" + fromEnvOr("CTPLAB_PYTHON_MODULE_DIR", CTPLAB_PYTHON_MODULE_DIR);
  if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing != '\0') {
    path += ":" + std::string(existing);
  }
  setenv("PYTHONPATH", path.c_str(), 1);
  setenv("CTPLAB_REPORT_PROG", "ctplab report", 1);
  // Sweep points run on this very simulator unless the caller chose another.
  if (const std::string self = selfPath(); !self.empty()) setenv("CTPLAB_BIN", self.c_str(), 0);
  std::vector<std::string> argv_s = {python, "-m", "ctplab_reports"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(python.c_str(), argv.data());
  std::cerr << "ctplab report: cannot run " << python << ": " << std::strerror(errno)
            << " (the report needs Debian's python3 with python3-matplotlib)\n";
  return 2;
}

}  // namespace ctplab::cli
