// Servers sharing one UDP port (one per worker): their connection IDs carry the server's tag and
// serverTagOf reads it back, so a packet the kernel hands to the wrong socket can be passed on.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "http3/server_world.h"

namespace ctplab::proxy::http3::test {
namespace {

constexpr size_t kCidLength = 18;  // what the server issues

std::string shortHeader(uint8_t first_cid_byte) {
  std::string d(1 + kCidLength + 24, '\x5a');
  d[0] = 0x41;
  d[1] = static_cast<char>(first_cid_byte);
  return d;
}

// A long header of QUIC `version` and packet `type` (0 Initial, 1 0-RTT, 2 Handshake).
std::string longHeader(uint8_t type, uint32_t version, uint8_t dcid_length, uint8_t first) {
  std::string d;
  d += static_cast<char>(0xC0 | (type << 4));
  for (int shift = 24; shift >= 0; shift -= 8) d += static_cast<char>((version >> shift) & 0xFF);
  d += static_cast<char>(dcid_length);
  std::string dcid(dcid_length, '\x11');
  if (dcid_length > 0) dcid[0] = static_cast<char>(first);
  d += dcid;
  d += '\x08';
  d += std::string(8, '\x22');
  d += std::string(40, '\0');
  return d;
}

TEST(ServerTagOf, ReadsTheTagOfShortHeaderAndHandshakePackets) {
  EXPECT_EQ(serverTagOf(shortHeader(7)), 7);
  EXPECT_EQ(serverTagOf(shortHeader(0)), 0);
  EXPECT_EQ(serverTagOf(longHeader(2, 1, kCidLength, 200)), 200);
}

TEST(ServerTagOf, LeavesClientChosenAndUnreadableConnectionIdsWhereTheyArrived) {
  EXPECT_EQ(serverTagOf(longHeader(0, 1, kCidLength, 3)), std::nullopt);           // Initial
  EXPECT_EQ(serverTagOf(longHeader(1, 1, kCidLength, 3)), std::nullopt);           // 0-RTT
  EXPECT_EQ(serverTagOf(longHeader(2, 0x6b3343cf, kCidLength, 3)), std::nullopt);  // v2
  EXPECT_EQ(serverTagOf(longHeader(2, 1, 8, 3)), std::nullopt);  // not a CID we issue
  EXPECT_EQ(serverTagOf(longHeader(2, 1, 0, 3)), std::nullopt);
  EXPECT_EQ(serverTagOf(shortHeader(7).substr(0, kCidLength)), std::nullopt);  // truncated
  EXPECT_EQ(serverTagOf(longHeader(2, 1, kCidLength, 3).substr(0, 10)), std::nullopt);
  EXPECT_EQ(serverTagOf(""), std::nullopt);
}

// Two servers on one port. A client's first flight goes where "the kernel" puts it (by the
// client's port); from then on every datagram must name, by its tag, the server that accepted the
// connection, and delivering by the tag alone serves every request.
TEST(PortSharing, EveryPacketAfterTheFirstFlightNamesTheServerThatAcceptedIt) {
  constexpr std::array<uint8_t, 2> kTags = {4, 9};
  std::array<Http3Stats, 2> stats;
  std::array<Http3Server, 2> servers = {Http3Server(setupOf(awesomeConfig()), stats[0], kTags[0]),
                                        Http3Server(setupOf(awesomeConfig()), stats[1], kTags[1])};
  const UdpEndpoint server_address = World::kServer;
  TimePoint now = kStart;
  ClientOptions options;
  options.sni = "www.example.com";
  options.initial_rtt = Duration::milliseconds(10);
  std::vector<std::unique_ptr<Http3Client>> clients;
  for (uint16_t port = 40000; port < 40006; ++port) {
    clients.push_back(
        std::make_unique<Http3Client>(now, endpoint("127.0.0.1", port), server_address, options));
  }
  const auto arrival = [](const Http3Client& c) { return c.local().port % 2; };
  std::array<size_t, 2> short_headers = {0, 0};  // tagged 1-RTT datagrams, by server
  size_t untagged = 0;
  std::vector<std::pair<Http3Client*, int64_t>> asked;
  for (int round = 0; round < 5000; ++round) {
    now = now + Duration::milliseconds(1);
    for (auto& c : clients) {
      // Two requests with the handshake's end, a third once they are answered (1-RTT only).
      const auto& responses = c->responses();
      if (c->handshakeCompleted() && responses.empty()) {
        asked.emplace_back(c.get(), c->get("/a", "www.example.com"));
        asked.emplace_back(c.get(), c->get("/b", "www.example.com"));
      } else if (responses.size() == 2 &&
                 std::all_of(responses.begin(), responses.end(),
                             [](const auto& r) { return r.second.complete; })) {
        asked.emplace_back(c.get(), c->get("/c", "www.example.com"));
      }
      for (const std::string& d : c->write(now)) {
        const auto tag = serverTagOf(d);
        size_t to = arrival(*c);
        if (tag) {
          ASSERT_TRUE(*tag == kTags[0] || *tag == kTags[1]) << "tag " << int(*tag);
          to = *tag == kTags[0] ? 0 : 1;
          EXPECT_EQ(to, arrival(*c)) << "a connection's CIDs name the server that accepted it";
          if ((static_cast<uint8_t>(d[0]) & 0x80) == 0) ++short_headers[to];
        } else {
          ++untagged;
        }
        servers[to].onDatagram(now, server_address, c->local(), d);
      }
    }
    for (size_t s = 0; s < servers.size(); ++s) {
      while (auto e = servers[s].nextEvent()) {
        auto* stream = std::get_if<StreamEvent>(&*e);
        if (stream == nullptr || !std::holds_alternative<http1::RequestComplete>(stream->event)) {
          continue;
        }
        http1::ResponseHead head;
        head.status = 200;
        head.headers = {{"Content-Length", "1"}};
        servers[s].respond(now, stream->connection, http1::requestIdOf(stream->event), head,
                           s == 0 ? "0" : "1");
      }
      for (Datagram& d : servers[s].takeOutput()) {
        for (auto& c : clients) {
          if (c->local() == d.remote) c->read(now, d.bytes);
        }
      }
      if (auto e = servers[s].nextExpiry(); e && *e <= now) servers[s].onExpiry(now);
    }
    for (auto& c : clients) {
      if (!c->dead() && c->expiry() <= now) c->handleExpiry(now);
    }
    const bool done = asked.size() == 3 * clients.size() &&
                      std::all_of(asked.begin(), asked.end(), [](const auto& a) {
                        auto it = a.first->responses().find(a.second);
                        return it != a.first->responses().end() && it->second.complete;
                      });
    if (done) break;
  }
  ASSERT_EQ(asked.size(), 3 * clients.size());
  for (const auto& [client, stream] : asked) {
    const ClientResponse& r = client->responses().at(stream);
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body, client->local().port % 2 == 0 ? "0" : "1");
  }
  EXPECT_EQ(stats[0].downstream_cx_total, 3u);
  EXPECT_EQ(stats[1].downstream_cx_total, 3u);
  EXPECT_GE(short_headers[0], 3u);
  EXPECT_GE(short_headers[1], 3u);
  EXPECT_GE(untagged, clients.size());  // the Initials
  EXPECT_EQ(stats[0].stateless_reset_sent + stats[1].stateless_reset_sent, 0u);
}

}  // namespace
}  // namespace ctplab::proxy::http3::test
