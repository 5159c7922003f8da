// The scenario loader end to end: a full file into structs, resource paths, and the one-line
// file:line:col diagnostics for each class of bad input.
#include "ctplab/simulator/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

const std::string kDataDir = std::string(CTPLAB_SOURCE_DIR) + "/simulator/tests/scenario/data";

// A valid scenario's head; tests append one population or override a field.
constexpr const char* kHead = "name: t\nduration: 10s\npopulations:\n";

using loader_test::diagnosticLines;
using loader_test::joined;
using loader_test::load;

// Exactly one diagnostic, and it is this line.
void expectOnly(const std::string& text, const std::string& expected) {
  auto r = load(text);
  auto l = diagnosticLines(r);
  ASSERT_EQ(l.size(), 1u) << joined(r);
  EXPECT_EQ(l[0], expected);
}

TEST(ScenarioLoader, FullFileRoundTripsIntoStructs) {
  auto r = loadScenarioFile(kDataDir + "/full.yaml");
  ASSERT_TRUE(r.ok()) << joined(r);
  EXPECT_TRUE(r.diagnostics.all().empty()) << joined(r);
  const Scenario& s = r.scenario;
  EXPECT_EQ(s.file, kDataDir + "/full.yaml");
  EXPECT_EQ(s.name, "flood-shared-http-port");
  EXPECT_EQ(s.description, "Bots flood the shared HTTP port while browsers keep using it.");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.duration, Duration::seconds(90));
  EXPECT_EQ(s.now, TimePoint::fromUnixSeconds(1'780'272'000 + 12 * 3600 + 30 * 60));
  EXPECT_EQ(s.gateway, "shop/edge");
  ASSERT_EQ(s.resource_files.size(), 1u);
  EXPECT_EQ(s.resource_files[0],
            std::string(CTPLAB_SOURCE_DIR) + "/scenarios/examples/gateway-with-policies.yaml");
  ASSERT_EQ(s.inline_resources.size(), 1u);
  EXPECT_EQ(s.inline_resources[0].first, s.file);
  // Padded so the policy loader's line numbers are the scenario file's (kind: is on line 12).
  EXPECT_EQ(s.inline_resources[0].second.find("kind: ClientTrafficPolicy"),
            std::string(10, '\n').size() +
                std::string("apiVersion: gateway.envoyproxy.io/v1alpha1\n").size());

  EXPECT_EQ(s.network.latency, Duration::milliseconds(2));
  EXPECT_EQ(s.network.jitter, Duration::microseconds(500));
  EXPECT_EQ(s.network.bandwidth_bps, 1'000'000'000u);
  EXPECT_DOUBLE_EQ(s.network.loss, 0.001);
  EXPECT_EQ(s.host.listen_backlog, 1024u);
  EXPECT_EQ(s.host.accept_cost, Duration::microseconds(20));
  EXPECT_EQ(s.host.tls_handshake_cost, Duration::milliseconds(2));
  EXPECT_EQ(s.host.tls_handshakes, GatewayHostProfile::TlsFidelity::kFull);
  EXPECT_EQ(s.host.tls_cost_rsa, Duration::microseconds(500));
  EXPECT_EQ(s.host.keepalive_idle_s, 60u);
  EXPECT_EQ(s.host.keepalive_interval_s, 10u);
  EXPECT_EQ(s.host.keepalive_probes, 3u);
  EXPECT_EQ(s.backend.service_time.kind, DurationDistribution::Kind::kLognormal);
  EXPECT_EQ(s.backend.service_time.mean, Duration::milliseconds(5));
  EXPECT_EQ(s.backend.service_time.stddev, Duration::milliseconds(2));
  EXPECT_EQ(s.backend.concurrency, 100u);
  EXPECT_EQ(s.backend.queue_limit, 50u);
  EXPECT_EQ(s.backend.response_bytes, 512u);
  EXPECT_EQ(s.outputs.bucket, Duration::milliseconds(500));
  EXPECT_TRUE(s.outputs.records);

  ASSERT_EQ(s.populations.size(), 5u);
  const Population& bots = s.populations[0];
  EXPECT_EQ(bots.name, "bots");
  EXPECT_EQ(bots.location.file, s.file);
  EXPECT_EQ(bots.location.line, 34);
  EXPECT_EQ(bots.location.column, 5);
  EXPECT_EQ(bots.clients, 50000u);
  EXPECT_EQ(bots.arrival.kind, ArrivalProcess::Kind::kPoisson);
  EXPECT_DOUBLE_EQ(bots.arrival.rate_per_s, 1000);
  EXPECT_EQ(bots.arrival.start, TimePoint() + Duration::seconds(5));
  EXPECT_EQ(bots.target.port, 80u);
  EXPECT_EQ(bots.target.host, "www.example.com");
  EXPECT_EQ(bots.target.sni, "");
  EXPECT_EQ(bots.source.cidr, "10.0.0.0/8");
  EXPECT_TRUE(bots.source.random);
  ASSERT_TRUE(bots.link.has_value());
  EXPECT_EQ(bots.link->latency, Duration::milliseconds(20));
  EXPECT_EQ(bots.link->jitter, Duration::microseconds(500));  // inherited
  EXPECT_EQ(bots.link->bandwidth_bps, 10'000'000u);
  EXPECT_DOUBLE_EQ(bots.link->loss, 0.001);  // inherited
  const Behavior& b = bots.behavior;
  EXPECT_EQ(b.kind, Behavior::Kind::kRequests);
  EXPECT_EQ(b.connections, 2u);
  EXPECT_EQ(b.requests_per_connection, 10u);
  EXPECT_EQ(b.think_time.kind, DurationDistribution::Kind::kExponential);
  EXPECT_EQ(b.think_time.mean, Duration::milliseconds(100));
  EXPECT_EQ(b.request_timeout, Duration::seconds(30));
  EXPECT_EQ(b.request.method, "POST");
  EXPECT_EQ(b.request.path, "/api/orders");
  EXPECT_EQ(b.request.host, "api.example.com");
  const std::vector<std::pair<std::string, std::string>> bot_headers = {
      {"x-client", "bot"}, {"content-type", "application/json"}};
  EXPECT_EQ(b.request.headers, bot_headers);  // document order
  EXPECT_EQ(b.request.body_bytes, 2048u);
  EXPECT_TRUE(b.request.chunked);
  EXPECT_EQ(bots.retry.max_attempts, 3u);
  EXPECT_EQ(bots.retry.backoff_base, Duration::milliseconds(200));
  EXPECT_EQ(bots.retry.backoff_max, Duration::seconds(5));
  EXPECT_FALSE(bots.retry.jitter);

  const Population& browsers = s.populations[1];
  EXPECT_EQ(browsers.clients, 4u);  // from the trace
  EXPECT_EQ(browsers.arrival.kind, ArrivalProcess::Kind::kTrace);
  const std::vector<Duration> trace = {Duration(), Duration::milliseconds(10),
                                       Duration::milliseconds(10), Duration::seconds(1)};
  EXPECT_EQ(browsers.arrival.trace, trace);
  EXPECT_EQ(browsers.target.port, 443u);
  EXPECT_EQ(browsers.target.sni, "www.example.com");
  EXPECT_EQ(browsers.source.cidr, "2001:db8::/64");
  EXPECT_FALSE(browsers.source.random);
  EXPECT_FALSE(browsers.link.has_value());
  EXPECT_EQ(browsers.behavior.kind, Behavior::Kind::kHold);
  EXPECT_EQ(browsers.behavior.hold_for, Duration::seconds(45));
  EXPECT_TRUE(browsers.behavior.hold_sends_request);
  const std::vector<std::pair<std::string, std::string>> browser_headers = {{"x-trace", "1"},
                                                                            {"x-trace", "2"}};
  EXPECT_EQ(browsers.behavior.request.headers, browser_headers);
  EXPECT_EQ(browsers.behavior.request.method, "GET");
  EXPECT_EQ(browsers.behavior.request.path, "/");

  const Population& slow = s.populations[2];
  EXPECT_EQ(slow.arrival.kind, ArrivalProcess::Kind::kRamp);
  EXPECT_DOUBLE_EQ(slow.arrival.ramp_from_per_s, 1);
  EXPECT_DOUBLE_EQ(slow.arrival.ramp_to_per_s, 0.5);
  EXPECT_EQ(slow.arrival.ramp_over, Duration::seconds(10));
  EXPECT_EQ(slow.behavior.kind, Behavior::Kind::kSlowloris);
  EXPECT_EQ(slow.behavior.drip_bytes, 3u);
  EXPECT_EQ(slow.behavior.drip_interval, Duration::seconds(2));
  EXPECT_TRUE(slow.behavior.drip_completes);

  const Population& ghosts = s.populations[3];
  EXPECT_EQ(ghosts.arrival.kind, ArrivalProcess::Kind::kBurst);
  EXPECT_EQ(ghosts.arrival.start, TimePoint() + Duration::seconds(2));
  EXPECT_EQ(ghosts.behavior.kind, Behavior::Kind::kVanish);

  const Population& steady = s.populations[4];
  EXPECT_EQ(steady.arrival.kind, ArrivalProcess::Kind::kConstant);
  EXPECT_DOUBLE_EQ(steady.arrival.rate_per_s, 10);
  EXPECT_EQ(steady.arrival.start, TimePoint());
}

TEST(ScenarioLoader, MinimalScenarioKeepsDefaults) {
  auto r = load("name: tiny\npopulations:\n  - name: one\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  EXPECT_TRUE(r.diagnostics.all().empty()) << joined(r);
  const Scenario& s = r.scenario;
  const Scenario defaults;
  EXPECT_EQ(s.file, "s.yaml");
  EXPECT_EQ(s.seed, defaults.seed);
  EXPECT_EQ(s.duration, defaults.duration);
  EXPECT_EQ(s.now, defaults.now);
  EXPECT_EQ(s.network.latency, defaults.network.latency);
  EXPECT_EQ(s.host.listen_backlog, defaults.host.listen_backlog);
  EXPECT_EQ(s.backend.service_time.mean, defaults.backend.service_time.mean);
  EXPECT_EQ(s.backend.response_bytes, defaults.backend.response_bytes);
  EXPECT_EQ(s.outputs.bucket, defaults.outputs.bucket);
  ASSERT_EQ(s.populations.size(), 1u);
  const Population& p = s.populations[0];
  EXPECT_EQ(p.clients, 1u);
  EXPECT_EQ(p.arrival.kind, ArrivalProcess::Kind::kBurst);
  EXPECT_EQ(p.arrival.start, TimePoint());
  EXPECT_EQ(p.behavior.kind, Behavior::Kind::kRequests);
  EXPECT_EQ(p.target.port, 80u);
  EXPECT_EQ(p.source.cidr, "10.0.0.0/8");
  EXPECT_EQ(p.retry.max_attempts, 1u);
  EXPECT_EQ(p.location.line, 3);
}

TEST(ScenarioLoader, ResourceFilesResolveAgainstTheScenarioDirectory) {
  auto r = loadScenarioText(std::string(kHead) +
                                "  - name: a\nresources:\n  - file: ../gw.yaml\n"
                                "  - file: sub/./x.yaml\n  - file: /abs/y.yaml\n",
                            "scenarios/s.yaml", "scenarios/floods");
  ASSERT_TRUE(r.ok()) << joined(r);
  const std::vector<std::string> expected = {"scenarios/gw.yaml", "scenarios/floods/sub/x.yaml",
                                             "/abs/y.yaml"};
  EXPECT_EQ(r.scenario.resource_files, expected);
  auto here = loadScenarioText(std::string(kHead) + "  - name: a\nresources: [{file: gw.yaml}]\n",
                               "s.yaml", "");
  ASSERT_TRUE(here.ok()) << joined(here);
  EXPECT_EQ(here.scenario.resource_files, std::vector<std::string>{"gw.yaml"});
}

TEST(ScenarioLoader, InlineResourcesInFlowFormAreLabelledByEntry) {
  auto r = load(std::string(kHead) +
                "  - name: a\nresources:\n  - inline: \"kind: Gateway\\nmetadata: {name: g}\"\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_EQ(r.scenario.inline_resources.size(), 1u);
  EXPECT_EQ(r.scenario.inline_resources[0].first, "s.yaml (resources[0].inline)");
  EXPECT_EQ(r.scenario.inline_resources[0].second, "kind: Gateway\nmetadata: {name: g}");
}

TEST(ScenarioLoader, ResourceEntryNeedsExactlyOneOfFileAndInline) {
  expectOnly(std::string(kHead) + "  - name: a\nresources:\n  - {file: a.yaml, inline: x}\n",
             "s.yaml:6:5: error: resources[0]: give exactly one of file or inline");
  expectOnly(std::string(kHead) + "  - name: a\nresources:\n  - {}\n",
             "s.yaml:6:5: error: resources[0]: give exactly one of file or inline");
}

TEST(ScenarioLoader, UnknownKeyIsAnErrorWithASuggestion) {
  expectOnly(std::string(kHead) + "  - name: a\n    behavior:\n      requestTimout: 5s\n",
             "s.yaml:6:7: error: populations[0].behavior.requestTimout: unknown field "
             "\"requestTimout\"; did you mean \"requestTimeout\"?");
  expectOnly("name: t\nseed: 1\nfoo: 2\npopulations: [{name: a}]\n",
             "s.yaml:3:1: error: foo: unknown field \"foo\"");
}

TEST(ScenarioLoader, KeysAreCaseSensitive) {
  expectOnly("name: t\nDuration: 5s\npopulations: [{name: a}]\n",
             "s.yaml:2:1: error: Duration: unknown field \"Duration\"; did you mean \"duration\"?");
}

TEST(ScenarioLoader, RepeatedKeyIsAnError) {
  expectOnly("name: t\nseed: 1\nseed: 2\npopulations: [{name: a}]\n",
             "s.yaml:3:1: error: seed: field \"seed\" is given more than once");
}

TEST(ScenarioLoader, WrongTypeIsAnError) {
  expectOnly("name: t\nseed: many\npopulations: [{name: a}]\n",
             "s.yaml:2:7: error: seed: expected an integer, found \"many\"");
  expectOnly("name: t\nnetwork: [1ms]\npopulations: [{name: a}]\n",
             "s.yaml:2:10: error: network: expected a mapping, found a list");
  expectOnly(std::string(kHead) + "  - name: a\n    behavior: {kind: hold, sendRequest: maybe}\n",
             "s.yaml:5:41: error: populations[0].behavior.sendRequest: expected a boolean (true "
             "or false), found \"maybe\"");
  expectOnly("name: t\npopulations: {name: a}\n",
             "s.yaml:2:14: error: populations: expected a list, found a mapping");
}

TEST(ScenarioLoader, ZeroAndNegativeValuesAreRejectedWhereNotAllowed) {
  expectOnly("name: t\nduration: 0s\npopulations: [{name: a}]\n",
             "s.yaml:2:11: error: duration: must be greater than zero");
  expectOnly("name: t\nnetwork: {latency: -1ms}\npopulations: [{name: a}]\n",
             "s.yaml:2:20: error: network.latency: must not be negative, found -1ms");
  expectOnly(std::string(kHead) + "  - name: a\n    clients: 0\n",
             "s.yaml:5:14: error: populations[0].clients: must be at least 1, found 0");
  expectOnly(std::string(kHead) + "  - name: a\n    target: {port: 70000}\n",
             "s.yaml:5:20: error: populations[0].target.port: must be between 1 and 65535, "
             "found 70000");
  expectOnly("name: t\nnetwork: {loss: 1.5}\npopulations: [{name: a}]\n",
             "s.yaml:2:17: error: network.loss: must be between 0 and 1, found 1.5");
}

TEST(ScenarioLoader, BadEnumsNameTheChoices) {
  expectOnly(std::string(kHead) + "  - name: a\n    behavior: {kind: flood}\n",
             "s.yaml:5:22: error: populations[0].behavior.kind: unknown behavior kind \"flood\"; "
             "expected requests, hold, slowloris or vanish");
  expectOnly(std::string(kHead) + "  - name: a\n    arrival: {process: gaussian}\n",
             "s.yaml:5:24: error: populations[0].arrival.process: unknown arrival process "
             "\"gaussian\"; expected poisson, constant, burst, ramp or trace");
  expectOnly(std::string(kHead) + "  - name: a\n    source: {assign: roundrobin}\n",
             "s.yaml:5:22: error: populations[0].source.assign: unknown assignment "
             "\"roundrobin\"; expected sequential or random");
}

TEST(ScenarioLoader, BadCidrIsAnError) {
  for (const char* bad :
       {"10.0.0.0/33", "10.0.0.256", "10.0.0/8", "fe80::/129", "10.0.0.0/08", "10.0.0.0/", "x/8"}) {
    auto r = load(std::string(kHead) + "  - name: a\n    source: {cidr: \"" + bad + "\"}\n");
    auto l = diagnosticLines(r);
    ASSERT_EQ(l.size(), 1u) << bad << "\n" << joined(r);
    EXPECT_EQ(l[0], std::string("s.yaml:5:20: error: populations[0].source.cidr: expected an "
                                "address range such as 10.0.0.0/8 or 2001:db8::/32, found \"") +
                        bad + "\"");
  }
}

TEST(ScenarioLoader, UnsortedTraceIsAnErrorAtTheOutOfOrderTime) {
  expectOnly(std::string(kHead) +
                 "  - name: a\n    arrival:\n      process: trace\n      times:\n"
                 "        - 0s\n        - 20ms\n        - 10ms\n",
             "s.yaml:10:11: error: populations[0].arrival.times[2]: arrival times must be "
             "ascending: 10ms comes after 20ms");
}

TEST(ScenarioLoader, TraceLengthMustMatchClients) {
  expectOnly(std::string(kHead) +
                 "  - name: a\n    clients: 3\n    arrival: {process: trace, times: [0s, 1s]}\n",
             "s.yaml:6:38: error: populations[0].arrival.times: lists 2 arrival times but "
             "clients is 3; give one time per client or leave clients out");
}

TEST(ScenarioLoader, DuplicatePopulationNamesAreAnError) {
  expectOnly(std::string(kHead) + "  - name: bots\n  - name: web\n  - name: bots\n",
             "s.yaml:6:11: error: populations[2].name: duplicate population name \"bots\" (first "
             "declared at line 4)");
}

TEST(ScenarioLoader, MissingRequiredFieldsAreErrors) {
  expectOnly("populations: [{name: a}]\n", "s.yaml:1:1: error: name: missing required field");
  expectOnly("name: t\n", "s.yaml:1:1: error: populations: missing required field");
  expectOnly("name: t\npopulations: []\n",
             "s.yaml:2:14: error: populations: must list at least one population");
  expectOnly(std::string(kHead) + "  - clients: 3\n",
             "s.yaml:4:5: error: populations[0].name: missing required field");
  expectOnly(std::string(kHead) + "  - name: a\n    arrival: {process: poisson}\n",
             "s.yaml:5:14: error: populations[0].arrival.rate: missing required field");
  expectOnly(std::string(kHead) + "  - name: a\n    arrival: {rate: 5/s}\n",
             "s.yaml:5:14: error: populations[0].arrival.process: missing required field");
}

TEST(ScenarioLoader, MalformedYamlNamesTheLine) {
  auto r = load("name: t\npopulations:\n  - name: [a, b\n  - name: c\n");
  auto l = diagnosticLines(r);
  ASSERT_EQ(l.size(), 1u) << joined(r);
  EXPECT_EQ(l[0].rfind("s.yaml:4:", 0), 0u) << l[0];
  EXPECT_NE(l[0].find(": error: malformed YAML: "), std::string::npos) << l[0];
  EXPECT_FALSE(r.ok());
}

TEST(ScenarioLoader, EmptyOrNonMappingDocumentIsAnError) {
  expectOnly("", "s.yaml: error: empty file: expected a scenario");
  expectOnly("# only a comment\n", "s.yaml: error: empty file: expected a scenario");
  expectOnly("- a\n- b\n",
             "s.yaml:1:1: error: expected a scenario (a mapping of name, populations, ...)");
  expectOnly("name: t\npopulations: [{name: a}]\n---\nname: u\n",
             "s.yaml:4:1: error: a scenario file holds one YAML document; found 2");
}

TEST(ScenarioLoader, AManifestIsNotAScenario) {
  auto r = loadScenarioFile(std::string(CTPLAB_SOURCE_DIR) +
                            "/scenarios/examples/gateway-with-policies.yaml");
  ASSERT_EQ(r.diagnostics.all().size(), 1u) << joined(r);
  EXPECT_NE(diagnosticLines(r)[0].find(
                ":4:1: error: this is a Kubernetes manifest, not a scenario; list it "
                "under a scenario's resources"),
            std::string::npos)
      << diagnosticLines(r)[0];
}

TEST(ScenarioLoader, UnreadableFileIsAnError) {
  auto r = loadScenarioFile(kDataDir + "/does-not-exist.yaml");
  ASSERT_EQ(diagnosticLines(r).size(), 1u);
  EXPECT_EQ(diagnosticLines(r)[0], kDataDir + "/does-not-exist.yaml: error: cannot open file");
  auto dir = loadScenarioFile(kDataDir);
  ASSERT_EQ(diagnosticLines(dir).size(), 1u);
  EXPECT_EQ(diagnosticLines(dir)[0], kDataDir + ": error: is a directory, not a scenario file");
}

TEST(ScenarioLoader, GatewayMustBeNamespaceSlashName) {
  expectOnly("name: t\ngateway: eg\npopulations: [{name: a}]\n",
             "s.yaml:2:10: error: gateway: expected <namespace>/<name>, found \"eg\"");
  expectOnly("name: t\ngateway: a/b/c\npopulations: [{name: a}]\n",
             "s.yaml:2:10: error: gateway: expected <namespace>/<name>, found \"a/b/c\"");
}

TEST(ScenarioLoader, BadTimestampIsAnError) {
  for (const char* bad : {"2026-02-30T00:00:00Z", "2026-06-01 00:00:00Z", "2026-06-01T00:00:00",
                          "2026-06-01T24:00:00Z", "yesterday"}) {
    auto r = load(std::string("name: t\nnow: \"") + bad + "\"\npopulations: [{name: a}]\n");
    auto l = diagnosticLines(r);
    ASSERT_EQ(l.size(), 1u) << bad << "\n" << joined(r);
    EXPECT_EQ(l[0], std::string("s.yaml:2:6: error: now: expected an RFC 3339 time such as "
                                "2026-06-01T00:00:00Z, found \"") +
                        bad + "\"");
  }
}

TEST(ScenarioLoader, SuspiciousButLegalSettingsWarn) {
  auto r = load(std::string(kHead) +
                "  - name: a\n    behavior: {kind: hold, requestsPerConnection: 5}\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_EQ(diagnosticLines(r).size(), 1u) << joined(r);
  EXPECT_EQ(diagnosticLines(r)[0],
            "s.yaml:5:51: warning: populations[0].behavior.requestsPerConnection: does not apply "
            "to kind hold; ignored");

  auto late = load(std::string(kHead) +
                   "  - name: a\n    clients: 1000\n    arrival: {process: poisson, rate: 10/s}\n");
  ASSERT_TRUE(late.ok()) << joined(late);
  ASSERT_EQ(diagnosticLines(late).size(), 1u) << joined(late);
  EXPECT_EQ(diagnosticLines(late)[0],
            "s.yaml:6:39: warning: populations[0].arrival.rate: at 10/s about 100 of the 1000 "
            "clients arrive before the scenario ends (duration 10s)");

  auto never = load(std::string(kHead) + "  - name: a\n    arrival: {process: burst, at: 1m}\n");
  ASSERT_EQ(diagnosticLines(never).size(), 1u) << joined(never);
  EXPECT_EQ(diagnosticLines(never)[0],
            "s.yaml:5:35: warning: populations[0].arrival.at: no client arrives before the "
            "scenario ends (duration 10s)");

  auto unsent =
      load(std::string(kHead) + "  - name: a\n    behavior: {kind: hold, request: {path: /x}}\n");
  ASSERT_EQ(diagnosticLines(unsent).size(), 1u) << joined(unsent);
  EXPECT_NE(diagnosticLines(unsent)[0].find("request: is never sent: sendRequest is false"),
            std::string::npos);
}

TEST(ScenarioLoader, AliasesWorkAndMergeKeysAreRejected) {
  auto r = load(std::string(kHead) +
                "  - name: a\n    behavior: &slow {kind: hold, holdFor: 5s}\n"
                "  - name: b\n    behavior: *slow\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  ASSERT_EQ(r.scenario.populations.size(), 2u);
  EXPECT_EQ(r.scenario.populations[1].behavior.hold_for, Duration::seconds(5));
  expectOnly(std::string(kHead) +
                 "  - name: a\n    behavior: &slow {kind: hold}\n"
                 "  - name: b\n    behavior: {<<: *slow}\n",
             "s.yaml:7:16: error: populations[1].behavior.<<: YAML merge keys are not supported; "
             "alias a whole mapping (*name) instead");
}

TEST(ScenarioLoader, DeeplyNestedYamlIsAnError) {
  auto r = load("name: " + std::string(100000, '[') + "\n");
  ASSERT_EQ(diagnosticLines(r).size(), 1u) << joined(r);
  EXPECT_NE(diagnosticLines(r)[0].find("error: malformed YAML: nested too deeply"),
            std::string::npos);
}

TEST(ScenarioLoader, NeverThrowsOnOddYamlShapes) {
  for (const char* text :
       {"? [a, b]\n: c\n", "name: &x t\npopulations: [{name: *x}]\n", "name: !!binary abc\n",
        "name: t\npopulations:\n  - ? {x: 1}\n    : 2\n", "name: t\npopulations: [~]\n",
        "name: t\npopulations: [[[]]]\n", "\t", "name: t\nresources: [~, 5, [x]]\n",
        "name: t\npopulations: [{name: a, arrival: {process: trace, times: {}}}]\n"}) {
    EXPECT_NO_THROW({
      auto r = load(text);
      (void)r;
    }) << text;
  }
}

}  // namespace
}  // namespace ctplab::sim::scenario
