// JWT under attack (scenarios/jwt/token-floods.yaml): replayed and forged tokens are rejected
// at exact counts after paying for their signature checks, and a token that expires mid-run
// passes until exp plus Envoy's 60 s clock skew on the run's calendar, then gets 401.
#include <gtest/gtest.h>

#include "run/run_harness.h"

namespace ctplab::sim::run::testing {
namespace {

uint64_t byStatus(const RunResult& r, const std::string& name, int status) {
  const auto& by_status = population(r, name).requests.by_status;
  auto it = by_status.find(status);
  return it == by_status.end() ? 0 : it->second;
}

TEST(JwtScenario, FloodsAndExpiryGiveExactCounts) {
  auto r = runScenarioFile("scenarios/jwt/token-floods.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(byStatus(*r, "admins", 200), 1000u);
  EXPECT_EQ(byStatus(*r, "replay-bots", 403), 20000u);  // valid token, wrong role: RBAC
  EXPECT_EQ(byStatus(*r, "forged-bots", 401), 20000u);  // signature of another payload
  // exp is 30 s after the run's start and Envoy allows 60 s of skew: requests at 0 s … 90 s pass.
  EXPECT_EQ(byStatus(*r, "expiring", 200), 91u);
  EXPECT_EQ(byStatus(*r, "expiring", 401), 29u);
  // No verified-token cache (Envoy Gateway configures none): every token that reaches the
  // signature check costs one, replayed or not; an expired one is refused before it.
  EXPECT_EQ(stat(*r, "http.http-10080.jwt_authn.signature_verifications"), 41091u);
  EXPECT_EQ(stat(*r, "http.http-10080.jwt_authn.denied"), 20029u);
  EXPECT_EQ(stat(*r, "http.http-10080.rbac.denied"), 20000u);
}

}  // namespace
}  // namespace ctplab::sim::run::testing
