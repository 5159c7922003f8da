// What a suite run is written as: the terminal summary (per case, per feature, and the
// `N passed, M failed, K skipped` line), JUnit XML, and a Gateway API-style conformance report.
#pragma once

#include <string>

#include "ctplab/conformance/runner.h"

namespace ctplab::conformance {

std::string summaryText(const SuiteResult& suite, bool verbose);
std::string junitXml(const SuiteResult& suite);
// `date` is written as given (the caller's clock; reports are otherwise deterministic).
std::string conformanceReportYaml(const SuiteResult& suite, const std::string& date);

}  // namespace ctplab::conformance
