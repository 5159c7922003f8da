// applyForwardingHeaders (spec 4.6.1, 4.6.5, 4.6.6): XFF append or not per mode, X-Forwarded-Proto
// overwrite or set-if-absent, x-envoy-external-address on edge requests, rejected requests.
#include "ctplab/proxy/client_ip/forwarding_headers.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "client_ip/client_ip_fixture.h"

namespace ctplab::proxy::client_ip {
namespace {

using http1::HeaderList;
using test_support::customHeader;
using test_support::e2eTrustedCidrs;
using test_support::ip;
using test_support::noDetection;
using test_support::traceHas;
using test_support::trustedHops;

constexpr char kPeer[] = "10.0.0.5";

// Detects and forwards; returns the forwarding trace.
std::vector<std::string> forward(const ClientIpConfig& config, HeaderList& headers,
                                 std::string_view scheme = "http", const char* peer = kPeer) {
  const Detection d = detectClientIp(config, ip(peer), headers, scheme);
  return applyForwardingHeaders(config, d, headers);
}

std::string value(const HeaderList& headers, std::string_view name) {
  const http1::Header* h = http1::findHeader(headers, name);
  return h ? h->value : "<absent>";
}

TEST(ClientIpForwarding, EdgeRequestCreatesXffAndOverwritesProto) {
  HeaderList headers{{"host", "www.example.com"},
                     {"X-Forwarded-Proto", "https"},
                     {"x-envoy-external-address", "6.6.6.6"}};
  const auto steps = forward(noDetection(), headers, "http");
  const HeaderList expected{{"host", "www.example.com"},
                            {"X-Forwarded-Proto", "http"},
                            {"x-envoy-external-address", "10.0.0.5"},
                            {"x-forwarded-for", "10.0.0.5"}};
  EXPECT_EQ(headers, expected);
  const std::vector<std::string> expected_steps = {
      "XFF: created with peer 10.0.0.5",
      "X-Forwarded-Proto: overwritten with http (client sent \"https\")",
      "x-envoy-external-address: set to peer 10.0.0.5",
  };
  EXPECT_EQ(steps, expected_steps);
}

TEST(ClientIpForwarding, EdgeRequestAppendsToAClientXff) {
  HeaderList headers{{"X-Forwarded-For", "1.2.3.4"}};
  forward(noDetection(), headers, "https");
  EXPECT_EQ(value(headers, "x-forwarded-for"), "1.2.3.4,10.0.0.5");
  EXPECT_EQ(value(headers, "x-forwarded-proto"), "https");
  EXPECT_EQ(headers.front().name, "X-Forwarded-For");  // the field keeps its place and case
}

TEST(ClientIpForwarding, ExternalAddressCanBeLeftAlone) {
  ClientIpConfig config = noDetection();
  config.set_external_address_on_edge = false;
  HeaderList headers;
  const auto steps = forward(config, headers);
  EXPECT_EQ(value(headers, "x-envoy-external-address"), "<absent>");
  EXPECT_FALSE(traceHas(steps, "x-envoy-external-address"));
}

TEST(ClientIpForwarding, TrustedHopsKeepTheClientsProtoAndAddNoExternalAddress) {
  HeaderList headers{{"x-forwarded-for", "203.0.113.7"},
                     {"x-forwarded-proto", "https"},
                     {"x-envoy-external-address", "6.6.6.6"}};
  const auto steps = forward(trustedHops(1), headers, "http");
  const HeaderList expected{{"x-forwarded-for", "203.0.113.7,10.0.0.5"},
                            {"x-forwarded-proto", "https"},
                            {"x-envoy-external-address", "6.6.6.6"}};
  EXPECT_EQ(headers, expected);
  EXPECT_TRUE(traceHas(steps, "X-Forwarded-Proto: https kept"));
}

TEST(ClientIpForwarding, TrustedHopsSetProtoOnlyIfAbsent) {
  HeaderList headers{{"x-forwarded-for", "203.0.113.7"}};
  forward(trustedHops(1), headers, "https");
  EXPECT_EQ(value(headers, "x-forwarded-proto"), "https");
}

TEST(ClientIpForwarding, CustomHeaderModeDoesNotAppendByDefault) {
  HeaderList headers{{"x-real-ip", "203.0.113.7"}, {"x-forwarded-for", "1.2.3.4"}};
  const auto steps = forward(customHeader("x-real-ip", false), headers);
  EXPECT_EQ(value(headers, "x-forwarded-for"), "1.2.3.4");
  EXPECT_TRUE(traceHas(steps, "XFF: forwarded as received (customHeader mode)"));
  ClientIpConfig appending = customHeader("x-real-ip", false);
  appending.append_xff_with_custom_header = true;
  HeaderList again{{"x-real-ip", "203.0.113.7"}};
  forward(appending, again);
  EXPECT_EQ(value(again, "x-forwarded-for"), "10.0.0.5");
}

TEST(ClientIpForwarding, FallbackAppendsUnlessConfiguredOtherwise) {
  HeaderList untrusted_peer{{"x-forwarded-for", "1.2.3.4"}};
  forward(e2eTrustedCidrs(), untrusted_peer, "http", "198.51.100.9");
  EXPECT_EQ(value(untrusted_peer, "x-forwarded-for"), "1.2.3.4,198.51.100.9");
  ClientIpConfig quiet = trustedHops(3);
  quiet.append_xff_on_fallback = false;
  HeaderList too_few{{"x-forwarded-for", "1.2.3.4"}};
  const auto steps = forward(quiet, too_few);
  EXPECT_EQ(value(too_few, "x-forwarded-for"), "1.2.3.4");
  EXPECT_TRUE(traceHas(steps, "(detection fell back)"));
}

TEST(ClientIpForwarding, SeveralXffFieldsLeaveAsOne) {
  HeaderList headers{{"x-forwarded-for", "1.1.1.1"}, {"X-Forwarded-For", "2.2.2.2"}};
  const auto steps = forward(trustedHops(1, /*disable_append=*/true), headers);
  const HeaderList expected{{"x-forwarded-for", "1.1.1.1,2.2.2.2"}, {"x-forwarded-proto", "http"}};
  EXPECT_EQ(headers, expected);
  EXPECT_TRUE(traceHas(steps, "XFF: 2 fields folded into one"));
}

TEST(ClientIpForwarding, EmptyXffGetsThePeerWithoutASeparator) {
  HeaderList headers{{"x-forwarded-for", ""}};
  forward(noDetection(), headers);
  EXPECT_EQ(value(headers, "x-forwarded-for"), "10.0.0.5");
}

TEST(ClientIpForwarding, Ipv6PeerIsAppendedInCanonicalForm) {
  HeaderList headers{{"x-forwarded-for", "2001:db8::1"}};
  forward(trustedHops(1), headers, "https", "2001:DB8:0:0::5");
  EXPECT_EQ(value(headers, "x-forwarded-for"), "2001:db8::1,2001:db8::5");
}

TEST(ClientIpForwarding, RejectedRequestIsLeftAlone) {
  const ClientIpConfig config = customHeader("x-real-ip", true);
  HeaderList headers{{"x-forwarded-for", "1.2.3.4"}};
  const HeaderList before = headers;
  const auto steps = forward(config, headers);
  EXPECT_TRUE(steps.empty());
  EXPECT_EQ(headers, before);
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
