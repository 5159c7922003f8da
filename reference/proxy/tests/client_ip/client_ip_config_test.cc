// ClientIpConfig::fromListener: the default, every mode, the N−1 mapping, precedence and errors.
#include "ctplab/proxy/client_ip/client_ip_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctplab::proxy::client_ip {
namespace {

namespace ir = policy::ir;

ir::Listener httpListener() {
  ir::Listener l;
  l.name = "envoy-gateway/gw/http";
  l.protocol = "HTTP";
  return l;
}

ir::Listener withHops(uint32_t n) {
  ir::Listener l = httpListener();
  l.client_ip_detection.emplace();
  l.client_ip_detection->xff.emplace();
  l.client_ip_detection->xff->num_trusted_hops = n;
  return l;
}

ir::Listener withCidrs(std::vector<std::string> cidrs) {
  ir::Listener l = httpListener();
  l.client_ip_detection.emplace();
  l.client_ip_detection->xff.emplace();
  l.client_ip_detection->xff->trusted_cidrs = std::move(cidrs);
  return l;
}

ir::Listener withCustomHeader(std::string name, std::optional<bool> fail_closed) {
  ir::Listener l = httpListener();
  l.client_ip_detection.emplace();
  l.client_ip_detection->custom_header = ir::ClientIPDetection::CustomHeader{name, fail_closed};
  return l;
}

TEST(ClientIpConfig, ListenerWithoutPolicyUsesThePeer) {
  auto config = ClientIpConfig::fromListener(httpListener());
  ASSERT_TRUE(config.ok());
  const ClientIpConfig& c = config.value();
  EXPECT_EQ(c.mode, Mode::kNone);
  EXPECT_TRUE(c.edgeRequests());
  EXPECT_FALSE(c.disable_xff_append);
  EXPECT_TRUE(c.append_xff_on_fallback);
  EXPECT_FALSE(c.append_xff_with_custom_header);
  EXPECT_TRUE(c.set_external_address_on_edge);
}

TEST(ClientIpConfig, DirectSourceIpAndAnEmptyObjectAreEdgeModes) {
  ir::Listener l = httpListener();
  l.client_ip_detection.emplace();
  auto empty = ClientIpConfig::fromListener(l);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value().mode, Mode::kNone);
  l.client_ip_detection->direct_source_ip = true;
  auto direct = ClientIpConfig::fromListener(l);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct.value().mode, Mode::kDirectSourceIp);
  EXPECT_TRUE(direct.value().edgeRequests());
}

TEST(ClientIpConfig, NumTrustedHopsSkipsNMinusOneFlooredAtZero) {
  const std::vector<std::pair<uint32_t, uint32_t>> cases = {{0, 0}, {1, 0}, {2, 1}, {5, 4}};
  for (const auto& [n, skip] : cases) {
    auto config = ClientIpConfig::fromListener(withHops(n));
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config.value().mode, Mode::kNumTrustedHops);
    EXPECT_EQ(config.value().num_trusted_hops, n);
    EXPECT_EQ(config.value().hops_to_skip, skip) << "N = " << n;
    EXPECT_FALSE(config.value().edgeRequests());
  }
}

TEST(ClientIpConfig, DisableXffAppendCarriesOver) {
  ir::Listener l = withHops(1);
  l.client_ip_detection->xff->disable_append = true;
  auto config = ClientIpConfig::fromListener(l);
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config.value().disable_xff_append);
}

TEST(ClientIpConfig, TrustedCidrsAreParsed) {
  auto config = ClientIpConfig::fromListener(withCidrs({"172.0.0.0/8", "10.0.0.0/8", "::/0"}));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const ClientIpConfig& c = config.value();
  EXPECT_EQ(c.mode, Mode::kTrustedCidrs);
  ASSERT_EQ(c.trusted_cidrs.size(), 3u);
  EXPECT_EQ(c.trusted_cidrs[0].toString(), "172.0.0.0/8");
  EXPECT_EQ(c.trusted_cidrs[2].toString(), "::/0");
  EXPECT_FALSE(c.edgeRequests());
}

TEST(ClientIpConfig, BadTrustedCidrsAreErrors) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0", "10.0.0/8", "2001:db8::/129", "x/8", ""}) {
    auto config = ClientIpConfig::fromListener(withCidrs({"10.0.0.0/8", bad}));
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_NE(config.error().message.find("is not a CIDR"), std::string::npos);
  }
  auto empty = ClientIpConfig::fromListener(withCidrs({}));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "xForwardedFor.trustedCIDRs is empty");
}

TEST(ClientIpConfig, XffWithoutHopsOrCidrsIsAnError) {
  ir::Listener l = httpListener();
  l.client_ip_detection.emplace();
  l.client_ip_detection->xff.emplace();
  auto config = ClientIpConfig::fromListener(l);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "xForwardedFor sets neither numTrustedHops nor trustedCIDRs");
}

TEST(ClientIpConfig, CustomHeaderNameAndFailClosed) {
  auto open = ClientIpConfig::fromListener(withCustomHeader("X-Real-IP", std::nullopt));
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open.value().mode, Mode::kCustomHeader);
  EXPECT_EQ(open.value().custom_header, "X-Real-IP");
  EXPECT_FALSE(open.value().fail_closed);
  EXPECT_FALSE(open.value().edgeRequests());
  auto closed = ClientIpConfig::fromListener(withCustomHeader("x-client-ip", true));
  ASSERT_TRUE(closed.ok());
  EXPECT_TRUE(closed.value().fail_closed);
  for (const std::string& bad : {std::string(), std::string("x_real_ip"), std::string(256, 'a')}) {
    EXPECT_FALSE(ClientIpConfig::fromListener(withCustomHeader(bad, false)).ok()) << bad;
  }
}

TEST(ClientIpConfig, SeveralMembersResolveAsTheTranslatorDoes) {
  ir::Listener l = withCidrs({"10.0.0.0/8"});
  l.client_ip_detection->xff->num_trusted_hops = 3;
  auto cidrs = ClientIpConfig::fromListener(l);
  ASSERT_TRUE(cidrs.ok());
  EXPECT_EQ(cidrs.value().mode, Mode::kTrustedCidrs);
  l.client_ip_detection->direct_source_ip = true;
  l.client_ip_detection->custom_header = ir::ClientIPDetection::CustomHeader{"x-real-ip", true};
  auto header = ClientIpConfig::fromListener(l);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().mode, Mode::kCustomHeader);
}

TEST(ClientIpConfig, NonHttpListenerIsAnError) {
  ir::Listener l = withHops(1);
  l.protocol = "TCP";
  auto config = ClientIpConfig::fromListener(l);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("only HTTP and HTTPS"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
