#include "ctplab/conformance/case_loader.h"

#include <gtest/gtest.h>

namespace ctplab::conformance {
namespace {

const std::string kBase = CTPLAB_SOURCE_DIR "/conformance/cases";

std::string errors(const LoadedCase& c) {
  std::string out;
  for (const auto& d : c.diagnostics.all()) out += policy::formatDiagnostic(d) + "\n";
  return out;
}

const char* kValid = R"(name: Example
id: CL-1
features: [ConnectionLimit]
resources:
  - file: resources/same-namespace-gateway.yaml
populations:
  - name: p
    clients: 2
expect:
  policies:
    - policy: ns/name
      ancestor: {kind: Gateway, sectionName: http}
      ancestors: {min: 1}
      conditions:
        - {type: Accepted, status: "True", messageContains: accepted}
      absent: [Conflicted]
  populations:
    p:
      connections.limited: {min: 1, max: 5}
      requests.by_status.200: 2
      latency_ms.p99.9: {max: 10.5}
  stats:
    connection_limit.http-10080.limited_connections: 3
)";

TEST(CaseLoader, ReadsEveryExpectationKind) {
  auto c = loadCaseText(kValid, "case.yaml", kBase);
  ASSERT_TRUE(c.value) << errors(c);
  EXPECT_EQ(c.value->name, "Example");
  EXPECT_EQ(c.value->id, "CL-1");
  ASSERT_EQ(c.value->policies.size(), 1u);
  const auto& p = c.value->policies[0];
  EXPECT_EQ(p.ns, "ns");
  EXPECT_EQ(*p.section_name, "http");
  EXPECT_TRUE(p.ancestor_count->matches(2));
  EXPECT_FALSE(p.ancestor_count->matches(0));
  ASSERT_EQ(p.conditions.size(), 1u);
  EXPECT_TRUE(p.conditions[0].message->matches("Policy has been accepted."));
  ASSERT_EQ(c.value->populations.size(), 1u);
  ASSERT_EQ(c.value->populations[0].observations.size(), 3u);
  EXPECT_EQ(c.value->populations[0].observations[2].matcher.describe(), "<= 10.500");
  ASSERT_EQ(c.value->stats.size(), 1u);
  EXPECT_EQ(c.value->stats[0].matcher.describe(), "3");
}

struct BadCase {
  std::string find, replace, message;
  int line;
};

TEST(CaseLoader, ErrorsNameFileLineAndField) {
  const std::vector<BadCase> cases = {
      {"features: [ConnectionLimit]", "features: [ConnectionLimits]",
       "unknown feature \"ConnectionLimits\"", 3},
      {"      requests.by_status.200: 2", "      requests.by_status.20: 2",
       "unknown observation \"requests.by_status.20\"", 20},
      {"    p:\n", "    q:\n", "the scenario has no population \"q\"", 18},
      {"connections.limited: {min: 1, max: 5}", "connections.limited: {min: 5, max: 1}",
       "min is greater than max", 19},
      {"    - policy: ns/name", "    - policy: name", "expected <namespace>/<name>", 11},
      {"status: \"True\"", "status: yes", "must be \"True\", \"False\" or \"Unknown\"", 15},
      {"  stats:", "  stat:", "unknown field", 22},
      {"id: CL-1\n", "id: CL-1\nmodes: [simulation]\n", "unknown mode \"simulation\"", 3},
      {"3\n", "three\n", "expected a number, got \"three\"", 23},
  };
  for (const auto& bad : cases) {
    std::string text = kValid;
    const size_t at = text.find(bad.find);
    ASSERT_NE(at, std::string::npos) << bad.find;
    text.replace(at, bad.find.size(), bad.replace);
    auto c = loadCaseText(text, "case.yaml", kBase);
    EXPECT_FALSE(c.value) << bad.replace;
    const std::string all = errors(c);
    EXPECT_NE(all.find(bad.message), std::string::npos) << all;
    EXPECT_NE(all.find("case.yaml:" + std::to_string(bad.line) + ":"), std::string::npos) << all;
  }
}

TEST(CaseLoader, ReadsBackendExpectations) {
  std::string text = kValid;
  text +=
      "  backend:\n"
      "    - population: p\n      received: {min: 1}\n"
      "    - population: p\n      request: 1\n      path: {contains: /a}\n"
      "      headers:\n        host: h\n        x-gone: null\n";
  auto c = loadCaseText(text, "case.yaml", kBase);
  ASSERT_TRUE(c.value) << errors(c);
  ASSERT_EQ(c.value->backend.size(), 2u);
  EXPECT_TRUE(c.value->backend[0].received->matches(3));
  EXPECT_EQ(c.value->backend[1].request, 1u);
  EXPECT_TRUE(c.value->backend[1].path->matches("/x/a/b"));
  ASSERT_EQ(c.value->backend[1].headers.size(), 2u);
  EXPECT_TRUE(c.value->backend[1].headers[1].absent);

  std::string bad = kValid;
  bad += "  backend:\n    - population: nobody\n      received: 1\n";
  auto b = loadCaseText(bad, "case.yaml", kBase);
  EXPECT_FALSE(b.value);
  EXPECT_NE(errors(b).find("case.yaml:25:19: error: expect.backend"), std::string::npos)
      << errors(b);
}

TEST(CaseLoader, ACaseNeedsFeaturesAndExpectations) {
  auto c = loadCaseText("name: Nothing\nresources: []\n", "case.yaml", kBase);
  EXPECT_FALSE(c.value);
  const std::string all = errors(c);
  EXPECT_NE(all.find("features: missing required field"), std::string::npos) << all;
  EXPECT_NE(all.find("expect: missing required field"), std::string::npos) << all;
}

TEST(CaseLoader, ScenarioErrorsKeepTheScenarioLoadersMessages) {
  std::string text = kValid;
  text.replace(text.find("    clients: 2"), 14, "    clients: 0");
  auto c = loadCaseText(text, "case.yaml", kBase);
  EXPECT_FALSE(c.value);
  EXPECT_NE(errors(c).find("case.yaml:8:"), std::string::npos) << errors(c);
}

TEST(CaseLoader, EveryShippedCaseLoads) {
  const auto files = caseFilesIn(kBase);
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    auto c = loadCaseFile(f);
    EXPECT_TRUE(c.value) << errors(c);
  }
}

}  // namespace
}  // namespace ctplab::conformance
