// The HTTP/3 server, in-memory ngtcp2 clients and a virtual clock for the server's tests: the
// fixture certificates, a three-chain configuration and a World that runs them in rounds.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "ctplab/certgen/fixtures.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/http3/http3_client.h"
#include "ctplab/proxy/http3/http3_server.h"

namespace ctplab::proxy::http3::test {

using QuicTestClient = Http3Client;

inline const TimePoint kStart = TimePoint::fromUnixSeconds(1'780'272'000);  // 2026-06-01
inline constexpr uint64_t kNoApplicationProtocol = 0x100 + 120;             // TLS alert 120
inline constexpr uint64_t kH3NoError = 0x100;

inline UdpEndpoint endpoint(const char* ip, uint16_t port) {
  return {IpAddress::parse(ip).value(), port};
}

inline const certgen::FixtureSet& fixtures() {
  static const certgen::FixtureSet set = [] {
    auto made = certgen::standardFixtures(11, kStart,
                                          {"www.example.com", "*.awesome.org", "www.awesome.org"});
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
  }();
  return set;
}

inline ChainConfig chain(int tag, std::vector<std::string> hostnames, const certgen::Issued& cert) {
  ChainConfig c;
  c.tag = tag;
  c.hostnames = std::move(hostnames);
  c.certificates.push_back({cert.chain_pem, cert.key_pem});
  return c;
}

// Wildcard first: the exact name must win on rank, not on order.
inline ServerConfig awesomeConfig() {
  ServerConfig config;
  config.chains.push_back(chain(0, {"www.example.com"}, fixtures().servers[0]));
  config.chains.push_back(chain(1, {"*.awesome.org"}, fixtures().servers[1]));
  config.chains.push_back(chain(2, {"www.awesome.org"}, fixtures().servers[2]));
  return config;
}

inline ServerSetupPtr setupOf(ServerConfig config) {
  auto built = buildServerSetup(std::move(config));
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().message);
  return built.value();
}

// Whether the response on `stream` is over (complete, or reset).
inline bool ended(const QuicTestClient& client, int64_t stream) {
  const auto& r = client.responses().at(stream);
  return r.complete || r.reset;
}

// The server, its clients and the virtual clock; requests are answered as they complete.
class World {
 public:
  explicit World(ServerConfig config) : server_(setupOf(std::move(config)), stats_) {}

  // A LAN's RTT, and by default an idle timeout longer than the server's, so the server's decides.
  QuicTestClient& connect(std::string sni, std::string alpn,
                          Duration idle_timeout = Duration::seconds(60)) {
    ClientOptions options;
    options.sni = std::move(sni);
    options.alpn = std::move(alpn);
    options.idle_timeout = idle_timeout;
    return connect(std::move(options));
  }
  QuicTestClient& connect(ClientOptions options) {
    options.initial_rtt = Duration::milliseconds(10);
    const auto port = static_cast<uint16_t>(40000 + clients_.size());
    clients_.push_back(std::make_unique<QuicTestClient>(now_, endpoint("127.0.0.1", port), kServer,
                                                        std::move(options)));
    return *clients_.back();
  }

  // Rounds of 1 ms: clients' packets to the server, the server's back; when a round moves
  // nothing, the clock jumps to the next timer. True once `done` holds.
  bool runUntil(const std::function<bool()>& done, Duration limit = Duration::seconds(5),
                bool clients_active = true) {
    const TimePoint deadline = now_ + limit;
    while (now_ < deadline) {
      if (done()) return true;
      now_ = now_ + Duration::milliseconds(1);
      bool moved = false;
      if (clients_active) {
        for (auto& c : clients_) {
          for (const std::string& p : c->write(now_)) {
            moved = true;
            if (drop_from_clients && drop_from_clients(p)) continue;
            server_.onDatagram(now_, kServer, c->local(), p);
          }
        }
      }
      answerEvents();
      for (Datagram& d : server_.takeOutput()) {
        moved = true;
        for (auto& c : clients_) {
          if (clients_active && c->local() == d.remote) c->read(now_, d.bytes);
        }
      }
      if (!moved) {
        std::optional<TimePoint> next = server_.nextExpiry();
        if (clients_active) {
          for (auto& c : clients_) {
            if (!c->dead() && (!next || c->expiry() < *next)) next = c->expiry();
          }
        }
        if (next && *next > now_) now_ = std::min(*next, deadline);
      }
      if (auto e = server_.nextExpiry(); e && *e <= now_) server_.onExpiry(now_);
      if (clients_active) {
        for (auto& c : clients_) {
          if (!c->dead() && c->expiry() <= now_) c->handleExpiry(now_);
        }
      }
      answerEvents();
    }
    return done();
  }

  Http3Server& server() { return server_; }
  const Http3Stats& stats() const { return stats_; }
  TimePoint now() const { return now_; }
  const std::vector<ConnectionOpened>& opened() const { return opened_; }
  const std::vector<ConnectionClosed>& closed() const { return closed_; }
  const std::vector<http1::RequestHead>& heads() const { return heads_; }
  const std::string& requestBodies() const { return bodies_; }
  // Streams a timer answered, as the server reported them.
  const std::vector<http1::ProtocolError>& errors() const { return errors_; }
  // The listener counters every connection's stream timers count into.
  const connection::HttpConnectionStats& requestStats() const { return request_stats_; }
  bool answering = true;
  http1::HeaderList extra_response_headers;
  // When set, the clients' datagrams it returns true for are lost on the way to the server.
  std::function<bool(const std::string&)> drop_from_clients;
  // The HCM's downstream_rq_http3_total as the server counts into it (setListenerStats).
  uint64_t http3_requests = 0;

  static inline const UdpEndpoint kServer = endpoint("127.0.0.1", 443);

 private:
  void answerEvents() {
    while (auto e = server_.nextEvent()) {
      if (auto* o = std::get_if<ConnectionOpened>(&*e)) {
        opened_.push_back(*o);
        server_.setListenerStats(o->connection, nullptr, &request_stats_, &http3_requests);
      } else if (auto* c = std::get_if<ConnectionClosed>(&*e)) {
        closed_.push_back(*c);
      } else if (auto* s = std::get_if<StreamEvent>(&*e)) {
        if (auto* head = std::get_if<http1::RequestHead>(&s->event)) heads_.push_back(*head);
        if (auto* body = std::get_if<http1::BodyData>(&s->event)) bodies_ += body->data;
        if (auto* error = std::get_if<http1::ProtocolError>(&s->event)) errors_.push_back(*error);
        if (answering && std::holds_alternative<http1::RequestComplete>(s->event)) {
          http1::ResponseHead head;
          head.status = 200;
          head.headers = {{"Content-Type", "text/plain"}, {"Content-Length", "5"}};
          for (const auto& h : extra_response_headers) head.headers.push_back(h);
          const auto id = http1::requestIdOf(s->event);
          EXPECT_EQ(server_.respond(now_, s->connection, id, head, "hello"),
                    http1::EncodeResult::kOk);
        }
      }
    }
  }

  TimePoint now_ = kStart;
  Http3Stats stats_;
  Http3Server server_;
  std::vector<std::unique_ptr<QuicTestClient>> clients_;
  std::vector<ConnectionOpened> opened_;
  std::vector<ConnectionClosed> closed_;
  std::vector<http1::RequestHead> heads_;
  std::string bodies_;
  std::vector<http1::ProtocolError> errors_;
  connection::HttpConnectionStats request_stats_;
};

}  // namespace ctplab::proxy::http3::test
