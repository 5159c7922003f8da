// One QUIC connection of an HTTP/3 port once its handshake completed: the filter chain chosen by
// SNI, its counters, and one Exchange per request stream, as HTTP/2 streams have.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http3/http3_server.h"
#include "exchange.h"
#include "generation.h"

namespace ctplab::live {

class QuicListener;

class QuicSession : private ExchangeHost, public std::enable_shared_from_this<QuicSession> {
 public:
  // Counts the connection under its listener's HCM prefix and against the QUIC chain's
  // connection limit; refused() tells whether the limit turned it away.
  QuicSession(TimePoint now, QuicListener& listener, const proxy::http3::ConnectionOpened& opened,
              std::shared_ptr<const Generation> generation, size_t port_index);
  ~QuicSession() override;
  QuicSession(const QuicSession&) = delete;
  QuicSession& operator=(const QuicSession&) = delete;

  void onEvent(TimePoint now, proxy::http1::Event& event);
  // Arms the maxConnectionDuration timer (spec 4.2); called once the session is shared.
  void start();
  // The connection ended: exchanges are dropped, the counters say how.
  void onClosed(proxy::http3::CloseCause cause);
  // Whether its listener is still in `current` (by name) after a reload.
  bool listenerSurvives(const Generation& current) const;
  uint64_t id() const { return id_; }
  // Over the QUIC chain's connection limit: the listener closes it at once (closeDelay is not
  // applied on QUIC) and none of its streams is served.
  bool refused() const { return refused_; }

 private:
  proxy::http1::EncodeResult respond(TimePoint now, uint64_t id,
                                     const proxy::http1::ResponseHead& head, std::string_view body,
                                     bool count_status) override;
  bool isOpen(uint64_t id) const override;
  void requestForwarded(TimePoint now, uint64_t id) override;
  void afterAsyncAnswer(TimePoint now) override;
  void forgetAnswered();
  void cancelExchanges();
  PrefixStats& prefix();
  const proxy::connection::HttpConnectionSettings& settings() const;
  // maxRequestsPerConnection or maxConnectionDuration reached: GOAWAY, and the connection
  // closes once its requests are answered.
  void drainConnection(TimePoint now);

  QuicListener& listener_;
  uint64_t id_;
  std::shared_ptr<const Generation> generation_;
  std::shared_ptr<ConnectionContext> context_;
  bool closed_ = false;
  bool counted_ = false;  // holds a slot in the QUIC chain's connection-limit scope
  bool refused_ = false;
  bool draining_ = false;
  uint32_t requests_ = 0;
  std::optional<asio::steady_timer> duration_timer_;
  // Requests not yet answered, by stream: most are answered while their event is handled, so the
  // list is nearly always empty or one long (a vector: no node allocated per request).
  std::vector<std::pair<uint64_t, std::shared_ptr<Exchange>>> exchanges_;
};

}  // namespace ctplab::live
