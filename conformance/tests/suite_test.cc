// The suite as a whole: the shipped cases pass against the reference gateway, and each planted
// fault makes the cases that cover it fail — the suite can fail.
#include <gtest/gtest.h>

#include <set>

#include "ctplab/conformance/case_loader.h"
#include "ctplab/conformance/reports.h"
#include "ctplab/conformance/runner.h"

namespace ctplab::conformance {
namespace {

std::vector<ConformanceCase> shippedCases() {
  std::vector<ConformanceCase> cases;
  for (const auto& f : caseFilesIn(CTPLAB_SOURCE_DIR "/conformance/cases")) {
    auto loaded = loadCaseFile(f);
    if (loaded.value) cases.push_back(std::move(*loaded.value));
  }
  return cases;
}

std::set<std::string> failedCases(const SuiteResult& suite) {
  std::set<std::string> names;
  for (const auto& r : suite.cases) {
    if (r.outcome == Outcome::kFailed) names.insert(r.test->name);
  }
  return names;
}

TEST(Suite, ShippedCasesPassAgainstTheReferenceGateway) {
  const auto cases = shippedCases();
  const auto suite = runSuite(cases, {});
  EXPECT_EQ(suite.failed(), 0u) << summaryText(suite, false);
  EXPECT_GT(suite.passed(), 0u);
}

struct Planted {
  const char* name;
  sim::run::Faults faults;
  const char* must_fail;  // the case written for the behaviour the fault breaks
};

TEST(Suite, EveryPlantedFaultIsCaught) {
  const auto cases = shippedCases();
  std::vector<Planted> planted(4);
  planted[0] = {"connection limit off by one", {}, "ConnectionLimitClosesConnectionsOverLimit"};
  planted[0].faults.connection_limit_off_by_one = true;
  planted[1] = {"closeDelay ignored", {}, "ConnectionLimitCloseDelayKeepsRejectedCounted"};
  planted[1].faults.ignore_close_delay = true;
  planted[2] = {"requestReceivedTimeout ignored", {}, "RequestReceivedTimeoutSlowloris408"};
  planted[2].faults.ignore_request_received_timeout = true;
  planted[3] = {"idleTimeout ignored", {}, "IdleTimeoutClosesIdleKeepaliveConnections"};
  planted[3].faults.ignore_idle_timeout = true;
  for (const auto& p : planted) {
    SuiteOptions options;
    options.faults = p.faults;
    const auto failed = failedCases(runSuite(cases, options));
    EXPECT_FALSE(failed.empty()) << p.name << " went unnoticed";
    EXPECT_TRUE(failed.count(p.must_fail)) << p.name;
  }
}

TEST(Suite, FeatureFilterSelectsAndExcludes) {
  const auto cases = shippedCases();
  SuiteOptions only;
  only.features.include = {"ConnectionLimit"};
  for (const auto& r : runSuite(cases, only).cases) {
    const auto& f = r.test->features;
    EXPECT_NE(std::find(f.begin(), f.end(), "ConnectionLimit"), f.end()) << r.test->name;
  }
  SuiteOptions without;
  without.features.exclude = {"ConnectionLimit"};
  for (const auto& r : runSuite(cases, without).cases) {
    const auto& f = r.test->features;
    EXPECT_EQ(std::find(f.begin(), f.end(), "ConnectionLimit"), f.end()) << r.test->name;
  }
}

TEST(Suite, ReportsCountEveryOutcome) {
  const auto cases = shippedCases();
  SuiteOptions broken;
  broken.faults.connection_limit_off_by_one = true;
  const auto suite = runSuite(cases, broken);
  const std::string text = summaryText(suite, true);
  EXPECT_NE(
      text.find(std::to_string(suite.passed()) + " passed, " + std::to_string(suite.failed()) +
                " failed, " + std::to_string(suite.skipped()) + " skipped"),
      std::string::npos);
  EXPECT_NE(text.find("expected: "), std::string::npos);
  const std::string xml = junitXml(suite);
  EXPECT_NE(xml.find("failures=\"" + std::to_string(suite.failed()) + "\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message="), std::string::npos);
  const std::string report = conformanceReportYaml(suite, "2026-01-01T00:00:00Z");
  EXPECT_NE(report.find("kind: ConformanceReport"), std::string::npos);
  EXPECT_NE(report.find("result: failure"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::conformance
