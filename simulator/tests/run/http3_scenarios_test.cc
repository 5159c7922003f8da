// HTTP/3 upgrade scenarios (spec 4.10): browsers move to QUIC after learning alt-svc, clients
// behind a UDP block stay on TCP without a failed request, HTTP/3 with client validation never
// upgrades (and says why), and the QUIC filter chain's own connection-limit counter.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/run/result_output.h"
#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

constexpr const char* kUpgrade = "scenarios/http3/upgrade-mixed-population.yaml";
constexpr const char* kMtls = "scenarios/http3/http3-with-mtls.yaml";
constexpr const char* kFlood = "scenarios/http3/quic-vs-tcp-flood.yaml";

uint64_t failures(const PopulationResult& p) {
  const RequestCounts& r = p.requests;
  return r.reset + r.closed + r.timeout + r.connect_failed + r.unfinished;
}

uint64_t seriesTotal(const RunResult& r, const std::string& name) {
  const auto id = r.series.find(name);
  if (!id) {
    ADD_FAILURE() << "no series " << name;
    return 0;
  }
  return static_cast<uint64_t>(r.series.counterTotal(*id));
}

TEST(Http3Scenarios, BrowsersUpgradeAndUdpBlockedClientsStayOnTcpWithoutFailing) {
  auto r = runScenarioFile(kUpgrade);
  ASSERT_TRUE(r);
  const PopulationResult& browsers = population(*r, "browsers");
  const PopulationResult& office = population(*r, "office-udp-blocked");
  ASSERT_TRUE(browsers.quic && office.quic);
  // Every request of both populations is answered.
  EXPECT_EQ(failures(browsers), 0u);
  EXPECT_EQ(failures(office), 0u);
  EXPECT_EQ(browsers.requests.responses(), browsers.requests.sent);
  EXPECT_EQ(office.requests.responses(), office.requests.sent);
  // The office is all capable and all blocked: it tries, times out, and never uses HTTP/3.
  EXPECT_EQ(office.quic->capable_clients, 500u);
  EXPECT_EQ(office.quic->udp_blocked_clients, 500u);
  EXPECT_EQ(office.quic->responses, 0u);
  EXPECT_EQ(office.quic->established, 0u);
  EXPECT_EQ(office.quic->handshake_timeout, office.quic->attempted);
  EXPECT_GT(office.quic->attempted, 0u);
  // Most browser requests end up on HTTP/3: 80% capable, 10% blocked, first request on TCP.
  EXPECT_GT(browsers.quic->responses, browsers.requests.sent / 2);
  EXPECT_LT(browsers.quic->responses, browsers.requests.sent * 8 / 10);
  EXPECT_GT(browsers.quic->zero_rtt, 0u);  // later connections resume with 0-RTT
  // The protocol mix over time adds up to the responses, and the gateway counted the same.
  EXPECT_EQ(seriesTotal(*r, "responses.http3"), browsers.quic->responses);
  EXPECT_EQ(seriesTotal(*r, "responses.http1") + seriesTotal(*r, "responses.http3"),
            browsers.requests.responses() + office.requests.responses());
  EXPECT_EQ(seriesTotal(*r, "office-udp-blocked.responses.http3"), 0u);
  EXPECT_EQ(seriesTotal(*r, "office-udp-blocked.responses.http1"), office.requests.responses());
  EXPECT_EQ(stat(*r, "http.https-10443.downstream_rq_http3_total"), browsers.quic->responses);
  EXPECT_EQ(stat(*r, "http.https-10443.downstream_cx_http3_total"), browsers.quic->established);
  EXPECT_EQ(stat(*r, "http.https-10443.downstream_cx_http3_active"), 0u);
}

TEST(Http3Scenarios, TheUpgradeCurveRisesAfterTheFirstResponses) {
  auto r = runScenarioFile(kUpgrade);
  ASSERT_TRUE(r);
  const auto h3 = r->series.find("responses.http3");
  const auto tcp = r->series.find("responses.http1");
  ASSERT_TRUE(h3 && tcp);
  // Nobody knows the alternative at the start, so TCP carries the first bucket; once browsers
  // learned it, HTTP/3 carries more than TCP.
  EXPECT_LT(r->series.counter(*h3, 0), r->series.counter(*tcp, 0));
  EXPECT_GT(r->series.counter(*h3, 4), r->series.counter(*tcp, 4));
}

TEST(Http3Scenarios, SameSeedSameBytes) {
  auto a = runScenarioFile(kUpgrade);
  auto b = runScenarioFile(kUpgrade);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(resultToJson(*a), resultToJson(*b));
}

TEST(Http3Scenarios, ClientValidationDropsHttp3WithAWarningAndNobodyUpgrades) {
  auto loaded = scenario::loadScenarioFile(CTPLAB_SOURCE_DIR "/" + std::string(kMtls));
  ASSERT_TRUE(loaded.ok());
  policy::Diagnostics diags;
  std::vector<std::string> notes;
  auto prepared = prepareScenario(loaded.scenario, diags, notes);
  ASSERT_TRUE(prepared.gateway);
  bool warned = false;
  for (const auto& n : notes) {
    warned = warned || n.find(
                           "UnsupportedHTTP3ClientValidation: HTTP/3 was disabled for "
                           "listener \"https\" because Envoy does not support downstream "
                           "client TLS validation over QUIC") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  auto r = runScenarioFile(kMtls);
  ASSERT_TRUE(r);
  const PopulationResult& browsers = population(*r, "browsers");
  const PopulationResult& cached = population(*r, "cached-alternative");
  EXPECT_EQ(browsers.quic->attempted, 0u);  // no alt-svc: nothing to follow
  EXPECT_EQ(browsers.quic->responses, 0u);
  // A remembered alternative meets no UDP listener: refused at once, served over TCP.
  EXPECT_EQ(cached.quic->refused, cached.quic->attempted);
  EXPECT_EQ(cached.quic->fallbacks, 100u);
  EXPECT_EQ(cached.quic->responses, 0u);
  EXPECT_EQ(failures(browsers) + failures(cached), 0u);
  EXPECT_EQ(stat(*r, "http.https-10443.downstream_cx_http3_total"), 0u);
}

TEST(Http3Scenarios, QuicChainsCountAgainstTheirOwnConnectionLimit) {
  auto r = runScenarioFile(kFlood);
  ASSERT_TRUE(r);
  const PopulationResult& tcp = population(*r, "tcp-flood");
  const PopulationResult& quic = population(*r, "quic-flood");
  // 100 held over TCP and 100 over QUIC at once: the limit holds per transport.
  EXPECT_EQ(tcp.hold_completed + quic.hold_completed, 200u);
  EXPECT_EQ(quic.quic->established, 100u);
  EXPECT_EQ(quic.quic->limited, 200u);
  EXPECT_EQ(tcp.connections.admitted, 100u);
  // Refused QUIC clients fall back to TCP, where the TCP counter is full.
  EXPECT_EQ(quic.quic->fallbacks, 200u);
  EXPECT_EQ(quic.connections.limited, 200u);
  EXPECT_EQ(stat(*r, "connection_limit.https-10443.limited_connections"), 600u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.http3.downstream_cx_total"), 300u);
  EXPECT_EQ(r->peak_active_connections, 202u);  // 200 held plus rejected ones closing
}

TEST(Http3Scenarios, LossCostsRetransmissionsNotRequests) {
  // 5% loss: lost Initials and handshake flights are sent again after the probe timeout.
  auto r = runScenarioFileEdited(kUpgrade, [](scenario::Scenario& s) {
    s.network.loss = 0.05;
    s.duration = Duration::seconds(60);
  });
  ASSERT_TRUE(r);
  const PopulationResult& browsers = population(*r, "browsers");
  EXPECT_GT(browsers.quic->responses, 0u);
  EXPECT_EQ(browsers.requests.reset + browsers.requests.closed + browsers.requests.timeout +
                browsers.requests.connect_failed,
            0u);
  // Only the UDP-blocked browsers' attempts time out; retransmissions rescue the others.
  EXPECT_LE(browsers.quic->handshake_timeout + browsers.quic->established,
            browsers.quic->attempted);
  EXPECT_LE(browsers.quic->handshake_timeout, browsers.quic->udp_blocked_clients);
}

TEST(Http3Scenarios, TheBackendSeesHttp3RequestsAsItSeesTcpOnes) {
  auto r = runScenarioFileEdited(kUpgrade, [](scenario::Scenario& s) {
    s.duration = Duration::seconds(20);
    s.outputs.backend_requests = true;
  });
  ASSERT_TRUE(r);
  const RunResult& run = *r;
  const PopulationResult& browsers = population(run, "browsers");
  ASSERT_GT(browsers.quic->responses, 0u);
  // Every answered request went through the backend once, over either transport, with the
  // forwarding headers the request flow adds.
  uint64_t answered = 0;
  for (const auto& p : run.populations) answered += p.requests.responses();
  uint64_t in_flight = 0;
  for (const auto& p : run.populations) in_flight += p.requests.unfinished;
  EXPECT_GE(run.backend_requests.size(), answered);
  EXPECT_LE(run.backend_requests.size(), answered + in_flight);
  for (const auto& b : run.backend_requests) {
    bool xff = false;
    for (const auto& [name, value] : b.headers) xff = xff || name == "x-forwarded-for";
    ASSERT_TRUE(xff);
  }
}

}  // namespace
}  // namespace ctplab::sim::run::testing
