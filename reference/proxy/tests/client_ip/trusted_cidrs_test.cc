// trustedCIDRs detection (spec 4.6.3): every worked example, the AZ-6..AZ-8 detection parts, IPv6
// under ::/0, unparsable entries and the trace.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "client_ip/client_ip_fixture.h"
#include "ctplab/common/ip_cidr.h"
#include "ctplab/proxy/client_ip/detection.h"

namespace ctplab::proxy::client_ip {
namespace {

using test_support::e2eTrustedCidrs;
using test_support::ip;
using test_support::lastStep;
using test_support::traceHas;
using test_support::trustedCidrs;
using test_support::withXff;

constexpr char kTrustedLb[] = "10.0.0.5";

struct CidrRow {
  std::string name;
  std::optional<std::string> xff;
  std::string peer;
  std::string client;
  bool fallback;
};

class ClientIpTrustedCidrsTable : public ::testing::TestWithParam<CidrRow> {};

// One row per line of the spec 4.6.3 table (trusted 172.0.0.0/8, 10.0.0.0/8, ::/0), in its order;
// the "any XFF" row is taken with two different values.
const CidrRow kRows[] = {
    {"SingleUntrustedEntry", "192.168.2.1", kTrustedLb, "192.168.2.1", false},
    {"TrustedProxiesSkipped", "192.168.2.1,172.16.1.17,10.0.1.12", kTrustedLb, "192.168.2.1",
     false},
    {"FirstUntrustedFromTheRight", "192.168.2.1,192.168.1.1,10.0.1.12", kTrustedLb, "192.168.1.1",
     false},
    {"AllTrustedGivesLeftmost", "10.1.1.1,172.16.0.1", kTrustedLb, "10.1.1.1", false},
    {"UntrustedPeerSpoofDefeated", "1.2.3.4", "198.51.100.9", "198.51.100.9", true},
    {"UntrustedPeerIgnoresAnyXff", "192.168.2.1,10.0.1.12", "198.51.100.9", "198.51.100.9", true},
    {"ForgedEntryLeftOfTheRealClient", "1.2.3.4, 203.0.113.7", kTrustedLb, "203.0.113.7", false},
};

TEST_P(ClientIpTrustedCidrsTable, Client) {
  const CidrRow& row = GetParam();
  const Detection d = detectClientIp(e2eTrustedCidrs(), ip(row.peer), withXff(row.xff), "http");
  EXPECT_EQ(d.client, ip(row.client)) << d.client.toString();
  EXPECT_EQ(d.fallback, row.fallback);
  EXPECT_EQ(d.source, row.fallback ? Source::kPeer : Source::kXff);
  EXPECT_FALSE(d.edge_request);
}

INSTANTIATE_TEST_SUITE_P(Spec463, ClientIpTrustedCidrsTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return info.param.name; });

// AZ-6..AZ-8: the route denies 192.168.1.0/24 (default Allow); the client's TCP peer is inside a
// trusted range. Detection decides which address the rule sees.
struct AzRow {
  std::string name;
  std::string xff;
  std::string client;
  bool denied;
};

class ClientIpAz6To8 : public ::testing::TestWithParam<AzRow> {};

const AzRow kAzRows[] = {
    {"Az6AllowedIpNoProxy", "192.168.2.1", "192.168.2.1", false},
    {"Az7AllowedIpWithTrustedProxies", "192.168.2.1,172.16.1.17,10.0.1.12", "192.168.2.1", false},
    {"Az8NotAllowedIpWithAnUntrustedProxy", "192.168.2.1,192.168.1.1,10.0.1.12", "192.168.1.1",
     true},
};

TEST_P(ClientIpAz6To8, DetectedClientMeetsTheDenyRule) {
  const AzRow& row = GetParam();
  const IpCidr denied = IpCidr::parse("192.168.1.0/24").value();
  const Detection d = detectClientIp(e2eTrustedCidrs(), ip("172.18.0.1"), withXff(row.xff), "http");
  EXPECT_EQ(d.client, ip(row.client));
  EXPECT_EQ(denied.contains(d.client), row.denied);
}

INSTANTIATE_TEST_SUITE_P(E2e, ClientIpAz6To8, ::testing::ValuesIn(kAzRows),
                         [](const auto& info) { return info.param.name; });

TEST(ClientIpTrustedCidrs, NoXffFromATrustedPeerFallsBack) {
  const Detection d =
      detectClientIp(e2eTrustedCidrs(), ip(kTrustedLb), withXff(std::nullopt), "http");
  EXPECT_TRUE(d.fallback);
  EXPECT_EQ(d.client, ip(kTrustedLb));
  EXPECT_EQ(lastStep(d), "XFF absent → fallback: client = peer 10.0.0.5");
}

TEST(ClientIpTrustedCidrs, Ipv6UnderAllIpv6Trusted) {
  // ::/0 trusts every IPv6 peer and every IPv6 entry, so only an IPv4 entry can be the client.
  const Detection mixed = detectClientIp(e2eTrustedCidrs(), ip("2001:db8::10"),
                                         withXff("203.0.113.7, 2001:db8::1, fd00::2"), "https");
  EXPECT_EQ(mixed.client, ip("203.0.113.7"));
  const Detection all_v6 = detectClientIp(e2eTrustedCidrs(), ip("2001:db8::10"),
                                          withXff("2001:db8::7, fd00::1"), "https");
  EXPECT_EQ(all_v6.client, ip("2001:db8::7"));
  EXPECT_EQ(lastStep(all_v6), "every entry is trusted → leftmost entry 2 = 2001:db8::7 → client");
}

TEST(ClientIpTrustedCidrs, Ipv6RangeOnlyTrustsItsOwnFamily) {
  const ClientIpConfig config = trustedCidrs({"2001:db8::/32"});
  const Detection v4_peer = detectClientIp(config, ip("10.0.0.5"), withXff("203.0.113.7"), "http");
  EXPECT_TRUE(v4_peer.fallback);
  const Detection v6_peer =
      detectClientIp(config, ip("2001:db8::5"), withXff("2001:db9::1, 2001:db8::ff"), "http");
  EXPECT_EQ(v6_peer.client, ip("2001:db9::1"));
}

TEST(ClientIpTrustedCidrs, UnparsableEntryDuringTheWalkFallsBack) {
  const Detection d = detectClientIp(e2eTrustedCidrs(), ip(kTrustedLb),
                                     withXff("203.0.113.7, bogus, 10.0.1.12"), "http");
  EXPECT_TRUE(d.fallback);
  EXPECT_EQ(d.client, ip(kTrustedLb));
  EXPECT_EQ(lastStep(d),
            "entry 2 = \"bogus\" is not an IP literal → fallback: client = peer "
            "10.0.0.5");
  // Left of the decisive entry nothing is read.
  const Detection stops = detectClientIp(e2eTrustedCidrs(), ip(kTrustedLb),
                                         withXff("bogus, 203.0.113.7, 10.0.1.12"), "http");
  EXPECT_EQ(stops.client, ip("203.0.113.7"));
}

TEST(ClientIpTrustedCidrs, SeveralXffFieldsCombine) {
  http1::HeaderList headers{{"X-Forwarded-For", "192.168.2.1"},
                            {"x-forwarded-for", "192.168.1.1, 10.0.1.12"}};
  const Detection d = detectClientIp(e2eTrustedCidrs(), ip(kTrustedLb), headers, "http");
  EXPECT_EQ(d.client, ip("192.168.1.1"));
}

TEST(ClientIpTrustedCidrs, TraceShowsEveryStepAndTheDecisiveOneLast) {
  const Detection d = detectClientIp(e2eTrustedCidrs(), ip(kTrustedLb),
                                     withXff("192.168.2.1,192.168.1.1,10.0.1.12"), "http");
  const std::vector<std::string> expected = {
      "mode xForwardedFor.trustedCIDRs [172.0.0.0/8, 10.0.0.0/8, ::/0]",
      "peer 10.0.0.5 is trusted (in 10.0.0.0/8)",
      "XFF entries from the right: [10.0.1.12, 192.168.1.1, 192.168.2.1]",
      "entry 1 = 10.0.1.12 is trusted (in 10.0.0.0/8), skipped",
      "entry 2 = 192.168.1.1 is not trusted → client",
  };
  EXPECT_EQ(d.trace, expected);
  const Detection spoof =
      detectClientIp(e2eTrustedCidrs(), ip("198.51.100.9"), withXff("1.2.3.4"), "http");
  EXPECT_EQ(lastStep(spoof),
            "peer 198.51.100.9 is in no trusted CIDR → fallback: client = peer 198.51.100.9");
  EXPECT_FALSE(traceHas(spoof.trace, "XFF entries"));
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
