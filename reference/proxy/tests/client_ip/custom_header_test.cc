// customHeader detection (spec 4.6.4): valid, missing and invalid values with and without
// failClosed, the 403 and its counter, IPv6, lookup rules and the trace.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "client_ip/client_ip_fixture.h"
#include "ctplab/proxy/client_ip/client_ip_stats.h"
#include "ctplab/proxy/client_ip/detection.h"

namespace ctplab::proxy::client_ip {
namespace {

using http1::HeaderList;
using test_support::customHeader;
using test_support::ip;
using test_support::lastStep;

constexpr char kPeer[] = "10.0.0.5";

HeaderList withRealIp(std::optional<std::string> value) {
  HeaderList headers{{"host", "www.example.com"}, {"x-forwarded-for", "198.51.100.1"}};
  if (value) headers.push_back({"X-Real-IP", *value});
  return headers;
}

struct HeaderRow {
  std::string name;
  std::optional<std::string> value;  // nullopt = header missing
  bool fail_closed;
  std::optional<std::string> client;  // nullopt = rejected
  bool fallback;
};

class ClientIpCustomHeaderTable : public ::testing::TestWithParam<HeaderRow> {};

const HeaderRow kRows[] = {
    {"ValidOpen", "203.0.113.7", false, "203.0.113.7", false},
    {"ValidFailClosed", "203.0.113.7", true, "203.0.113.7", false},
    {"MissingOpen", std::nullopt, false, kPeer, true},
    {"MissingFailClosed", std::nullopt, true, std::nullopt, false},
    {"InvalidOpen", "not-an-ip", false, kPeer, true},
    {"InvalidFailClosed", "not-an-ip", true, std::nullopt, false},
    {"ListIsInvalid", "203.0.113.7, 198.51.100.2", true, std::nullopt, false},
    {"PortIsInvalid", "203.0.113.7:8080", false, kPeer, true},
    {"EmptyIsInvalid", "", true, std::nullopt, false},
    {"Ipv6", "2001:db8::7", true, "2001:db8::7", false},
};

TEST_P(ClientIpCustomHeaderTable, Outcome) {
  const HeaderRow& row = GetParam();
  const ClientIpConfig config = customHeader("X-Real-IP", row.fail_closed);
  const Detection d = detectClientIp(config, ip(kPeer), withRealIp(row.value), "http");
  EXPECT_FALSE(d.edge_request);
  EXPECT_EQ(d.fallback, row.fallback);
  if (!row.client) {
    ASSERT_TRUE(d.reject.has_value());
    EXPECT_EQ(d.reject->status, 403);
    EXPECT_EQ(d.reject->body, "");
    EXPECT_EQ(d.reject->details, "rejecting_because_detection_failed");
    EXPECT_EQ(d.reject->stat, ClientIpStat::downstream_rq_rejected_via_ip_detection);
    EXPECT_EQ(d.client, ip(kPeer));
    return;
  }
  EXPECT_FALSE(d.reject.has_value());
  EXPECT_EQ(d.client, ip(*row.client));
  EXPECT_EQ(d.source, row.fallback ? Source::kPeer : Source::kCustomHeader);
}

INSTANTIATE_TEST_SUITE_P(Spec464, ClientIpCustomHeaderTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return info.param.name; });

TEST(ClientIpCustomHeader, NameIsCaseInsensitiveAndTheFirstFieldDecides) {
  const ClientIpConfig config = customHeader("x-real-ip", true);
  HeaderList headers{{"X-REAL-IP", "garbage"}, {"x-real-ip", "203.0.113.7"}};
  EXPECT_TRUE(detectClientIp(config, ip(kPeer), headers, "http").reject.has_value());
  headers[0].value = "203.0.113.9";
  EXPECT_EQ(detectClientIp(config, ip(kPeer), headers, "http").client, ip("203.0.113.9"));
}

TEST(ClientIpCustomHeader, XffIsNotReadInThisMode) {
  const Detection d =
      detectClientIp(customHeader("X-Real-IP", false), ip(kPeer), withRealIp(std::nullopt), "http");
  EXPECT_EQ(d.client, ip(kPeer));  // the XFF entry 198.51.100.1 is ignored
}

TEST(ClientIpCustomHeader, RejectCountsOnceInTheStats) {
  const Detection d =
      detectClientIp(customHeader("X-Real-IP", true), ip(kPeer), withRealIp(std::nullopt), "http");
  ASSERT_TRUE(d.reject.has_value());
  ClientIpStats stats;
  stats.increment(d.reject->stat);
  EXPECT_EQ(stats.downstream_rq_rejected_via_ip_detection, 1u);
  std::vector<std::pair<std::string, uint64_t>> seen;
  stats.forEach([&](std::string_view name, uint64_t value) { seen.emplace_back(name, value); });
  const std::vector<std::pair<std::string, uint64_t>> expected = {
      {"downstream_rq_rejected_via_ip_detection", 1}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(statName(ClientIpStat::downstream_rq_rejected_via_ip_detection),
            "downstream_rq_rejected_via_ip_detection");
}

TEST(ClientIpCustomHeader, TraceNamesTheDecisiveStep) {
  const ClientIpConfig closed = customHeader("X-Real-IP", true);
  EXPECT_EQ(lastStep(detectClientIp(closed, ip(kPeer), withRealIp("203.0.113.7"), "http")),
            "X-Real-IP = 203.0.113.7 → client");
  EXPECT_EQ(lastStep(detectClientIp(closed, ip(kPeer), withRealIp(std::nullopt), "http")),
            "X-Real-IP absent → failClosed: 403, downstream_rq_rejected_via_ip_detection");
  const Detection open =
      detectClientIp(customHeader("X-Real-IP", false), ip(kPeer), withRealIp("1.2.3"), "http");
  EXPECT_EQ(open.trace.front(), "mode customHeader X-Real-IP");
  EXPECT_EQ(lastStep(open),
            "X-Real-IP = \"1.2.3\" is not a single IP literal → fallback: client = peer 10.0.0.5");
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
