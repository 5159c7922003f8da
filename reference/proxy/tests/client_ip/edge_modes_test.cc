// No detection and directSourceIP (spec 4.6.1 first row): the peer is the client whatever the
// headers say, and requests are edge requests.
#include <gtest/gtest.h>

#include "client_ip/client_ip_fixture.h"
#include "ctplab/proxy/client_ip/detection.h"

namespace ctplab::proxy::client_ip {
namespace {

using test_support::directSourceIp;
using test_support::ip;
using test_support::lastStep;
using test_support::noDetection;
using test_support::withXff;

TEST(ClientIpEdgeModes, NoDetectionIgnoresXff) {
  const Detection d = detectClientIp(noDetection(), ip("198.51.100.9"), withXff("1.2.3.4"), "http");
  EXPECT_EQ(d.client, ip("198.51.100.9"));
  EXPECT_EQ(d.source, Source::kPeer);
  EXPECT_FALSE(d.fallback);
  EXPECT_FALSE(d.reject.has_value());
  EXPECT_TRUE(d.edge_request);
  EXPECT_EQ(lastStep(d), "no clientIPDetection: client = peer 198.51.100.9 (edge request)");
}

TEST(ClientIpEdgeModes, DirectSourceIpIgnoresXffAndIsNoFallback) {
  const Detection d =
      detectClientIp(directSourceIp(), ip("2001:db8::9"), withXff("1.2.3.4"), "https");
  EXPECT_EQ(d.client, ip("2001:db8::9"));
  EXPECT_EQ(d.source, Source::kPeer);
  EXPECT_FALSE(d.fallback);
  EXPECT_TRUE(d.edge_request);
  EXPECT_EQ(lastStep(d), "mode directSourceIP: client = peer 2001:db8::9 (edge request)");
}

TEST(ClientIpEdgeModes, ForwardedProtoIsTheConnectionsScheme) {
  http1::HeaderList headers = withXff(std::nullopt);
  headers.push_back({"X-Forwarded-Proto", "https"});
  EXPECT_EQ(detectClientIp(noDetection(), ip("10.0.0.5"), headers, "http").forwarded_proto, "http");
}

}  // namespace
}  // namespace ctplab::proxy::client_ip
