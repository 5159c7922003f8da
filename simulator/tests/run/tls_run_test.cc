// The shipped TLS scenarios end to end: which client classes a clientValidation admits, each
// refusal under its own counter, verdicts computed once per certificate and validity epoch, and
// failures that start the second a certificate expires.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "run/run_harness.h"

namespace ctplab::sim::run {
namespace {

using testing::population;
using testing::runScenarioFile;
using testing::stat;

uint64_t tls(const PopulationResult& p, const std::string& name) {
  auto it = p.tls.find(name);
  return it == p.tls.end() ? 0 : it->second;
}

uint64_t ok200(const PopulationResult& p) {
  auto it = p.requests.by_status.find(200);
  return it == p.requests.by_status.end() ? 0 : it->second;
}

TEST(TlsScenarios, MtlsFailureMixRefusesEachBrokenClassWithItsCounter) {
  auto r = runScenarioFile("scenarios/tls/mtls-failure-mix.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(tls(population(*r, "valid"), "handshake"), 200u);
  EXPECT_EQ(ok200(population(*r, "valid")), 400u);  // two requests per connection
  EXPECT_EQ(ok200(population(*r, "valid-rsa")), 100u);
  for (const char* broken : {"expired", "wrong-ca", "revoked"}) {
    const auto& p = population(*r, broken);
    EXPECT_EQ(tls(p, "fail_verify_error"), 50u) << broken;
    EXPECT_EQ(p.requests.responses(), 0u) << broken;
    EXPECT_EQ(p.requests.closed, 50u) << broken;
  }
  EXPECT_EQ(tls(population(*r, "wrong-san"), "fail_verify_san"), 50u);
  EXPECT_EQ(tls(population(*r, "no-certificate"), "fail_verify_no_cert"), 50u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.ssl.handshake"), 300u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.ssl.fail_verify_error"), 150u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.ssl.fail_verify_san"), 50u);
  EXPECT_EQ(stat(*r, "listener.0.0.0.0_10443.ssl.fail_verify_no_cert"), 50u);
  // 550 handshakes, 7 client classes: 7 real verifications.
  EXPECT_EQ(r->tls_handshakes_computed, 7u);
}

TEST(TlsScenarios, FailuresStartTheSecondTheCertificateExpires) {
  auto r = runScenarioFile("scenarios/tls/certificates-expire-during-run.yaml");
  ASSERT_TRUE(r);
  const auto& p = population(*r, "partner");
  EXPECT_EQ(ok200(p), 10u);
  EXPECT_EQ(tls(p, "fail_verify_error"), 10u);
  EXPECT_EQ(r->tls_handshakes_computed, 2u);  // one verdict before notAfter, one after
  const auto failed = r->series.find("partner.failed");
  ASSERT_TRUE(failed);
  ASSERT_EQ(r->series.bucketCount(), 20u);
  for (size_t second = 0; second < 20; ++second) {
    EXPECT_EQ(r->series.counter(*failed, second), second < 10 ? 0 : 1) << second;
  }
}

TEST(TlsScenarios, FullFidelityRunsEveryHandshakeAndAgreesWithTheCache) {
  std::ifstream in(CTPLAB_SOURCE_DIR "/scenarios/tls/mtls-failure-mix.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  yaml.replace(yaml.find("seed: 11\n"), 9, "seed: 11\nhost: {tlsHandshakes: full}\n");
  auto full = testing::runScenarioText(yaml);
  auto cached = runScenarioFile("scenarios/tls/mtls-failure-mix.yaml");
  ASSERT_TRUE(full && cached);
  EXPECT_EQ(full->tls_handshakes_computed, 550u);  // one real handshake per connection
  for (const auto& p : cached->populations) {
    EXPECT_EQ(population(*full, p.name).tls, p.tls) << p.name;
    EXPECT_EQ(population(*full, p.name).requests.by_status, p.requests.by_status) << p.name;
  }
}

TEST(TlsScenarios, HandshakeCostFollowsTheServingKey) {
  // One request on an ECDSA-served listener: 90 us of handshake CPU plus 100 us to verify the
  // client; the same with a fixed cost of 5 ms shows up in the latency.
  auto r = runScenarioFile("scenarios/tls/certificates-expire-during-run.yaml");
  ASSERT_TRUE(r);
  const auto& p = population(*r, "partner");
  ASSERT_GT(p.latency.count(), 0u);
  std::ifstream in(CTPLAB_SOURCE_DIR "/scenarios/tls/certificates-expire-during-run.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  yaml.replace(yaml.find("seed: 5\n"), 8, "seed: 5\nhost: {tlsHandshakeCost: 5ms}\n");
  auto slow = testing::runScenarioText(yaml);
  ASSERT_TRUE(slow);
  const auto& q = population(*slow, "partner");
  EXPECT_EQ(q.latency.min() - p.latency.min(),
            Duration::milliseconds(5) - Duration::microseconds(90 + 100));
}

}  // namespace
}  // namespace ctplab::sim::run
