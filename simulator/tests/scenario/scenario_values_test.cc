// Value forms of scenario files: every distribution and arrival process, rate and bandwidth
// units, timestamps, address ranges, and the checks that tie values together.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/policy/loader.h"
#include "ctplab/simulator/scenario/scenario_loader.h"
#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

using loader_test::joined;

LoadedScenario loadValues(const std::string& text) { return loader_test::load(text, "v.yaml", ""); }

// One population named `a` with `body` (already indented by four spaces) and no diagnostics.
Population population(const std::string& body) {
  auto r = loadValues("name: v\nduration: 100s\npopulations:\n  - name: a\n" + body);
  EXPECT_TRUE(r.diagnostics.all().empty()) << joined(r);
  return r.scenario.populations.empty() ? Population{} : r.scenario.populations[0];
}

// The diagnostics of one population named `a` with `body`, formatted.
std::string populationDiagnostics(const std::string& body) {
  return joined(loadValues("name: v\nduration: 100s\npopulations:\n  - name: a\n" + body));
}

DurationDistribution serviceTime(const std::string& value) {
  auto r = loadValues("name: v\nbackend: {serviceTime: " + value + "}\npopulations: [{name: a}]\n");
  EXPECT_TRUE(r.diagnostics.all().empty()) << value << "\n" << joined(r);
  return r.scenario.backend.service_time;
}

std::string serviceTimeDiagnostics(const std::string& value) {
  return joined(
      loadValues("name: v\nbackend: {serviceTime: " + value + "}\npopulations: [{name: a}]\n"));
}

double rate(const std::string& value) {
  return population("    arrival: {process: constant, rate: " + value + "}\n").arrival.rate_per_s;
}

uint64_t bandwidth(const std::string& value) {
  auto r = loadValues("name: v\nnetwork: {bandwidth: " + value + "}\npopulations: [{name: a}]\n");
  EXPECT_TRUE(r.diagnostics.all().empty()) << value << "\n" << joined(r);
  return r.scenario.network.bandwidth_bps;
}

TEST(ScenarioValues, EveryDistributionForm) {
  using Kind = DurationDistribution::Kind;
  auto plain = serviceTime("5ms");
  EXPECT_EQ(plain.kind, Kind::kConstant);
  EXPECT_EQ(plain.mean, Duration::milliseconds(5));
  auto constant = serviceTime("{distribution: constant, mean: 1m30s}");
  EXPECT_EQ(constant.kind, Kind::kConstant);
  EXPECT_EQ(constant.mean, Duration::seconds(90));
  auto uniform = serviceTime("{distribution: uniform, min: 1ms, max: 9ms}");
  EXPECT_EQ(uniform.kind, Kind::kUniform);
  EXPECT_EQ(uniform.min, Duration::milliseconds(1));
  EXPECT_EQ(uniform.max, Duration::milliseconds(9));
  auto exponential = serviceTime("{distribution: exponential, mean: 250us}");
  EXPECT_EQ(exponential.kind, Kind::kExponential);
  EXPECT_EQ(exponential.mean, Duration::microseconds(250));
  auto lognormal = serviceTime("{distribution: lognormal, mean: 20ms, stddev: 5ms}");
  EXPECT_EQ(lognormal.kind, Kind::kLognormal);
  EXPECT_EQ(lognormal.mean, Duration::milliseconds(20));
  EXPECT_EQ(lognormal.stddev, Duration::milliseconds(5));
}

TEST(ScenarioValues, BadDistributionsAreErrors) {
  EXPECT_EQ(serviceTimeDiagnostics("{distribution: uniform, min: 9ms, max: 1ms}"),
            "v.yaml:2:63: error: backend.serviceTime.max: must not be less than min (9ms)\n");
  EXPECT_EQ(serviceTimeDiagnostics("{distribution: exponential, mean: 0s}"),
            "v.yaml:2:58: error: backend.serviceTime.mean: must be greater than zero\n");
  EXPECT_EQ(serviceTimeDiagnostics("{mean: 1ms}"),
            "v.yaml:2:24: error: backend.serviceTime.distribution: missing required field\n");
  EXPECT_EQ(serviceTimeDiagnostics("{distribution: lognormal, mean: 1ms}"),
            "v.yaml:2:24: error: backend.serviceTime.stddev: missing required field\n");
  EXPECT_EQ(serviceTimeDiagnostics("{distribution: pareto, mean: 1ms}"),
            "v.yaml:2:39: error: backend.serviceTime.distribution: unknown distribution "
            "\"pareto\"; expected constant, uniform, exponential or lognormal\n");
  EXPECT_EQ(serviceTimeDiagnostics("5"),
            "v.yaml:2:24: error: backend.serviceTime: expected a duration such as 250ms, 30s or "
            "1m30s (time: missing unit in duration \"5\")\n");
  EXPECT_EQ(serviceTimeDiagnostics("{distribution: exponential, mean: 1ms, stddev: 1ms}"),
            "v.yaml:2:71: warning: backend.serviceTime.stddev: does not apply to a exponential "
            "distribution; ignored\n");
}

TEST(ScenarioValues, EveryArrivalProcess) {
  using Kind = ArrivalProcess::Kind;
  auto poisson = population("    arrival: {process: poisson, rate: 50/s, start: 1s}\n").arrival;
  EXPECT_EQ(poisson.kind, Kind::kPoisson);
  EXPECT_DOUBLE_EQ(poisson.rate_per_s, 50);
  EXPECT_EQ(poisson.start, TimePoint() + Duration::seconds(1));
  auto constant = population("    arrival: {process: constant, rate: 2}\n").arrival;
  EXPECT_EQ(constant.kind, Kind::kConstant);
  EXPECT_DOUBLE_EQ(constant.rate_per_s, 2);
  auto burst = population("    clients: 10\n    arrival: {process: burst, at: 250ms}\n").arrival;
  EXPECT_EQ(burst.kind, Kind::kBurst);
  EXPECT_EQ(burst.start, TimePoint() + Duration::milliseconds(250));
  auto burst_start = population("    arrival: {process: burst, start: 1s}\n").arrival;
  EXPECT_EQ(burst_start.start, TimePoint() + Duration::seconds(1));  // start is at's synonym
  EXPECT_EQ(populationDiagnostics("    arrival: {process: burst, at: 1s, start: 2s}\n"),
            "v.yaml:5:35: error: populations[0].arrival.at: give at or start, not both (they mean "
            "the same for a burst)\n");
  auto ramp = population("    arrival: {process: ramp, from: 0, to: 100/s, over: 30s, start: 5s}\n")
                  .arrival;
  EXPECT_EQ(ramp.kind, Kind::kRamp);
  EXPECT_DOUBLE_EQ(ramp.ramp_from_per_s, 0);
  EXPECT_DOUBLE_EQ(ramp.ramp_to_per_s, 100);
  EXPECT_EQ(ramp.ramp_over, Duration::seconds(30));
  EXPECT_EQ(ramp.start, TimePoint() + Duration::seconds(5));
  auto traced = population("    clients: 3\n    arrival: {process: trace, times: [1s, 1s, 2s]}\n");
  EXPECT_EQ(traced.arrival.kind, Kind::kTrace);
  EXPECT_EQ(traced.clients, 3u);
  EXPECT_EQ(traced.arrival.trace.size(), 3u);
}

TEST(ScenarioValues, ArrivalParametersOfAnotherProcessWarn) {
  EXPECT_EQ(populationDiagnostics("    arrival: {process: burst, rate: 5/s}\n"),
            "v.yaml:5:37: warning: populations[0].arrival.rate: does not apply to process burst; "
            "ignored\n");
  EXPECT_EQ(populationDiagnostics("    arrival: {process: ramp, from: 0, to: 0, over: 1s}\n"),
            "v.yaml:5:43: error: populations[0].arrival.to: from and to are both zero; no client "
            "would ever arrive\n");
  EXPECT_EQ(populationDiagnostics(
                "    clients: 100\n    arrival: {process: ramp, from: 4/s, to: 0, over: 10s}\n"),
            "v.yaml:6:45: warning: populations[0].arrival.to: the ramp ends at 0/s after about 20 "
            "of the 100 clients; the rest have no arrival rate left\n");
  EXPECT_EQ(populationDiagnostics("    arrival: {process: ramp, from: 1, to: 2}\n"),
            "v.yaml:5:14: error: populations[0].arrival.over: missing required field\n");
  EXPECT_EQ(populationDiagnostics("    arrival: {process: trace, times: []}\n"),
            "v.yaml:5:38: error: populations[0].arrival.times: must list at least one arrival "
            "time\n");
  EXPECT_EQ(populationDiagnostics("    arrival: {process: poisson, rate: 0/s}\n"),
            "v.yaml:5:39: error: populations[0].arrival.rate: must be greater than zero\n");
}

TEST(ScenarioValues, RateUnits) {
  EXPECT_DOUBLE_EQ(rate("1000/s"), 1000);
  EXPECT_DOUBLE_EQ(rate("30/min"), 0.5);
  EXPECT_DOUBLE_EQ(rate("7200/h"), 2);
  EXPECT_DOUBLE_EQ(rate("12.5"), 12.5);
  EXPECT_DOUBLE_EQ(rate("2.5/s"), 2.5);
  EXPECT_DOUBLE_EQ(rate("1e3/min"), 1000.0 / 60);
  for (const char* bad : {"5/sec", "fast", "-1/s", "/s", "5/", "1,000/s", "inf", "0x10/s"}) {
    EXPECT_NE(populationDiagnostics(std::string("    arrival: {process: constant, rate: \"") + bad +
                                    "\"}\n")
                  .find(": error: populations[0].arrival.rate: "),
              std::string::npos)
        << bad;
  }
}

TEST(ScenarioValues, BandwidthUnits) {
  EXPECT_EQ(bandwidth("1Gbps"), 1'000'000'000u);
  EXPECT_EQ(bandwidth("100Mbps"), 100'000'000u);
  EXPECT_EQ(bandwidth("512kbps"), 512'000u);
  EXPECT_EQ(bandwidth("512Kbps"), 512'000u);
  EXPECT_EQ(bandwidth("2.5Mbps"), 2'500'000u);
  EXPECT_EQ(bandwidth("1500bps"), 1500u);
  EXPECT_EQ(bandwidth("1000000"), 1'000'000u);
  EXPECT_EQ(bandwidth("0"), 0u);
  EXPECT_EQ(bandwidth("10Tbps"), 10'000'000'000'000u);
  for (const char* bad : {"1GB", "10 Mbps", "-1Gbps", "Gbps", "1Gbit", "fast"}) {
    auto r = loadValues(std::string("name: v\nnetwork: {bandwidth: \"") + bad +
                        "\"}\npopulations: [{name: a}]\n");
    EXPECT_EQ(joined(r),
              std::string("v.yaml:2:22: error: network.bandwidth: expected bits per "
                          "second such as 1Gbps, 100Mbps, 512kbps or 1000000, found \"") +
                  bad + "\"\n");
  }
}

TEST(ScenarioValues, TimestampsAcceptOffsetsAndFractions) {
  auto at = [](const std::string& text) {
    auto r = loadValues("name: v\nnow: " + text + "\npopulations: [{name: a}]\n");
    EXPECT_TRUE(r.ok()) << joined(r);
    return r.scenario.now;
  };
  EXPECT_EQ(at("2026-06-01T00:00:00Z"), TimePoint::fromUnixSeconds(1'780'272'000));
  EXPECT_EQ(at("2026-06-01T02:00:00+02:00"), TimePoint::fromUnixSeconds(1'780'272'000));
  EXPECT_EQ(at("2026-05-31T23:30:00-00:30"), TimePoint::fromUnixSeconds(1'780'272'000));
  EXPECT_EQ(at("2026-06-01T00:00:00.25Z"),
            TimePoint::fromUnixSeconds(1'780'272'000) + Duration::milliseconds(250));
  EXPECT_EQ(at("2028-02-29T00:00:00Z"), TimePoint::fromUnixSeconds(1'835'395'200));
  EXPECT_EQ(at("1970-01-01T00:00:00Z"), TimePoint());
}

TEST(ScenarioValues, AddressRanges) {
  EXPECT_EQ(population("    source: {cidr: 192.168.0.0/16}\n").source.cidr, "192.168.0.0/16");
  EXPECT_EQ(population("    source: {cidr: \"::/0\"}\n").source.cidr, "::/0");
  EXPECT_EQ(population("    source: {cidr: 203.0.113.7/32, assign: sequential}\n").source.cidr,
            "203.0.113.7/32");
  EXPECT_EQ(populationDiagnostics("    source: {cidr: 10.1.2.3/8}\n"),
            "v.yaml:5:20: warning: populations[0].source.cidr: address has host bits set below "
            "the /8 prefix; the range is 10.0.0.0/8\n");
  EXPECT_EQ(population("    source: {cidr: 203.0.113.9}\n").source.cidr, "203.0.113.9");
}

TEST(ScenarioValues, KeepaliveDefaultsAreWholeSeconds) {
  auto r =
      loadValues("name: v\nhost: {keepaliveDefaults: {idle: 1500ms}}\npopulations: [{name: a}]\n");
  EXPECT_EQ(joined(r),
            "v.yaml:2:34: error: host.keepaliveDefaults.idle: must be a whole number of seconds "
            "(the kernel setting is in seconds), found 1.5s\n");
  auto ok = loadValues(
      "name: v\nhost: {keepaliveDefaults: {idle: 2m, probes: 4}}\npopulations: [{name: a}]\n");
  ASSERT_TRUE(ok.ok()) << joined(ok);
  EXPECT_EQ(ok.scenario.host.keepalive_idle_s, 120u);
  EXPECT_EQ(ok.scenario.host.keepalive_interval_s, 75u);
  EXPECT_EQ(ok.scenario.host.keepalive_probes, 4u);
}

TEST(ScenarioValues, RequestTemplateIsValidated) {
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {headers: {\"bad name\": x}}}\n"),
            "v.yaml:5:36: error: populations[0].behavior.request.headers.bad name: \"bad name\" is "
            "not a valid header name\n");
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {headers: [{value: x}]}}\n"),
            "v.yaml:5:36: error: populations[0].behavior.request.headers[0].name: missing "
            "required field\n");
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {method: \"GE T\"}}\n"),
            "v.yaml:5:34: error: populations[0].behavior.request.method: \"GE T\" is not a valid "
            "HTTP method\n");
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {path: \"/a b\"}}\n"),
            "v.yaml:5:32: error: populations[0].behavior.request.path: must be non-empty without "
            "spaces or control characters\n");
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {headers: {Host: a.example}}}\n"),
            "v.yaml:5:35: warning: populations[0].behavior.request.headers: sets Host, which the "
            "client also sends; both go out\n");
  EXPECT_EQ(populationDiagnostics("    behavior: {request: {headers: {content-length: 5}}}\n"), "");
  EXPECT_NE(populationDiagnostics(
                "    behavior: {request: {headers: {Transfer-Encoding: x}, chunked: true}}\n")
                .find("sets Transfer-Encoding, which the client also sends"),
            std::string::npos);
  auto numeric = population("    behavior: {request: {headers: {x-count: 5, x-empty: }}}\n");
  const std::vector<std::pair<std::string, std::string>> expected = {{"x-count", "5"},
                                                                     {"x-empty", ""}};
  EXPECT_EQ(numeric.behavior.request.headers, expected);
}

TEST(ScenarioValues, RetryBackoffsMustBeOrdered) {
  EXPECT_EQ(populationDiagnostics("    retry: {maxAttempts: 2, backoff: 5s, maxBackoff: 1s}\n"),
            "v.yaml:5:54: error: populations[0].retry.maxBackoff: maxBackoff (1s) is less than "
            "backoff (5s)\n");
  EXPECT_EQ(populationDiagnostics("    retry: {maxAttempts: 2, backoff: 30s}\n"),
            "v.yaml:5:38: error: populations[0].retry.backoff: maxBackoff (10s) is less than "
            "backoff (30s)\n");
  EXPECT_EQ(populationDiagnostics("    retry: {backoff: 1s}\n"),
            "v.yaml:5:22: warning: populations[0].retry.backoff: has no effect: maxAttempts is 1 "
            "(no retries)\n");
}

TEST(ScenarioValues, PopulationNetworkOverridesFieldByField) {
  auto r = loadValues(
      "name: v\nnetwork: {latency: 3ms, loss: 0.01}\npopulations:\n"
      "  - name: far\n    network: {latency: 80ms}\n  - name: near\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_EQ(r.scenario.populations.size(), 2u);
  ASSERT_TRUE(r.scenario.populations[0].link.has_value());
  EXPECT_EQ(r.scenario.populations[0].link->latency, Duration::milliseconds(80));
  EXPECT_DOUBLE_EQ(r.scenario.populations[0].link->loss, 0.01);
  EXPECT_FALSE(r.scenario.populations[1].link.has_value());
}

TEST(ScenarioValues, InlineLiteralBlockKeepsScenarioLineNumbers) {
  const std::string text =
      "name: v\n"
      "populations: [{name: a}]\n"
      "resources:\n"
      "  - inline: |\n"
      "      apiVersion: gateway.envoyproxy.io/v1alpha1\n"
      "      kind: ClientTrafficPolicy\n"
      "      metadata: {name: p, namespace: ns}\n"
      "      spec:\n"
      "        targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: g}]\n"
      "        timeout: {http: {idleTimeut: 5s}}\n";
  auto r = loadValues(text);
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_EQ(r.scenario.inline_resources.size(), 1u);
  const auto& [label, body] = r.scenario.inline_resources[0];
  policy::LoadResult policy_result;
  policy::loadText(body, label, policy_result);
  ASSERT_FALSE(policy_result.diagnostics.all().empty());
  const auto& d = policy_result.diagnostics.all()[0];
  EXPECT_EQ(d.location.file, "v.yaml");
  EXPECT_EQ(d.location.line, 10);  // the idleTimeut line of the scenario file
  EXPECT_NE(d.field.find("idleTimeut"), std::string::npos) << policy::formatDiagnostic(d);
}

}  // namespace
}  // namespace ctplab::sim::scenario
