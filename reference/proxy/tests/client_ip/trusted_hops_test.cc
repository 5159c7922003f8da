// numTrustedHops detection (spec 4.6.2): every worked example, XFF-1's upstream XFF, several XFF
// fields, IPv6, garbage entries and the trace.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "client_ip/client_ip_fixture.h"
#include "ctplab/proxy/client_ip/detection.h"
#include "ctplab/proxy/client_ip/forwarding_headers.h"

namespace ctplab::proxy::client_ip {
namespace {

using http1::HeaderList;
using test_support::ip;
using test_support::lastStep;
using test_support::traceHas;
using test_support::trustedHops;
using test_support::withXff;

constexpr char kLoadBalancer[] = "10.0.0.5";

struct HopsRow {
  std::string name;
  uint32_t n;
  std::optional<std::string> xff;  // nullopt = no XFF field
  std::string peer;
  std::string client;
  bool fallback;
  std::string upstream_xff;  // what the backend sees (peer appended)
};

class ClientIpTrustedHopsTable : public ::testing::TestWithParam<HopsRow> {};

// One row per line of the spec 4.6.2 table, in its order.
const HopsRow kRows[] = {
    {"LbAppendedTheRealClient", 1, "203.0.113.7", kLoadBalancer, "203.0.113.7", false,
     "203.0.113.7,10.0.0.5"},
    {"ForgeryIgnored", 1, "1.2.3.4, 198.51.100.9", kLoadBalancer, "198.51.100.9", false,
     "1.2.3.4, 198.51.100.9,10.0.0.5"},
    {"DirectAttackerSpoofSucceeds", 1, "1.2.3.4", "198.51.100.9", "1.2.3.4", false,
     "1.2.3.4,198.51.100.9"},
    {"UpstreamDocExample", 2, "1.1.1.1,2.2.2.2", kLoadBalancer, "1.1.1.1", false,
     "1.1.1.1,2.2.2.2,10.0.0.5"},
    {"ApiDocExample", 2, "203.0.113.128, 203.0.113.10, 203.0.113.1", kLoadBalancer, "203.0.113.10",
     false, "203.0.113.128, 203.0.113.10, 203.0.113.1,10.0.0.5"},
    {"TooFewEntries", 2, "2.2.2.2", kLoadBalancer, kLoadBalancer, true, "2.2.2.2,10.0.0.5"},
    {"ZeroBehavesLikeOne", 0, "1.2.3.4", kLoadBalancer, "1.2.3.4", false, "1.2.3.4,10.0.0.5"},
    {"EntryWithPortIsNotAnIp", 1, "1.2.3.4:5555", kLoadBalancer, kLoadBalancer, true,
     "1.2.3.4:5555,10.0.0.5"},
    {"XffAbsent", 1, std::nullopt, kLoadBalancer, kLoadBalancer, true, "10.0.0.5"},
};

TEST_P(ClientIpTrustedHopsTable, ClientAndUpstreamXff) {
  const HopsRow& row = GetParam();
  const ClientIpConfig config = trustedHops(row.n);
  HeaderList headers = withXff(row.xff);
  const Detection d = detectClientIp(config, ip(row.peer), headers, "http");
  EXPECT_EQ(d.client, ip(row.client)) << d.client.toString();
  EXPECT_EQ(d.fallback, row.fallback);
  EXPECT_EQ(d.source, row.fallback ? Source::kPeer : Source::kXff);
  EXPECT_FALSE(d.reject.has_value());
  EXPECT_FALSE(d.edge_request);
  applyForwardingHeaders(config, d, headers);
  const http1::Header* xff = http1::findHeader(headers, "x-forwarded-for");
  ASSERT_NE(xff, nullptr);
  EXPECT_EQ(xff->value, row.upstream_xff);
}

INSTANTIATE_TEST_SUITE_P(Spec462, ClientIpTrustedHopsTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return info.param.name; });

// XFF-1: numTrustedHops 1 + disableXForwardedForAppend → the backend sees exactly `1.2.3.4`.
TEST(ClientIpTrustedHops, Xff1DisableAppendForwardsXffUntouched) {
  const IpAddress peer = ip("10.244.0.7");
  HeaderList headers = withXff("1.2.3.4");
  const ClientIpConfig disabled = trustedHops(1, /*disable_append=*/true);
  const Detection d = detectClientIp(disabled, peer, headers, "http");
  EXPECT_EQ(d.client, ip("1.2.3.4"));
  const auto steps = applyForwardingHeaders(disabled, d, headers);
  EXPECT_EQ(http1::findHeader(headers, "x-forwarded-for")->value, "1.2.3.4");
  EXPECT_TRUE(traceHas(steps, "XFF: forwarded as received (disableXForwardedForAppend)"));
}

TEST(ClientIpTrustedHops, Xff1WithoutTheFlagAppendsThePeer) {
  HeaderList headers = withXff("1.2.3.4");
  const ClientIpConfig config = trustedHops(1);
  const Detection d = detectClientIp(config, ip("10.244.0.7"), headers, "http");
  applyForwardingHeaders(config, d, headers);
  EXPECT_EQ(http1::findHeader(headers, "x-forwarded-for")->value, "1.2.3.4,10.244.0.7");
}

TEST(ClientIpTrustedHops, SeveralXffFieldsCombineWithCommas) {
  HeaderList headers{{"x-forwarded-for", "1.1.1.1"},
                     {"accept", "*/*"},
                     {"X-Forwarded-For", ""},
                     {"X-FORWARDED-FOR", "2.2.2.2"}};
  const ClientIpConfig config = trustedHops(2);
  const Detection d = detectClientIp(config, ip(kLoadBalancer), headers, "http");
  EXPECT_EQ(d.client, ip("1.1.1.1"));
  EXPECT_TRUE(traceHas(d.trace, "XFF entries from the right: [2.2.2.2, 1.1.1.1]"));
  applyForwardingHeaders(config, d, headers);
  const HeaderList expected{{"x-forwarded-for", "1.1.1.1,2.2.2.2,10.0.0.5"},
                            {"accept", "*/*"},
                            {"x-forwarded-proto", "http"}};
  EXPECT_EQ(headers, expected);
}

TEST(ClientIpTrustedHops, Ipv6Entries) {
  const ClientIpConfig config = trustedHops(2);
  const Detection d = detectClientIp(config, ip("fd00::5"),
                                     withXff("2001:DB8::1, 2001:db8::2 ,\t2001:db8::3"), "https");
  EXPECT_EQ(d.client, ip("2001:db8::2"));
  EXPECT_EQ(lastStep(d), "entry 2 = 2001:db8::2 → client");
  const Detection bracketed =
      detectClientIp(trustedHops(1), ip("fd00::5"), withXff("[2001:db8::1]:443"), "https");
  EXPECT_TRUE(bracketed.fallback);
  EXPECT_EQ(bracketed.client, ip("fd00::5"));
  const Detection bare_brackets =
      detectClientIp(trustedHops(1), ip("fd00::5"), withXff("[2001:db8::1]"), "https");
  EXPECT_TRUE(bare_brackets.fallback);
}

TEST(ClientIpTrustedHops, GarbageEntriesFallBackToThePeer) {
  for (const char* garbage : {"unknown", "", " ", "1.2.3", "01.2.3.4", "256.1.1.1",
                              "1.2.3.4 5.6.7.8", "example.com", "fe80::1%eth0", "1.2.3.4,"}) {
    const Detection d = detectClientIp(trustedHops(1), ip(kLoadBalancer), withXff(garbage), "http");
    EXPECT_TRUE(d.fallback) << '"' << garbage << '"';
    EXPECT_EQ(d.client, ip(kLoadBalancer)) << garbage;
    EXPECT_EQ(d.source, Source::kPeer);
  }
}

TEST(ClientIpTrustedHops, OnlyTheDecisiveEntryMustParse) {
  const Detection d = detectClientIp(trustedHops(2), ip(kLoadBalancer),
                                     withXff("garbage, 203.0.113.9, not-an-ip"), "http");
  EXPECT_FALSE(d.fallback);
  EXPECT_EQ(d.client, ip("203.0.113.9"));
}

TEST(ClientIpTrustedHops, TraceShowsEveryStepAndTheDecisiveOneLast) {
  const Detection d = detectClientIp(trustedHops(2), ip(kLoadBalancer),
                                     withXff("203.0.113.128, 203.0.113.10, 203.0.113.1"), "http");
  const std::vector<std::string> expected = {
      "mode xForwardedFor.numTrustedHops 2: skip max(N−1, 0) = 1 trusted hop from the right of "
      "XFF",
      "XFF entries from the right: [203.0.113.1, 203.0.113.10, 203.0.113.128]",
      "skipping 1 trusted hop: [203.0.113.1]",
      "entry 2 = 203.0.113.10 → client",
  };
  EXPECT_EQ(d.trace, expected);
}

TEST(ClientIpTrustedHops, TraceNamesTheFallbackReason) {
  EXPECT_EQ(lastStep(detectClientIp(trustedHops(2), ip(kLoadBalancer), withXff("2.2.2.2"), "http")),
            "XFF has 1 entry, fewer than the 2 needed → fallback: client = peer 10.0.0.5");
  EXPECT_EQ(
      lastStep(detectClientIp(trustedHops(1), ip(kLoadBalancer), withXff("1.2.3.4:5555"), "http")),
      "entry 1 = \"1.2.3.4:5555\" is not an IP literal → fallback: client = peer 10.0.0.5");
  EXPECT_EQ(
      lastStep(detectClientIp(trustedHops(1), ip(kLoadBalancer), withXff(std::nullopt), "http")),
      "XFF absent → fallback: client = peer 10.0.0.5");
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
