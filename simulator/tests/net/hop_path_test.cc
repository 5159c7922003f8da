// Crossing hops: what the gateway receives from each kind of device and from clients that write
// their own headers, including the refusals that make a population unusable.
#include "ctplab/simulator/net/hop_path.h"

#include <gtest/gtest.h>

#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::sim::net {
namespace {

using scenario::Hop;

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

Hop l7(std::string name, std::string egress, Hop::Xff xff = Hop::Xff::kAppend) {
  Hop h;
  h.name = std::move(name);
  h.kind = Hop::Kind::kL7LoadBalancer;
  h.egress_cidr = std::move(egress);
  h.xff = xff;
  return h;
}

Hop l4(std::string name, std::string egress, Hop::ProxyProtocol pp) {
  Hop h;
  h.name = std::move(name);
  h.kind = Hop::Kind::kL4LoadBalancer;
  h.egress_cidr = std::move(egress);
  h.proxy_protocol = pp;
  return h;
}

std::string xff(const proxy::http1::HeaderList& headers) {
  const auto* h = proxy::http1::findHeader(headers, "x-forwarded-for");
  return h ? h->value : "<absent>";
}

TEST(HopPath, DirectClientArrivesAsItself) {
  proxy::http1::HeaderList headers;
  auto a = traverse({}, {ip("203.0.113.7"), 40000, 0, std::nullopt}, 80, headers);
  EXPECT_EQ(a.peer, ip("203.0.113.7"));
  EXPECT_TRUE(a.preamble.empty());
  EXPECT_FALSE(a.refused_by);
  EXPECT_EQ(xff(headers), "<absent>");
}

TEST(HopPath, TwoL7HopsAppendInOrderAndTheLastIsThePeer) {
  const Hop cdn = l7("cdn", "172.16.0.0/24"), ingress = l7("ingress", "10.1.0.0/24");
  proxy::http1::HeaderList headers = {{"X-Forwarded-For", "10.0.0.1"}};
  auto a = traverse({&cdn, &ingress}, {ip("198.51.100.9"), 40000, 3, std::nullopt}, 80, headers);
  EXPECT_EQ(xff(headers), "10.0.0.1, 198.51.100.9, 172.16.0.3");
  EXPECT_EQ(a.peer, ip("10.1.0.3"));
  EXPECT_EQ(a.trace.size(), 3u);  // the client's header, then one line per hop
}

TEST(HopPath, ReplacingHopAndClientHeaderOverwriteForgeries) {
  Hop cdn = l7("cdn", "172.16.0.0/24", Hop::Xff::kReplace);
  cdn.client_header = "CF-Connecting-IP";
  proxy::http1::HeaderList headers = {{"x-forwarded-for", "10.0.0.1"},
                                      {"cf-connecting-ip", "10.0.0.1"}};
  traverse({&cdn}, {ip("198.51.100.9"), 40000, 0, std::nullopt}, 80, headers);
  EXPECT_EQ(xff(headers), "198.51.100.9");
  ASSERT_NE(proxy::http1::findHeader(headers, "CF-Connecting-IP"), nullptr);
  EXPECT_EQ(proxy::http1::findHeader(headers, "CF-Connecting-IP")->value, "198.51.100.9");
  EXPECT_EQ(headers.size(), 2u);
}

TEST(HopPath, L4WithProxyProtocolDescribesTheClientAndNatHidesIt) {
  const Hop nat = [] {
    Hop h;
    h.name = "nat";
    h.kind = Hop::Kind::kNat;
    h.egress_cidr = "100.64.0.0/30";
    return h;
  }();
  const Hop nlb = l4("nlb", "172.31.0.0/24", Hop::ProxyProtocol::kV2);
  proxy::http1::HeaderList headers;
  auto a = traverse({&nat, &nlb}, {ip("192.168.1.20"), 40000, 5, std::nullopt}, 443, headers);
  EXPECT_EQ(a.peer, ip("172.31.0.5"));
  auto parsed = proxy::proxy_protocol::parseHeader(a.preamble);
  ASSERT_TRUE(std::holds_alternative<proxy::proxy_protocol::ParsedHeader>(parsed));
  const auto& h = std::get<proxy::proxy_protocol::ParsedHeader>(parsed);
  EXPECT_EQ(h.version, proxy::proxy_protocol::Version::kV2);
  EXPECT_EQ(h.source->address, ip("100.64.0.1"));  // the NAT's address at index 5 mod 4
  EXPECT_EQ(h.destination->port, 443);
}

TEST(HopPath, ForgedProxyHeaderPassesAnL4HopWithoutProxyProtocolAndStaysInnermost) {
  scenario::ClientProxyHeader forged;
  forged.version = Hop::ProxyProtocol::kV1;
  forged.source = "10.0.0.1";
  const Hop plain = l4("plain", "172.31.0.0/24", Hop::ProxyProtocol::kNone);
  proxy::http1::HeaderList headers;
  auto a = traverse({&plain}, {ip("198.51.100.9"), 40000, 0, forged}, 80, headers);
  EXPECT_EQ(a.preamble, "PROXY TCP4 10.0.0.1 10.96.0.10 40000 80\r\n");
  const Hop pp = l4("pp", "172.31.1.0/24", Hop::ProxyProtocol::kV1);
  auto b = traverse({&pp}, {ip("198.51.100.9"), 40000, 0, forged}, 80, headers);
  // The load balancer's header comes first; the forged one follows as payload.
  EXPECT_TRUE(b.preamble.starts_with("PROXY TCP4 198.51.100.9 "));
  EXPECT_TRUE(b.preamble.ends_with("PROXY TCP4 10.0.0.1 10.96.0.10 40000 80\r\n"));
}

TEST(HopPath, L7HopRefusesAProxyHeaderUnlessItReadsThem) {
  scenario::ClientProxyHeader forged;
  forged.source = "10.0.0.1";
  Hop cdn = l7("cdn", "172.16.0.0/24");
  proxy::http1::HeaderList headers;
  auto refused = traverse({&cdn}, {ip("198.51.100.9"), 40000, 0, forged}, 80, headers);
  ASSERT_TRUE(refused.refused_by);
  EXPECT_EQ(*refused.refused_by, "cdn");
  cdn.accept_proxy_protocol = true;
  headers.clear();
  auto read = traverse({&cdn}, {ip("198.51.100.9"), 40000, 0, forged}, 80, headers);
  EXPECT_FALSE(read.refused_by);
  EXPECT_EQ(xff(headers), "10.0.0.1");  // it believes the header it was told to read
  EXPECT_TRUE(read.preamble.empty());
}

}  // namespace
}  // namespace ctplab::sim::net
