// The HTTP/3 server against an in-memory ngtcp2 client on a virtual clock: handshake and GET,
// SNI choosing the chain (exact over wildcard), ALPN, junk datagrams, idle timeout, shutdown.
#include "ctplab/proxy/http3/http3_server.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <variant>

#include "ctplab/certgen/fixtures.h"
#include "ctplab/proxy/http3/http3_client.h"
#include "http3/server_world.h"

namespace ctplab::proxy::http3 {
namespace {

using test::awesomeConfig;
using test::chain;
using test::endpoint;
using test::fixtures;
using test::kH3NoError;
using test::kNoApplicationProtocol;
using test::kStart;
using test::QuicTestClient;
using test::World;

TEST(Http3ServerTest, HandshakeThenGetAnswered) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return !world.opened().empty(); }));
  // A realistic initial RTT: the handshake takes a few virtual milliseconds, not tens.
  EXPECT_LT((world.now() - kStart).wholeMilliseconds(), 10);
  const int64_t stream = client.get("/probe?x=1", "www.example.com");
  ASSERT_GE(stream, 0);
  ASSERT_TRUE(world.runUntil([&] { return client.responses().at(stream).complete; }));
  const auto& response = client.responses().at(stream);
  EXPECT_EQ(response.fields.at(":status"), "200");
  EXPECT_EQ(response.fields.at("content-type"), "text/plain");
  EXPECT_EQ(response.body, "hello");

  ASSERT_EQ(world.opened().size(), 1u);
  EXPECT_EQ(world.opened()[0].chain_tag, 0);
  EXPECT_EQ(world.opened()[0].sni, "www.example.com");
  EXPECT_EQ(world.opened()[0].peer, client.local());
  ASSERT_EQ(world.heads().size(), 1u);
  const http1::RequestHead& head = world.heads()[0];
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/probe?x=1");
  EXPECT_EQ(head.version, (http1::Version{3, 0}));
  ASSERT_FALSE(head.headers.empty());
  EXPECT_EQ(head.headers[0].name, "host");
  EXPECT_EQ(head.headers[0].value, "www.example.com");
  EXPECT_EQ(world.stats().downstream_cx_total, 1u);
  EXPECT_EQ(world.stats().handshake_failed, 0u);
}

TEST(Http3ServerTest, SeveralConnectionsAndStreams) {
  World world(awesomeConfig());
  QuicTestClient& a = world.connect("www.example.com", "h3");
  QuicTestClient& b = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return a.handshakeCompleted() && b.handshakeCompleted(); }));
  std::vector<std::pair<QuicTestClient*, int64_t>> asked;
  for (int i = 0; i < 5; ++i) {
    asked.emplace_back(&a, a.get("/a", "www.example.com"));
    asked.emplace_back(&b, b.get("/b", "www.example.com"));
  }
  ASSERT_TRUE(world.runUntil([&] {
    for (auto& [c, s] : asked) {
      if (!c->responses().at(s).complete) return false;
    }
    return true;
  }));
  EXPECT_EQ(world.heads().size(), 10u);
  EXPECT_EQ(world.server().connectionCount(), 2u);
}

TEST(Http3ServerTest, SniPrefersExactListenerOverWildcard) {
  World world(awesomeConfig());
  QuicTestClient& www = world.connect("www.awesome.org", "h3");
  QuicTestClient& api = world.connect("api.awesome.org", "h3");
  ASSERT_TRUE(world.runUntil([&] {
    return www.handshakeCompleted() && api.handshakeCompleted() && world.opened().size() == 2;
  }));
  EXPECT_EQ(www.peerCertificate(), fixtures().servers[2].cert_der);  // www.awesome.org
  EXPECT_EQ(api.peerCertificate(), fixtures().servers[1].cert_der);  // *.awesome.org
  ASSERT_EQ(world.opened().size(), 2u);
  for (const ConnectionOpened& o : world.opened()) {
    EXPECT_EQ(o.chain_tag, o.sni == "www.awesome.org" ? 2 : 1) << o.sni;
  }
}

TEST(Http3ServerTest, UnknownSniFailsTheHandshake) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("nobody.example.net", "h3");
  world.runUntil([&] { return client.dead(); });
  EXPECT_FALSE(client.handshakeCompleted());
  EXPECT_TRUE(client.closeError().has_value());
  EXPECT_EQ(world.stats().handshake_failed, 1u);
  EXPECT_EQ(world.stats().no_filter_chain_match, 1u);
  EXPECT_TRUE(world.opened().empty());
}

TEST(Http3ServerTest, RefusedChainFailsTheHandshake) {
  ServerConfig config = awesomeConfig();
  config.chains[0].refuse = true;
  World world(std::move(config));
  QuicTestClient& client = world.connect("www.example.com", "h3");
  world.runUntil([&] { return client.dead(); });
  EXPECT_FALSE(client.handshakeCompleted());
  EXPECT_EQ(world.stats().handshake_failed, 1u);
}

TEST(Http3ServerTest, AlpnOtherThanH3IsRefused) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("www.example.com", "hq-interop");
  world.runUntil([&] { return client.dead(); });
  EXPECT_FALSE(client.handshakeCompleted());
  ASSERT_TRUE(client.closeError().has_value());
  EXPECT_EQ(*client.closeError(), kNoApplicationProtocol);
  EXPECT_EQ(world.stats().handshake_failed, 1u);
  EXPECT_EQ(world.stats().connection_close_sent, 1u);
  EXPECT_TRUE(world.opened().empty());
}

TEST(Http3ServerTest, GarbageDatagramsAreDroppedAndCounted) {
  World world(awesomeConfig());
  const UdpEndpoint peer = endpoint("192.0.2.7", 5555);
  Http3Server& server = world.server();
  server.onDatagram(world.now(), World::kServer, peer, "");
  server.onDatagram(world.now(), World::kServer, peer, "hello");
  EXPECT_EQ(world.stats().downstream_rx_datagram_dropped, 2u);
  EXPECT_TRUE(server.takeOutput().empty());

  // Random bytes of every size: dropped, answered with a stateless reset (short headers big
  // enough) or version negotiation, never a connection and never a crash.
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 1400, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    server.onDatagram(world.now(), World::kServer, peer, junk);
  }
  for (const Datagram& d : server.takeOutput()) {
    EXPECT_EQ(d.remote, peer);
    EXPECT_LT(d.bytes.size(), 1400u);
  }
  const Http3Stats& s = world.stats();
  EXPECT_EQ(s.downstream_rx_datagram_dropped + s.stateless_reset_sent + s.version_negotiation_sent +
                s.handshake_failed,
            2002u - server.connectionCount());
  EXPECT_GT(s.stateless_reset_sent, 0u);
  EXPECT_TRUE(world.opened().empty());

  // A truncated client Initial is no connection either.
  World fresh(awesomeConfig());
  QuicTestClient& client = fresh.connect("www.example.com", "h3");
  const auto first = client.write(fresh.now());
  ASSERT_FALSE(first.empty());
  fresh.server().onDatagram(fresh.now(), World::kServer, client.local(), first[0].substr(0, 300));
  EXPECT_EQ(fresh.server().connectionCount(), 0u);
  EXPECT_EQ(fresh.stats().downstream_rx_datagram_dropped, 1u);
}

TEST(Http3ServerTest, IdleConnectionIsClosedSilently) {
  ServerConfig config = awesomeConfig();
  config.idle_timeout = Duration::seconds(2);
  World world(std::move(config));
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.get("/", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return client.responses().at(stream).complete; }));
  const TimePoint quiet = world.now();
  // The client goes silent: no packet either way for the idle timeout ends it on our side.
  ASSERT_TRUE(world.runUntil([&] { return world.server().connectionCount() == 0; },
                             Duration::seconds(10), /*clients_active=*/false));
  EXPECT_GE(world.now() - quiet, Duration::seconds(2));
  EXPECT_LT(world.now() - quiet, Duration::seconds(4));
  ASSERT_EQ(world.closed().size(), 1u);
  EXPECT_EQ(world.closed()[0].cause, CloseCause::kIdleTimeout);
  EXPECT_EQ(world.stats().downstream_cx_idle_timeout, 1u);
}

TEST(Http3ServerTest, CloseAllSendsConnectionClose) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return !world.opened().empty(); }));
  world.server().closeAll(world.now());
  ASSERT_TRUE(world.runUntil([&] { return client.dead(); }));
  ASSERT_TRUE(client.closeError().has_value());
  EXPECT_EQ(*client.closeError(), kH3NoError);
  ASSERT_EQ(world.closed().size(), 1u);
  EXPECT_EQ(world.closed()[0].cause, CloseCause::kLocal);
  EXPECT_TRUE(world.runUntil([&] { return world.server().connectionCount() == 0; }));
}

TEST(Http3ServerTest, DrainAnswersOpenRequestsThenCloses) {
  World world(awesomeConfig());
  world.answering = false;
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream = client.get("/slow", "www.example.com");
  ASSERT_TRUE(world.runUntil([&] { return !world.heads().empty(); }));
  world.server().drain(world.now());
  world.runUntil([] { return false; }, Duration::milliseconds(20));
  EXPECT_FALSE(client.dead());  // GOAWAY, not a close: the request in flight still counts
  http1::ResponseHead head;
  head.status = 204;
  ASSERT_EQ(world.server().respond(world.now(), world.opened()[0].connection,
                                   static_cast<uint64_t>(stream), head, ""),
            http1::EncodeResult::kOk);
  ASSERT_TRUE(world.runUntil([&] { return client.dead(); }));
  EXPECT_EQ(client.responses().at(stream).fields.at(":status"), "204");
  EXPECT_EQ(client.closeError().value_or(0), kH3NoError);
}

TEST(Http3ServerTest, BadCertificateIsAConfigError) {
  ServerConfig config;
  config.chains.push_back({0, {}, {{"not a certificate", "not a key"}}, false, {}});
  EXPECT_FALSE(buildServerSetup(std::move(config)).ok());
}

TEST(Http3ServerTest, UnderscoreHeadersAreDroppedOrRejectedAndCounted) {
  for (const auto action : {http1::HeadersWithUnderscoresAction::kDropHeader,
                            http1::HeadersWithUnderscoresAction::kRejectRequest}) {
    ServerConfig config = awesomeConfig();
    config.underscores = action;
    World world(std::move(config));
    QuicTestClient& client = world.connect("www.example.com", "h3");
    ASSERT_TRUE(world.runUntil([&] { return !world.opened().empty(); }));
    Http3CodecStats codec;
    world.server().setListenerStats(world.opened()[0].connection, &codec, nullptr);
    const int64_t stream = client.request("GET", "www.example.com", "/", {{"x_debug", "1"}});
    ASSERT_TRUE(world.runUntil([&] {
      const auto& r = client.responses().at(stream);
      return r.complete || r.reset;
    }));
    if (action == http1::HeadersWithUnderscoresAction::kDropHeader) {
      EXPECT_TRUE(client.responses().at(stream).complete);
      ASSERT_EQ(world.heads().size(), 1u);
      for (const auto& h : world.heads()[0].headers) EXPECT_NE(h.name, "x_debug");
      EXPECT_EQ(codec.dropped_headers_with_underscores, 1u);
      EXPECT_EQ(codec.requests_rejected_with_underscores_in_headers, 0u);
    } else {
      // Reset, never seen by the caller (spec 4.11: HTTP/3 resets the stream).
      EXPECT_TRUE(client.responses().at(stream).reset);
      EXPECT_TRUE(world.heads().empty());
      EXPECT_EQ(codec.requests_rejected_with_underscores_in_headers, 1u);
      EXPECT_EQ(codec.dropped_headers_with_underscores, 0u);
    }
  }
}

TEST(Http3ServerTest, GoawayOnOneConnectionEndsItGracefully) {
  World world(awesomeConfig());
  QuicTestClient& a = world.connect("www.example.com", "h3");
  QuicTestClient& b = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return world.opened().size() == 2; }));
  world.server().goaway(world.now(), world.opened()[0].connection);
  ASSERT_TRUE(world.runUntil([&] { return a.dead(); }));
  ClientClosed last;
  while (auto e = a.nextEvent()) {
    if (auto* c = std::get_if<ClientClosed>(&*e)) last = *c;
  }
  EXPECT_TRUE(last.goaway);  // GOAWAY came before the close: not a refusal
  ASSERT_TRUE(last.error);
  EXPECT_EQ(*last.error, kH3NoError);
  ASSERT_EQ(world.closed().size(), 1u);
  EXPECT_EQ(world.closed()[0].cause, CloseCause::kLocal);
  EXPECT_FALSE(b.dead());  // the other connection goes on
}

// --- the client's own behaviour ---------------------------------------------------------------

std::vector<ClientEvent> drain(QuicTestClient& client) {
  std::vector<ClientEvent> out;
  while (auto e = client.nextEvent()) out.push_back(*e);
  return out;
}

TEST(Http3ClientTest, RequestHeadersAndBodyArriveAndRepeatedFieldsAreJoined) {
  World world(awesomeConfig());
  world.extra_response_headers = {{"alt-svc", "h3=\":443\""}, {"alt-svc", "h3=\":8443\"; ma=60"}};
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.handshakeCompleted(); }));
  const int64_t stream =
      client.request("POST", "www.example.com", "/upload", {{"x-trace", "7"}}, "payload");
  ASSERT_GE(stream, 0);
  ASSERT_TRUE(world.runUntil([&] { return client.responses().at(stream).complete; }));
  const auto events = drain(client);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<HandshakeDone>(events[0]));
  ASSERT_TRUE(std::holds_alternative<ResponseDone>(events[1]));
  EXPECT_EQ(std::get<ResponseDone>(events[1]).stream, stream);
  const ClientResponse& response = client.responses().at(stream);
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.fields.at("alt-svc"), "h3=\":443\", h3=\":8443\"; ma=60");
  ASSERT_EQ(world.heads().size(), 1u);
  const http1::RequestHead& head = world.heads()[0];
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.target, "/upload");
  bool traced = false;
  for (const auto& h : head.headers) traced = traced || (h.name == "x-trace" && h.value == "7");
  EXPECT_TRUE(traced);
  EXPECT_EQ(world.requestBodies(), "payload");
  client.forget(stream);
  EXPECT_TRUE(client.responses().empty());
}

TEST(Http3ClientTest, CloseIsAConnectionCloseTheServerReadsAsThePeers) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("www.example.com", "h3");
  ASSERT_TRUE(world.runUntil([&] { return !world.opened().empty(); }));
  const std::string close = client.close(world.now());
  ASSERT_FALSE(close.empty());
  EXPECT_TRUE(client.dead());
  EXPECT_TRUE(client.close(world.now()).empty());  // once only
  EXPECT_LT(client.request("GET", "www.example.com", "/"), 0);
  world.server().onDatagram(world.now(), World::kServer, client.local(), close);
  ASSERT_TRUE(world.runUntil([&] { return !world.closed().empty(); }, Duration::seconds(5)));
  EXPECT_EQ(world.closed()[0].cause, CloseCause::kPeer);
}

TEST(Http3ClientTest, ItsOwnIdleTimeoutEndsItWithAnEvent) {
  World world(awesomeConfig());  // the server waits 300 s
  QuicTestClient& client = world.connect("www.example.com", "h3", Duration::seconds(2));
  ASSERT_TRUE(world.runUntil([&] { return client.dead(); }, Duration::seconds(10)));
  const auto events = drain(client);
  ASSERT_FALSE(events.empty());
  ASSERT_TRUE(std::holds_alternative<ClientClosed>(events.back()));
  EXPECT_TRUE(std::get<ClientClosed>(events.back()).idle);
  EXPECT_FALSE(std::get<ClientClosed>(events.back()).error);
}

TEST(Http3ClientTest, TheServersCloseIsReportedWithItsCode) {
  World world(awesomeConfig());
  QuicTestClient& client = world.connect("nobody.example.net", "h3");
  ASSERT_TRUE(world.runUntil([&] { return client.dead(); }));
  const auto events = drain(client);
  ASSERT_EQ(events.size(), 1u);
  const auto& closed = std::get<ClientClosed>(events[0]);
  ASSERT_TRUE(closed.error);
  EXPECT_EQ(*closed.error, client.closeError());
  EXPECT_FALSE(closed.idle);
  EXPECT_FALSE(client.handshakeCompleted());
}

}  // namespace
}  // namespace ctplab::proxy::http3
