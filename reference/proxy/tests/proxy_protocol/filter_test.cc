// The per-connection filter: which address the connection continues with, when it is closed, how
// many bytes it takes, and which Envoy counter each outcome increments.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "proxy_protocol/test_support.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

using testing::endpoint;
using testing::sampleInet4Block;
using testing::sampleInet6Block;
using testing::v2;

const Endpoint kSocketPeer = endpoint("10.0.0.7", 40000);
const std::string kHttp = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
const std::string kV1Line = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n";

ProxyProtocolConfig required() { return ProxyProtocolConfig{.enabled = true}; }
ProxyProtocolConfig optional() { return ProxyProtocolConfig{.enabled = true, .optional = true}; }

// Nonzero counters by Envoy name.
std::map<std::string, uint64_t> counters(const ProxyProtocolStats& stats) {
  std::map<std::string, uint64_t> out;
  stats.forEach([&](std::string_view name, uint64_t value) {
    if (value != 0) out.emplace(std::string(name), value);
  });
  return out;
}

using Counters = std::map<std::string, uint64_t>;

TEST(ProxyProtocolFilter, V1Tcp4ReplacesThePeerAndLeavesThePayload) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(required(), kSocketPeer, stats);
  EXPECT_EQ(f.feed(kV1Line + kHttp), kV1Line.size());
  EXPECT_EQ(f.state(), FilterState::kContinue);
  EXPECT_EQ(f.peer(), endpoint("192.0.2.1", 56324));
  ASSERT_TRUE(f.header().has_value());
  EXPECT_EQ(f.header()->destination, endpoint("198.51.100.2", 443));
  EXPECT_TRUE(f.passthrough().empty());
  EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.versions.v1.found", 1}}));
  EXPECT_EQ(f.feed(kHttp), 0u);  // decided: later bytes belong to the next stage
}

TEST(ProxyProtocolFilter, V2ProxyInetAndInet6ReplaceThePeer) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter v4(required(), kSocketPeer, stats);
  v4.feed(v2(0x21, 0x11, sampleInet4Block()));
  EXPECT_EQ(v4.peer(), endpoint("192.0.2.1", 56324));
  ProxyProtocolFilter v6(required(), kSocketPeer, stats);
  v6.feed(v2(0x21, 0x21, sampleInet6Block() + testing::tlv(1, "h2")));
  EXPECT_EQ(v6.state(), FilterState::kContinue);
  EXPECT_EQ(v6.peer(), endpoint("2001:db8::1", 4000));
  EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.versions.v2.found", 2}}));
}

TEST(ProxyProtocolFilter, V1UnknownAndV2LocalKeepTheSocketPeer) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter unknown(required(), kSocketPeer, stats);
  EXPECT_EQ(unknown.feed("PROXY UNKNOWN 192.0.2.1 198.51.100.2 1 2\r\n"), 42u);
  EXPECT_EQ(unknown.state(), FilterState::kContinue);
  EXPECT_EQ(unknown.peer(), kSocketPeer);
  ProxyProtocolFilter local(required(), kSocketPeer, stats);
  EXPECT_EQ(local.feed(v2(0x20, 0x11, sampleInet4Block()) + kHttp), 28u);
  EXPECT_EQ(local.state(), FilterState::kContinue);
  EXPECT_EQ(local.peer(), kSocketPeer);
  EXPECT_EQ(counters(stats),
            (Counters{{"proxy_proto.versions.v1.found", 1}, {"proxy_proto.versions.v2.found", 1}}));
}

TEST(ProxyProtocolFilter, V2ProxyUnspecOrUnixClosesByDefaultAsEnvoyDoes) {
  for (const std::string& header : {v2(0x21, 0x00, ""), v2(0x21, 0x31, std::string(216, 'p'))}) {
    ProxyProtocolStats stats;
    ProxyProtocolFilter f(required(), kSocketPeer, stats);
    f.feed(header);
    EXPECT_EQ(f.state(), FilterState::kClose);
    EXPECT_EQ(f.closeReason(), CloseReason::kError);
    EXPECT_EQ(f.errorDetail(), "unsupported address family");
    EXPECT_TRUE(f.header().has_value());
    EXPECT_EQ(counters(stats), (Counters{{"downstream_cx_proxy_proto_error", 1},
                                         {"proxy_proto.versions.v2.error", 1}}));
  }
}

TEST(ProxyProtocolFilter, V2ProxyUnspecOrUnixCanKeepTheSocketPeer) {
  ProxyProtocolConfig config = required();
  config.unsupported_family = UnsupportedFamily::kKeepSocketPeer;
  for (const std::string& header : {v2(0x21, 0x00, ""), v2(0x21, 0x31, std::string(216, 'p'))}) {
    ProxyProtocolStats stats;
    ProxyProtocolFilter f(config, kSocketPeer, stats);
    EXPECT_EQ(f.feed(header + kHttp), header.size());
    EXPECT_EQ(f.state(), FilterState::kContinue);
    EXPECT_EQ(f.peer(), kSocketPeer);
    EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.versions.v2.found", 1}}));
  }
}

TEST(ProxyProtocolFilter, RequiredClosesAPlainHttpRequest) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(required(), kSocketPeer, stats);
  EXPECT_EQ(f.feed(kHttp), kHttp.size());
  EXPECT_EQ(f.state(), FilterState::kClose);
  EXPECT_EQ(f.closeReason(), CloseReason::kNotFoundDisallowed);
  EXPECT_EQ(counters(stats), (Counters{{"downstream_cx_proxy_proto_error", 1},
                                       {"proxy_proto.not_found_disallowed", 1}}));
}

TEST(ProxyProtocolFilter, OptionalPassesAPlainHttpRequestThroughUntouched) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(optional(), kSocketPeer, stats);
  EXPECT_EQ(f.feed(kHttp), 0u);  // every byte stays with the caller for the HTTP codec
  EXPECT_EQ(f.state(), FilterState::kContinue);
  EXPECT_EQ(f.peer(), kSocketPeer);
  EXPECT_TRUE(f.passthrough().empty());
  EXPECT_FALSE(f.header().has_value());
  EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.not_found_allowed", 1}}));
}

TEST(ProxyProtocolFilter, OptionalHandsBackASignaturePrefixItHadTaken) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(optional(), kSocketPeer, stats);
  EXPECT_EQ(f.feed("PRO"), 3u);
  EXPECT_EQ(f.state(), FilterState::kPending);
  EXPECT_EQ(f.feed("PFIND / HTTP/1.1\r\n"), 0u);
  EXPECT_EQ(f.state(), FilterState::kContinue);
  EXPECT_EQ(f.passthrough(), "PRO");  // then the caller's untaken "PFIND ..."
  EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.not_found_allowed", 1}}));
}

TEST(ProxyProtocolFilter, TlsClientHelloFirstByte) {
  const std::string hello = testing::bytes({0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00});
  ProxyProtocolStats stats;
  ProxyProtocolFilter passes(optional(), kSocketPeer, stats);
  EXPECT_EQ(passes.feed(hello.substr(0, 1)), 0u);  // one byte is enough to tell
  EXPECT_EQ(passes.state(), FilterState::kContinue);
  ProxyProtocolFilter closes(required(), kSocketPeer, stats);
  closes.feed(hello);
  EXPECT_EQ(closes.closeReason(), CloseReason::kNotFoundDisallowed);
  EXPECT_EQ(counters(stats), (Counters{{"downstream_cx_proxy_proto_error", 1},
                                       {"proxy_proto.not_found_allowed", 1},
                                       {"proxy_proto.not_found_disallowed", 1}}));
}

TEST(ProxyProtocolFilter, OptionalStillParsesAndEnforcesAHeaderThatIsThere) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter good(optional(), kSocketPeer, stats);
  good.feed(kV1Line);
  EXPECT_EQ(good.peer(), endpoint("192.0.2.1", 56324));
  ProxyProtocolFilter bad(optional(), kSocketPeer, stats);
  bad.feed("PROXY TCP4 192.0.2.1 198.51.100.2 56324 0443\r\n");
  EXPECT_EQ(bad.state(), FilterState::kClose);
  EXPECT_EQ(bad.closeReason(), CloseReason::kError);
  EXPECT_EQ(bad.errorDetail(), "bad destination port");
  EXPECT_EQ(counters(stats), (Counters{{"downstream_cx_proxy_proto_error", 1},
                                       {"proxy_proto.versions.v1.error", 1},
                                       {"proxy_proto.versions.v1.found", 1}}));
}

TEST(ProxyProtocolFilter, MalformedV2CountsAV2Error) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(required(), kSocketPeer, stats);
  f.feed(v2(0x21, 0x12, sampleInet4Block()));
  EXPECT_EQ(f.closeReason(), CloseReason::kError);
  EXPECT_EQ(counters(stats), (Counters{{"downstream_cx_proxy_proto_error", 1},
                                       {"proxy_proto.versions.v2.error", 1}}));
}

TEST(ProxyProtocolFilter, WaitsForTheWholeHeaderAndTakesOnlyIt) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(required(), kSocketPeer, stats);
  const std::string header = v2(0x21, 0x11, sampleInet4Block() + testing::tlv(2, "a.example"));
  EXPECT_EQ(f.feed(header.substr(0, 20)), 20u);
  EXPECT_EQ(f.state(), FilterState::kPending);
  EXPECT_TRUE(counters(stats).empty());
  EXPECT_EQ(f.feed(header.substr(20) + kHttp), header.size() - 20);
  EXPECT_EQ(f.state(), FilterState::kContinue);
}

TEST(ProxyProtocolFilter, NotInstalledContinuesAtOnceAndCountsNothing) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(ProxyProtocolConfig{}, kSocketPeer, stats);
  EXPECT_EQ(f.state(), FilterState::kContinue);
  EXPECT_EQ(f.feed(kV1Line), 0u);
  EXPECT_EQ(f.peer(), kSocketPeer);
  EXPECT_TRUE(counters(stats).empty());
}

TEST(ProxyProtocolFilter, EmptyFeedsChangeNothing) {
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(optional(), kSocketPeer, stats);
  EXPECT_EQ(f.feed(""), 0u);
  EXPECT_EQ(f.state(), FilterState::kPending);
  EXPECT_TRUE(counters(stats).empty());
}

TEST(ProxyProtocolFilter, DisallowedVersionClosesWhenRequiredAndPassesWhenOptional) {
  ProxyProtocolConfig config = required();
  config.allow_v1 = false;
  ProxyProtocolStats stats;
  ProxyProtocolFilter denied(config, kSocketPeer, stats);
  denied.feed(kV1Line);
  EXPECT_EQ(denied.closeReason(), CloseReason::kVersionDisallowed);
  ProxyProtocolFilter v2_still_ok(config, kSocketPeer, stats);
  v2_still_ok.feed(v2(0x21, 0x11, sampleInet4Block()));
  EXPECT_EQ(v2_still_ok.state(), FilterState::kContinue);
  // Envoy counts found + disallowed and leaves the legacy error counter alone.
  EXPECT_EQ(counters(stats), (Counters{{"proxy_proto.versions.v1.disallowed", 1},
                                       {"proxy_proto.versions.v1.found", 1},
                                       {"proxy_proto.versions.v2.found", 1}}));

  config.optional = true;
  ProxyProtocolStats optional_stats;
  ProxyProtocolFilter passes(config, kSocketPeer, optional_stats);
  EXPECT_EQ(passes.feed(kV1Line), 0u);
  EXPECT_EQ(passes.state(), FilterState::kContinue);
  EXPECT_EQ(passes.peer(), kSocketPeer);
  EXPECT_EQ(counters(optional_stats), (Counters{{"proxy_proto.not_found_allowed", 1}}));
}

TEST(ProxyProtocolFilter, OversizedChunkIsTakenOnlyUpToTheHeader) {
  const std::string header =
      v2(0x21, 0x11, sampleInet4Block() + testing::tlv(0x20, std::string(65535 - 15, 'v')));
  ProxyProtocolStats stats;
  ProxyProtocolFilter f(required(), kSocketPeer, stats);
  EXPECT_EQ(f.feed(header + std::string(100000, 'p')), kV2MaxLength);
  EXPECT_EQ(f.state(), FilterState::kContinue);
}

TEST(ProxyProtocolStats, NamesAreEnvoysInListOrder) {
  std::vector<std::string> names;
  ProxyProtocolStats().forEach([&](std::string_view name, uint64_t) { names.emplace_back(name); });
  EXPECT_EQ(names, (std::vector<std::string>{
                       "downstream_cx_proxy_proto_error", "proxy_proto.not_found_allowed",
                       "proxy_proto.not_found_disallowed", "proxy_proto.versions.v1.disallowed",
                       "proxy_proto.versions.v1.error", "proxy_proto.versions.v1.found",
                       "proxy_proto.versions.v2.disallowed", "proxy_proto.versions.v2.error",
                       "proxy_proto.versions.v2.found"}));
  EXPECT_EQ(statName(ProxyProtocolStat::v2_found), "proxy_proto.versions.v2.found");
}

}  // namespace
}  // namespace ctplab::proxy::proxy_protocol
