// Session tickets and 0-RTT: a returning client resumes and its first request, sent with its
// first flight, is answered before its handshake completes; a ticket the server cannot read
// costs a full handshake and the early request, not the connection.
#include <gtest/gtest.h>

#include <optional>

#include "ctplab/proxy/http3/http3_client.h"
#include "ctplab/proxy/http3/http3_server.h"
#include "http3/server_world.h"

namespace ctplab::proxy::http3 {
namespace {

using test::awesomeConfig;
using test::ended;
using test::QuicTestClient;
using test::World;

// A first connection's ticket, once its request is answered.
std::optional<ClientTicket> ticketFrom(World& world) {
  QuicTestClient& client = world.connect("www.example.com", "h3");
  if (!world.runUntil([&] { return client.handshakeCompleted(); })) return std::nullopt;
  const int64_t stream = client.get("/first", "www.example.com");
  if (!world.runUntil([&] { return ended(client, stream) && client.ticket().has_value(); })) {
    return std::nullopt;
  }
  EXPECT_FALSE(client.resumed());
  return client.ticket();
}

ClientOptions resuming(ClientTicket ticket) {
  ClientOptions options;
  options.sni = "www.example.com";
  options.resume = std::move(ticket);
  return options;
}

TEST(Http3ResumptionTest, AReturningClientsFirstRequestRidesAs0RttAndIsAnsweredAtOnce) {
  World world(awesomeConfig());
  const std::optional<ClientTicket> ticket = ticketFrom(world);
  ASSERT_TRUE(ticket.has_value());
  EXPECT_FALSE(ticket->tls_session.empty());
  EXPECT_EQ(ticket->max_streams_bidi, 100u);

  QuicTestClient& client = world.connect(resuming(*ticket));
  // Before any packet: it rides as 0-RTT data (with a field that claims otherwise).
  const int64_t stream = client.request("GET", "www.example.com", "/early", {{"early-data", "0"}});
  ASSERT_GE(stream, 0);
  const TimePoint sent = world.now();
  // The first round carries the Initial and the 0-RTT request: the server has the head then,
  // one round before a client without a ticket could even send it.
  ASSERT_TRUE(world.runUntil([&] { return world.heads().size() == 2; }));
  EXPECT_EQ((world.now() - sent).wholeMilliseconds(), 1);
  EXPECT_EQ(world.heads()[1].target, "/early");
  // The origin learns it came early (RFC 8470), whatever the client claimed.
  const http1::Header* early_data = http1::findHeader(world.heads()[1].headers, "early-data");
  ASSERT_NE(early_data, nullptr);
  EXPECT_EQ(early_data->value, "1");
  EXPECT_EQ(http1::findHeader(world.heads()[0].headers, "early-data"), nullptr);
  ASSERT_EQ(world.opened().size(), 2u);
  ASSERT_TRUE(world.runUntil([&] { return ended(client, stream); }));
  EXPECT_EQ(client.responses().at(stream).status(), 200);
  EXPECT_EQ(client.responses().at(stream).body, "hello");
  EXPECT_TRUE(client.resumed());
  EXPECT_TRUE(client.earlyDataAccepted());
  // A later request on the resumed connection is plain 1-RTT; by then the server has seen the
  // handshake complete and counted how it began.
  const int64_t next = client.request("GET", "www.example.com", "/later", {{"early-data", "1"}});
  ASSERT_TRUE(world.runUntil([&] { return ended(client, next); }));
  EXPECT_EQ(client.responses().at(next).status(), 200);
  ASSERT_EQ(world.heads().size(), 3u);
  EXPECT_EQ(world.heads()[2].target, "/later");
  const http1::Header* claimed = http1::findHeader(world.heads()[2].headers, "early-data");
  ASSERT_NE(claimed, nullptr);  // a 1-RTT request's own field passes as it came
  EXPECT_EQ(claimed->value, "1");
  EXPECT_EQ(world.stats().downstream_cx_total, 2u);
  EXPECT_EQ(world.stats().downstream_cx_resumed, 1u);
  EXPECT_EQ(world.stats().downstream_cx_zero_rtt, 1u);
}

TEST(Http3ResumptionTest, ATicketTheServerCannotReadCostsTheEarlyRequestNotTheConnection) {
  World elsewhere(awesomeConfig());  // another configuration: another ticket key
  const std::optional<ClientTicket> ticket = ticketFrom(elsewhere);
  ASSERT_TRUE(ticket.has_value());

  World world(awesomeConfig());
  QuicTestClient& client = world.connect(resuming(*ticket));
  const int64_t early = client.get("/early", "www.example.com");
  ASSERT_GE(early, 0);
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted() && ended(client, early); }));
  const ClientResponse& refused = client.responses().at(early);
  EXPECT_TRUE(refused.reset);
  EXPECT_TRUE(refused.early_rejected);
  EXPECT_FALSE(client.resumed());
  EXPECT_FALSE(client.earlyDataAccepted());
  EXPECT_TRUE(world.heads().empty());                             // the 0-RTT data was never read
  const int64_t again = client.get("/early", "www.example.com");  // sent again, 1-RTT
  ASSERT_GE(again, 0);
  ASSERT_TRUE(world.runUntil([&] { return ended(client, again); }));
  EXPECT_EQ(client.responses().at(again).status(), 200);
  EXPECT_EQ(world.stats().downstream_cx_resumed, 0u);
  EXPECT_EQ(world.stats().downstream_cx_zero_rtt, 0u);
  EXPECT_EQ(world.stats().handshake_failed, 0u);
}

}  // namespace
}  // namespace ctplab::proxy::http3
