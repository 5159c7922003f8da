// HTTP/3 at packet level (`http3.fidelity: packets`): real QUIC clients against the gateway's
// real HTTP/3 server on the virtual clock reach the outcomes the model predicts (upgrade, UDP
// blocks, client validation, the QUIC chain's connection limit), byte for byte per seed.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "ctplab/simulator/run/result_output.h"
#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

using Fidelity = scenario::Http3ClientProfile::Fidelity;

constexpr const char* kPacketUpgrade = "scenarios/http3/packet-level-upgrade.yaml";
constexpr const char* kModelUpgrade = "scenarios/http3/upgrade-mixed-population.yaml";
constexpr const char* kMtls = "scenarios/http3/http3-with-mtls.yaml";
constexpr const char* kFlood = "scenarios/http3/quic-vs-tcp-flood.yaml";

uint64_t failures(const PopulationResult& p) {
  const RequestCounts& r = p.requests;
  return r.reset + r.closed + r.timeout + r.connect_failed + r.unfinished;
}

// Runs a scenario file with every HTTP/3 population at `fidelity`, after `edit`; `edit_text`
// changes the file's text first (its resources).
std::optional<RunResult> runAt(const std::string& path, Fidelity fidelity,
                               const std::function<void(scenario::Scenario&)>& edit = {},
                               const std::function<void(std::string&)>& edit_text = {}) {
  return runScenarioFileEdited(
      path,
      [&](scenario::Scenario& s) {
        for (auto& pop : s.populations) {
          if (pop.http3) pop.http3->fidelity = fidelity;
        }
        if (edit) edit(s);
      },
      edit_text);
}

void replaceOnce(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

double http3Share(const PopulationResult& p) {
  return static_cast<double>(p.quic->responses) / static_cast<double>(p.requests.sent);
}

TEST(Http3Packets, RealConnectionsUpgradeAndUdpBlockedClientsStayOnTcpWithoutFailing) {
  auto r = runScenarioFile(kPacketUpgrade);  // 2% loss on every datagram
  ASSERT_TRUE(r);
  const PopulationResult& browsers = population(*r, "browsers");
  const PopulationResult& office = population(*r, "office-udp-blocked");
  EXPECT_EQ(failures(browsers), 0u);
  EXPECT_EQ(failures(office), 0u);
  EXPECT_EQ(office.quic->responses, 0u);
  EXPECT_EQ(office.quic->established, 0u);
  EXPECT_GT(office.quic->handshake_timeout, 0u);
  EXPECT_GT(browsers.quic->responses, browsers.requests.sent / 2);
  // Returning clients resume with the real ticket the server issued and send 0-RTT requests.
  EXPECT_GT(browsers.quic->zero_rtt, 0u);
  // Every attempt either completed its handshake or timed out behind the UDP block (or was let
  // go by a client that finished first).
  EXPECT_LE(browsers.quic->established + browsers.quic->handshake_timeout,
            browsers.quic->attempted);
  EXPECT_LE(browsers.quic->handshake_timeout, browsers.quic->udp_blocked_clients);
  // The gateway's real server counted what the clients saw.
  // A 0-RTT request whose client stopped waiting and sent it again over TCP is served on both:
  // the server counts the QUIC one, whose answer the client drops.
  const uint64_t served = stat(*r, "http.https-10443.downstream_rq_http3_total");
  EXPECT_GE(served, browsers.quic->responses);
  EXPECT_LE(served - browsers.quic->responses, browsers.quic->fallbacks);
  EXPECT_EQ(stat(*r, "http.https-10443.downstream_cx_http3_total"), browsers.quic->established);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.http3.downstream_cx_total"),
            browsers.quic->established);
  // A client's CONNECTION_CLOSE lost on the link leaves its connection to the idle timeout: a
  // few are still open on the gateway when the run ends.
  EXPECT_LE(stat(*r, "http.https-10443.downstream_cx_http3_active"),
            browsers.quic->established / 20);
}

TEST(Http3Packets, SameSeedSameBytes) {
  // ECDSA signatures differ in length from run to run; nothing the run reports may follow them.
  auto a = runScenarioFile(kPacketUpgrade);
  auto b = runScenarioFile(kPacketUpgrade);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(resultToJson(*a), resultToJson(*b));
}

TEST(Http3Packets, AgreeWithTheModelOnTheUpgrade) {
  const auto shorten = [](scenario::Scenario& s) {
    s.duration = Duration::seconds(60);
    s.populations[0].clients = 300;
    s.populations[1].clients = 50;
  };
  auto model = runAt(kModelUpgrade, Fidelity::kModel, shorten);
  auto packets = runAt(kModelUpgrade, Fidelity::kPackets, shorten);
  ASSERT_TRUE(model && packets);
  const PopulationResult& m = population(*model, "browsers");
  const PopulationResult& p = population(*packets, "browsers");
  EXPECT_EQ(failures(m) + failures(p), 0u);
  // The same share of requests moves to HTTP/3 within a few points (the client draws differ).
  EXPECT_NEAR(http3Share(m), http3Share(p), 0.05);
  // Without 0-RTT each new QUIC connection's first request waits a round trip longer.
  EXPECT_GE(p.latency.valueAtPercentile(90), m.latency.valueAtPercentile(90));
}

TEST(Http3Packets, ClientValidationRefusesTheRealHandshake) {
  auto r = runAt(kMtls, Fidelity::kPackets);
  ASSERT_TRUE(r);
  const PopulationResult& browsers = population(*r, "browsers");
  const PopulationResult& cached = population(*r, "cached-alternative");
  EXPECT_EQ(browsers.quic->attempted, 0u);
  EXPECT_EQ(cached.quic->refused, cached.quic->attempted);
  EXPECT_EQ(cached.quic->fallbacks, 100u);
  EXPECT_EQ(cached.quic->responses, 0u);
  EXPECT_EQ(failures(browsers) + failures(cached), 0u);
}

TEST(Http3Packets, QuicChainsCountAgainstTheirOwnConnectionLimit) {
  auto r = runAt(kFlood, Fidelity::kPackets);
  ASSERT_TRUE(r);
  const PopulationResult& tcp = population(*r, "tcp-flood");
  const PopulationResult& quic = population(*r, "quic-flood");
  EXPECT_EQ(tcp.hold_completed + quic.hold_completed, 200u);
  // The real server finishes the handshake, then the counter closes the connection (as the live
  // proxy does): every attempt is established, 200 are limited and move to TCP.
  EXPECT_EQ(quic.quic->established, 300u);
  EXPECT_EQ(quic.quic->limited, 200u);
  EXPECT_EQ(quic.quic->refused, 200u);
  EXPECT_EQ(quic.quic->fallbacks, 200u);
  EXPECT_EQ(quic.connections.limited, 200u);
  EXPECT_EQ(stat(*r, "connection_limit.https-10443.limited_connections"), 600u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.http3.connection_close_sent"), 200u);
}

TEST(Http3Packets, TheBackendSeesTheHeadTheServerDecoded) {
  auto r = runAt(kPacketUpgrade, Fidelity::kPackets, [](scenario::Scenario& s) {
    s.duration = Duration::seconds(20);
    s.outputs.backend_requests = true;
  });
  ASSERT_TRUE(r);
  ASSERT_GT(population(*r, "browsers").quic->responses, 0u);
  uint64_t answered = 0, in_flight = 0;
  for (const auto& p : r->populations) {
    answered += p.requests.responses();
    in_flight += p.requests.unfinished;
  }
  EXPECT_GE(r->backend_requests.size(), answered);
  EXPECT_LE(r->backend_requests.size(), answered + in_flight);
  for (const auto& b : r->backend_requests) {
    bool host = false, xff = false;
    for (const auto& [name, value] : b.headers) {
      host = host || (name == "host" && value == "www.example.com");
      xff = xff || name == "x-forwarded-for";
    }
    ASSERT_TRUE(host && xff);
  }
}

TEST(Http3Packets, ZeroRttRequestsReachTheBackendMarkedInBothFidelities) {
  // A returning client's first request rides as 0-RTT data; the gateway adds `early-data: 1` for
  // the backend (RFC 8470), the real server at packet level and the model for its early request.
  for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
    SCOPED_TRACE(fidelity == Fidelity::kPackets ? "packets" : "model");
    auto r = runAt(kPacketUpgrade, fidelity, [](scenario::Scenario& s) {
      s.duration = Duration::seconds(20);
      s.outputs.backend_requests = true;
    });
    ASSERT_TRUE(r);
    const PopulationResult& browsers = population(*r, "browsers");
    ASSERT_GT(browsers.quic->zero_rtt, 0u);
    uint64_t marked = 0;
    for (const auto& b : r->backend_requests) {
      for (const auto& [name, value] : b.headers) {
        if (name == "early-data") {
          EXPECT_EQ(value, "1");
          ++marked;
        }
      }
    }
    EXPECT_GT(marked, 0u);
    EXPECT_LE(marked, browsers.quic->zero_rtt);
  }
}

TEST(Http3Packets, TheUnderscorePolicyResetsStreamsInBothFidelities) {
  // Envoy Gateway's default rejects a header name with `_`: HTTP/1 answers 400, HTTP/3 resets
  // the stream (spec 4.11). The real server does it at packet level, the model through the same
  // header checks.
  for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
    SCOPED_TRACE(fidelity == Fidelity::kPackets ? "packets" : "model");
    auto r = runAt(kPacketUpgrade, fidelity, [](scenario::Scenario& s) {
      s.duration = Duration::seconds(10);
      s.populations.resize(1);
      scenario::Population& p = s.populations[0];
      p.clients = 20;
      p.http3->capable = 1;
      p.http3->udp_blocked = 0;
      p.http3->known_alternative = true;
      p.behavior.request.headers.push_back({"x_debug", "1"});
    });
    ASSERT_TRUE(r);
    const PopulationResult& browsers = population(*r, "browsers");
    EXPECT_GT(browsers.requests.reset, browsers.requests.sent * 9 / 10);
    EXPECT_EQ(browsers.quic->responses, 0u);
    // Every reset the clients saw was a rejection; one still on its way at the end is not.
    const uint64_t rejected =
        stat(*r, "http.https-10443.http3.requests_rejected_with_underscores_in_headers");
    EXPECT_GE(rejected, browsers.requests.reset);
    EXPECT_LE(rejected, browsers.requests.reset + browsers.requests.unfinished);
    EXPECT_EQ(stat(*r, "http.https-10443.http3.dropped_headers_with_underscores"), 0u);
  }
}

TEST(Http3Packets, QuicConnectionsEndAfterMaxRequestsInBothFidelities) {
  // Spec 4.2 on HTTP/3: after its second request a QUIC connection gets GOAWAY and is closed
  // once answered; the browsers' later requests open QUIC again, and none fails.
  for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
    SCOPED_TRACE(fidelity == Fidelity::kPackets ? "packets" : "model");
    auto r = runAt(
        kPacketUpgrade, fidelity,
        [](scenario::Scenario& s) {
          s.duration = Duration::seconds(30);
          s.network.loss = 0;
        },
        [](std::string& text) {
          replaceOnce(text, "        http3: {}\n",
                      "        http3: {}\n"
                      "        connection: {connectionLimit: {maxRequestsPerConnection: 2}}\n");
        });
    ASSERT_TRUE(r);
    const PopulationResult& browsers = population(*r, "browsers");
    EXPECT_EQ(browsers.requests.reset + browsers.requests.closed + browsers.requests.timeout +
                  browsers.requests.connect_failed,
              0u);
    EXPECT_GT(browsers.quic->responses, browsers.requests.sent / 3);
    const uint64_t reached = stat(*r, "http.https-10443.downstream_cx_max_requests_reached");
    EXPECT_GT(reached, browsers.quic->established / 2);
    // Graceful: not a refusal, the alternative stays in use.
    EXPECT_EQ(browsers.quic->refused, 0u);
  }
}

TEST(Http3Packets, HeldQuicConnectionsEndAfterMaxConnectionDuration) {
  for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
    SCOPED_TRACE(fidelity == Fidelity::kPackets ? "packets" : "model");
    auto r = runAt(
        kFlood, fidelity,
        [](scenario::Scenario& s) {
          s.duration = Duration::seconds(15);
          s.populations.erase(s.populations.begin());  // the QUIC flood only
          s.populations[0].clients = 20;
        },
        [](std::string& text) {
          replaceOnce(text, "connectionLimit: {value: 100}",
                      "connectionLimit: {value: 100, maxConnectionDuration: 5s}");
        });
    ASSERT_TRUE(r);
    const PopulationResult& quic = population(*r, "quic-flood");
    // Every held QUIC connection is ended at 5 s (GOAWAY, a graceful close: no refusal); its
    // client holds on over TCP, where the limit is reached again at 10 s.
    EXPECT_EQ(stat(*r, "http.https-10443.downstream_cx_max_duration_reached"), 40u);
    EXPECT_EQ(quic.quic->fallbacks, 20u);
    EXPECT_EQ(quic.quic->refused, 0u);
  }
}

TEST(Http3Packets, StreamTimersAnswerASlowBackendInBothFidelities) {
  // Spec 4.2-4.3 on HTTP/3: a backend answering after 3 s meets maxStreamDuration (504) or
  // streamIdleTimeout (408) at 1 s, counted on the listener, whichever way the QUIC runs.
  struct Case {
    const char* policy;
    int status;
    const char* counter;
  };
  for (const Case& c : {Case{"connection: {connectionLimit: {maxStreamDuration: 1s}}", 504,
                             "http.https-10443.downstream_rq_max_duration_reached"},
                        Case{"timeout: {http: {streamIdleTimeout: 1s}}", 408,
                             "http.https-10443.downstream_rq_idle_timeout"}}) {
    for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
      SCOPED_TRACE(std::string(c.policy) +
                   (fidelity == Fidelity::kPackets ? " packets" : " model"));
      auto r = runAt(
          kPacketUpgrade, fidelity,
          [](scenario::Scenario& s) {
            s.duration = Duration::seconds(20);
            s.network.loss = 0;
            s.backend.service_time = scenario::DurationDistribution::constant(Duration::seconds(3));
            s.populations.pop_back();  // the browsers only, every one on QUIC from the start
            s.populations[0].clients = 20;
            s.populations[0].http3->capable = 1;
            s.populations[0].http3->udp_blocked = 0;
            s.populations[0].http3->known_alternative = true;
          },
          [&](std::string& text) {
            replaceOnce(text, "        http3: {}\n",
                        "        http3: {}\n        " + std::string(c.policy) + "\n");
          });
      ASSERT_TRUE(r);
      const PopulationResult& browsers = population(*r, "browsers");
      const uint64_t answered = browsers.requests.responses();
      EXPECT_GE(answered, 20u);
      EXPECT_EQ(browsers.quic->responses, answered);  // none went over TCP
      ASSERT_EQ(browsers.requests.by_status.size(), 1u);
      EXPECT_EQ(browsers.requests.by_status.begin()->first, c.status);
      EXPECT_EQ(stat(*r, c.counter), answered);
      EXPECT_EQ(stat(*r, "http.https-10443.downstream_rq_2xx"), 0u);
    }
  }
}

TEST(Http3Packets, RequestsQueuedForTheCpuGet504InBothFidelities) {
  // Spec 4.3 on HTTP/3: requestReceivedTimeout runs until the request leaves for the backend,
  // so complete requests queued behind others for the gateway's one worker time out with 504.
  for (const Fidelity fidelity : {Fidelity::kPackets, Fidelity::kModel}) {
    SCOPED_TRACE(fidelity == Fidelity::kPackets ? "packets" : "model");
    auto r = runAt(
        kPacketUpgrade, fidelity,
        [](scenario::Scenario& s) {
          s.duration = Duration::seconds(10);
          s.network.loss = 0;
          s.host.workers = 1;
          s.host.request_cost = Duration::milliseconds(30);
          s.populations.pop_back();
          auto& browsers = s.populations[0];
          browsers.clients = 10;
          browsers.arrival = {};  // all at once
          browsers.behavior.connections = 1;
          browsers.behavior.requests_per_connection = 1;
          browsers.http3->capable = 1;
          browsers.http3->udp_blocked = 0;
          browsers.http3->known_alternative = true;
        },
        [](std::string& text) {
          replaceOnce(text, "        http3: {}\n",
                      "        http3: {}\n"
                      "        timeout: {http: {requestReceivedTimeout: 100ms}}\n");
        });
    ASSERT_TRUE(r);
    const PopulationResult& browsers = population(*r, "browsers");
    EXPECT_EQ(browsers.quic->responses, 10u);
    EXPECT_EQ(browsers.requests.responses(), 10u);
    // 30 ms each on one worker: three leave for the backend within the 100 ms, as on TCP.
    const std::map<int, uint64_t> expected = {{200, 3}, {504, 7}};
    EXPECT_EQ(browsers.requests.by_status, expected);
    EXPECT_EQ(stat(*r, "http.https-10443.downstream_rq_timeout"), 7u);
  }
}

}  // namespace
}  // namespace ctplab::sim::run::testing
