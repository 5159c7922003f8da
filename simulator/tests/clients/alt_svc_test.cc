// The client's alt-svc reading (RFC 7838): which HTTP/3 alternative it follows, for how long,
// `clear`, and values a client must ignore.
#include "ctplab/simulator/clients/alt_svc.h"

#include <gtest/gtest.h>

namespace ctplab::sim::clients {
namespace {

TEST(AltSvc, ReadsWhatTheGatewaySends) {
  auto a = parseAltSvc(R"(h3=":443"; ma=86400)");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->clear);
  EXPECT_EQ(a->h3_port, 443);
  EXPECT_EQ(a->max_age, Duration::seconds(86400));
}

TEST(AltSvc, MaxAgeDefaultsToADay) {
  auto a = parseAltSvc(R"(h3=":8443")");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->h3_port, 8443);
  EXPECT_EQ(a->max_age, Duration::seconds(86400));
}

TEST(AltSvc, TakesTheFirstH3AlternativeOnTheSameHost) {
  auto a = parseAltSvc(R"(h2=":444", h3="other.example:443", h3=":4433"; ma=60; persist=1)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->h3_port, 4433);
  EXPECT_EQ(a->max_age, Duration::seconds(60));
}

TEST(AltSvc, ClearForgetsEverything) {
  auto a = parseAltSvc(" clear ");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->clear);
  EXPECT_FALSE(a->h3_port);
}

TEST(AltSvc, NoH3LeavesNothingToFollow) {
  auto a = parseAltSvc(R"(h2=":443"; ma=10)");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->h3_port);
}

TEST(AltSvc, MalformedValuesAreIgnored) {
  EXPECT_FALSE(parseAltSvc(R"(h3=":0")"));
  EXPECT_FALSE(parseAltSvc(R"(h3=":70000")"));
  EXPECT_FALSE(parseAltSvc(R"(h3=":443"; ma=soon)"));
  EXPECT_FALSE(parseAltSvc(R"(h3="443")"));
  EXPECT_FALSE(parseAltSvc(R"(h3=":443)"));  // unterminated quote
  EXPECT_FALSE(parseAltSvc("garbage"));
}

}  // namespace
}  // namespace ctplab::sim::clients
