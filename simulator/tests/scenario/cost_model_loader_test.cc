// The host's CPU costs in scenarios: requestCost, bytesPerCpuSecond and workers, cost-model files
// (`host.costModel`) resolved against the scenario, overridden by the scenario, and their errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ctplab/simulator/scenario/scenario_loader.h"

namespace ctplab::sim::scenario {
namespace {

constexpr const char* kPopulations = "populations:\n  - name: p\n";

// What `ctplab calibrate` writes, trimmed to the fields the loader reads and one of each
// informational block.
constexpr const char* kCostModel =
    "# measured by ctplab calibrate\n"
    "measuredOn: 2026-06-01T12:00:00Z\n"
    "machine: {cpu: Example CPU @ 2.0GHz, cores: 8}\n"
    "acceptCost: 21.5us\n"
    "requestCost: 12.25us\n"
    "bytesPerCpuSecond: 2500000000\n"
    "tlsHandshakeCostRsa: 1.2ms\n"
    "tlsHandshakeCostEcdsa: 310us\n"
    "samples: {keepAlive: {requests: 1000, cpu: 12ms}}\n"
    "settings: {phaseDuration: 2s, workers: 1}\n";

class CostModelLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("ctplab-cost-model-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "models");
    write("models/machine.yaml", kCostModel);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string path(const std::string& name) const { return (dir_ / name).generic_string(); }

  // A scenario in the temporary directory with `host` as its host section.
  LoadedScenario load(const std::string& host) const {
    write("scenario.yaml", "name: t\nduration: 10s\nhost: " + host + "\n" + kPopulations);
    return loadScenarioFile(path("scenario.yaml"));
  }

  static std::vector<std::string> lines(const LoadedScenario& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics.all()) out.push_back(policy::formatDiagnostic(d));
    return out;
  }

  std::filesystem::path dir_;
};

TEST(HostCosts, DefaultsChargeNothingNewAndNameNoCostModel) {
  auto r = loadScenarioText(std::string("name: t\n") + kPopulations, "s.yaml", "");
  ASSERT_TRUE(r.ok());
  const GatewayHostProfile& h = r.scenario.host;
  EXPECT_EQ(h.request_cost, Duration());
  EXPECT_EQ(h.bytes_per_cpu_second, 0);
  EXPECT_EQ(h.workers, 0u);
  EXPECT_EQ(h.accept_cost, Duration());
  EXPECT_EQ(h.tls_cost_rsa, Duration::microseconds(370));
  EXPECT_EQ(h.tls_cost_ecdsa, Duration::microseconds(90));
  EXPECT_FALSE(h.cost_model.has_value());
}

TEST(HostCosts, InlineFieldsParse) {
  auto r = loadScenarioText(
      "name: t\nhost: {requestCost: 12.5us, bytesPerCpuSecond: 2.5G, workers: 4}\n" +
          std::string(kPopulations),
      "s.yaml", "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario.host.request_cost, Duration::nanoseconds(12'500));
  EXPECT_DOUBLE_EQ(r.scenario.host.bytes_per_cpu_second, 2.5e9);
  EXPECT_EQ(r.scenario.host.workers, 4u);
}

TEST(HostCosts, ByteRateFormats) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, double>>{
           {"800M", 8e8}, {"1.5k", 1500}, {"2T", 2e12}, {"3e9", 3e9}, {"0", 0}}) {
    auto r = loadScenarioText(
        "name: t\nhost: {bytesPerCpuSecond: " + text + "}\n" + std::string(kPopulations), "s.yaml",
        "");
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_DOUBLE_EQ(r.scenario.host.bytes_per_cpu_second, expected) << text;
  }
  auto bad = loadScenarioText(
      "name: t\nhost: {bytesPerCpuSecond: fast}\n" + std::string(kPopulations), "s.yaml", "");
  ASSERT_EQ(bad.diagnostics.all().size(), 1u);
  EXPECT_EQ(policy::formatDiagnostic(bad.diagnostics.all()[0]),
            "s.yaml:2:27: error: host.bytesPerCpuSecond: expected bytes per second such as 2.5G, "
            "800M or 2500000000, found \"fast\"");
  auto negative = loadScenarioText(
      "name: t\nhost: {bytesPerCpuSecond: -1G}\n" + std::string(kPopulations), "s.yaml", "");
  ASSERT_EQ(negative.diagnostics.all().size(), 1u);
  EXPECT_EQ(policy::formatDiagnostic(negative.diagnostics.all()[0]),
            "s.yaml:2:27: error: host.bytesPerCpuSecond: must not be negative, found -1G");
}

TEST(HostCosts, RequestCostRejectsNegativeDurations) {
  auto r = loadScenarioText("name: t\nhost: {requestCost: -1us}\n" + std::string(kPopulations),
                            "s.yaml", "");
  ASSERT_EQ(r.diagnostics.all().size(), 1u);
  EXPECT_EQ(policy::formatDiagnostic(r.diagnostics.all()[0]),
            "s.yaml:2:21: error: host.requestCost: must not be negative, found -1us");
}

TEST(HostCosts, WorkersAreBounded) {
  auto r = loadScenarioText("name: t\nhost: {workers: 2000}\n" + std::string(kPopulations),
                            "s.yaml", "");
  ASSERT_EQ(r.diagnostics.all().size(), 1u);
  EXPECT_EQ(policy::formatDiagnostic(r.diagnostics.all()[0]),
            "s.yaml:2:17: error: host.workers: must be between 0 and 1024, found 2000");
}

TEST_F(CostModelLoader, FileIsResolvedAgainstTheScenarioAndSuppliesEveryCost) {
  auto r = load("{costModel: models/machine.yaml}");
  ASSERT_TRUE(r.ok()) << (lines(r).empty() ? "" : lines(r)[0]);
  EXPECT_TRUE(r.diagnostics.all().empty());
  const GatewayHostProfile& h = r.scenario.host;
  EXPECT_EQ(h.accept_cost, Duration::nanoseconds(21'500));
  EXPECT_EQ(h.request_cost, Duration::nanoseconds(12'250));
  EXPECT_DOUBLE_EQ(h.bytes_per_cpu_second, 2.5e9);
  EXPECT_EQ(h.tls_cost_rsa, Duration::microseconds(1'200));
  EXPECT_EQ(h.tls_cost_ecdsa, Duration::microseconds(310));
  EXPECT_EQ(h.tls_cost_client_verify, Duration::microseconds(100));  // not in the file: default
  EXPECT_EQ(h.workers, 0u);
  ASSERT_TRUE(h.cost_model.has_value());
  EXPECT_EQ(h.cost_model->file, path("models/machine.yaml"));
  EXPECT_EQ(h.cost_model->measured_on, "2026-06-01T12:00:00Z");
  EXPECT_EQ(h.cost_model->machine_cpu, "Example CPU @ 2.0GHz");
  EXPECT_EQ(h.cost_model->machine_cores, 8u);
  EXPECT_TRUE(h.cost_model->overridden.empty());
}

TEST_F(CostModelLoader, ScenarioFieldsOverrideTheFileWhereverWritten) {
  // Before and after costModel in the mapping: the scenario wins either way.
  auto r = load(
      "{requestCost: 40us, costModel: models/machine.yaml, bytesPerCpuSecond: 1G, "
      "workers: 2}");
  ASSERT_TRUE(r.ok()) << (lines(r).empty() ? "" : lines(r)[0]);
  const GatewayHostProfile& h = r.scenario.host;
  EXPECT_EQ(h.request_cost, Duration::microseconds(40));
  EXPECT_DOUBLE_EQ(h.bytes_per_cpu_second, 1e9);
  EXPECT_EQ(h.accept_cost, Duration::nanoseconds(21'500));  // the file's
  EXPECT_EQ(h.workers, 2u);
  ASSERT_TRUE(h.cost_model.has_value());
  // workers is not a cost the file could set, so it overrides nothing.
  EXPECT_EQ(h.cost_model->overridden,
            (std::vector<std::string>{"requestCost", "bytesPerCpuSecond"}));
}

TEST_F(CostModelLoader, AFixedHandshakeCostWarnsThatTheFilesPerKeyCostsGoUnused) {
  auto r = load("{costModel: models/machine.yaml, tlsHandshakeCost: 1ms}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario.host.tls_handshake_cost, Duration::milliseconds(1));
  const auto l = lines(r);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], path("scenario.yaml") +
                      ":3:58: warning: host.tlsHandshakeCost: every handshake costs this; the cost "
                      "model's tlsHandshakeCostRsa is not used");
}

TEST_F(CostModelLoader, AMissingFileIsReportedAtTheScenarioField) {
  auto r = load("{costModel: models/other.yaml}");
  ASSERT_FALSE(r.ok());
  const auto l = lines(r);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0], path("scenario.yaml") + ":3:19: error: host.costModel: cost model \"" +
                      path("models/other.yaml") + "\": cannot open file");
  auto dir = load("{costModel: models}");
  ASSERT_EQ(lines(dir).size(), 1u);
  EXPECT_EQ(lines(dir)[0], path("scenario.yaml") + ":3:19: error: host.costModel: cost model \"" +
                               path("models") + "\": is a directory, not a cost model file");
  auto empty = load("{costModel: \"\"}");
  ASSERT_EQ(lines(empty).size(), 1u);
  EXPECT_EQ(lines(empty)[0],
            path("scenario.yaml") + ":3:19: error: host.costModel: must not be empty");
}

TEST_F(CostModelLoader, ProblemsInsideTheFileNameItsLineAndField) {
  write("models/bad.yaml",
        "measuredOn: 2026-06-01T12:00:00Z\n"
        "requestCost: 12 us\n"
        "bytesPerCpuSecnd: 1G\n"
        "machine: {cores: 0}\n");
  auto r = load("{costModel: models/bad.yaml}");
  ASSERT_FALSE(r.ok());
  const std::string file = path("models/bad.yaml");
  EXPECT_EQ(lines(r),
            (std::vector<std::string>{
                file + ":3:1: error: bytesPerCpuSecnd: unknown field \"bytesPerCpuSecnd\"; "
                       "did you mean \"bytesPerCpuSecond\"?",
                file + ":4:18: error: machine.cores: must be between 1 and 4294967295, "
                       "found 0",
                file + ":2:14: error: requestCost: expected a duration such as 250ms, "
                       "30s or 1m30s (time: unknown unit \" us\" in duration \"12 us\")",
            }));
}

TEST_F(CostModelLoader, WorkersBelongToTheScenarioNotTheFile) {
  write("models/workers.yaml", "measuredOn: 2026-06-01T12:00:00Z\nworkers: 4\n");
  auto r = load("{costModel: models/workers.yaml}");
  ASSERT_EQ(lines(r).size(), 1u);
  EXPECT_EQ(lines(r)[0],
            path("models/workers.yaml") + ":2:1: error: workers: unknown field \"workers\"");
}

TEST_F(CostModelLoader, MeasuredOnIsRequiredAndMustBeATime) {
  write("models/undated.yaml", "requestCost: 1us\n");
  auto r = load("{costModel: models/undated.yaml}");
  ASSERT_EQ(lines(r).size(), 1u);
  EXPECT_EQ(lines(r)[0],
            path("models/undated.yaml") + ":1:1: error: measuredOn: missing required field");
  write("models/misdated.yaml", "measuredOn: yesterday\n");
  auto m = load("{costModel: models/misdated.yaml}");
  ASSERT_EQ(lines(m).size(), 1u);
  EXPECT_EQ(lines(m)[0], path("models/misdated.yaml") +
                             ":1:13: error: measuredOn: expected an RFC 3339 time such as "
                             "2026-06-01T00:00:00Z, found \"yesterday\"");
}

TEST_F(CostModelLoader, NotACostModelAtAll) {
  write("models/manifest.yaml", "apiVersion: v1\nkind: Secret\n");
  auto manifest = load("{costModel: models/manifest.yaml}");
  ASSERT_EQ(lines(manifest).size(), 1u);
  EXPECT_EQ(lines(manifest)[0], path("models/manifest.yaml") +
                                    ":1:1: error: this is a Kubernetes manifest, not a cost model");
  write("models/list.yaml", "- requestCost: 1us\n");
  auto list = load("{costModel: models/list.yaml}");
  ASSERT_EQ(lines(list).size(), 1u);
  EXPECT_EQ(lines(list)[0], path("models/list.yaml") +
                                ":1:1: error: expected a cost model (a mapping of measuredOn, "
                                "requestCost, ...)");
  write("models/broken.yaml", "requestCost: [1us\n");
  auto broken = load("{costModel: models/broken.yaml}");
  ASSERT_EQ(lines(broken).size(), 1u);
  EXPECT_NE(lines(broken)[0].find(path("models/broken.yaml") + ":"), std::string::npos);
  EXPECT_NE(lines(broken)[0].find("malformed YAML"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::sim::scenario
