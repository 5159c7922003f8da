// One accepted downstream connection on a worker: PROXY protocol and TLS inspector listener
// filters, filter-chain and connection-limit decision, TLS termination on HTTPS chains, then the
// sans-I/O codec (HTTP/1.1 or HTTP/2) driven by socket events and a real clock, and one exchange
// per request (request flow, then the echo or a forwarding upstream).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "asio.h"
#include "ctplab/common/ip_address.h"
#include "ctplab/live/echo_backend.h"
#include "ctplab/live/gateway_plan.h"
#include "ctplab/live/worker_stats.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "ctplab/proxy/tls/client_hello_inspector.h"
#include "ctplab/proxy/tls/server_session.h"
#include "exchange.h"
#include "generation.h"
#include "serving_codec.h"

namespace ctplab::live {

class Worker;

class DownstreamConnection : public std::enable_shared_from_this<DownstreamConnection>,
                             private ExchangeHost {
 public:
  DownstreamConnection(Worker& worker, uint64_t id, tcp::socket socket, size_t port_index,
                       std::shared_ptr<const Generation> generation);
  ~DownstreamConnection();

  // `remote`: the peer as accept() reported it.
  void start(const tcp::endpoint& remote);
  // Shutdown: close now if idle, else once the request in flight is answered.
  void drain();
  // Shutdown deadline: close whatever state the connection is in.
  void forceClose();
  // Whether its listener is still in `current` (by name) after a reload; a connection still in
  // its listener filters has no listener yet and is kept.
  bool listenerSurvives(const Generation& current) const;

 private:
  enum class Phase {
    kInspecting,  // listener filters: PROXY protocol, then the TLS inspector on HTTPS ports
    kRejected,    // over the connection limit: waiting out closeDelay, input discarded
    kHttp,        // admitted: the codec (once chosen) serves it
    kLingering,   // our side shut down; discarding input until the peer closes (delayed close)
    kClosed,
  };

  const PlannedPort& shared_port() const;

  // Connection set-up.
  void inspect(TimePoint now, std::string_view bytes);
  void startTlsInspection(TimePoint now);
  void inspectClientHello(TimePoint now, std::string_view bytes);
  void chooseFilterChain(TimePoint now);
  // HTTPS: ciphertext from the socket through the TLS session; plaintext goes on to HTTP.
  void onTlsBytes(TimePoint now, std::string_view bytes);

  // The codec loop (the simulator's afterServerActivity/serverPump).
  // Picks HTTP/2 (ALPN h2, or the h2c preface) or HTTP/1.1; false while it cannot tell yet.
  bool decideCodec();
  void afterActivity(TimePoint now);
  void pump(TimePoint now);
  // Drops the exchanges whose request is no longer open (answered, reset, timed out).
  void forgetAnswered();
  std::vector<std::pair<uint64_t, std::shared_ptr<Exchange>>>::iterator findExchange(uint64_t id);
  void cancelExchanges();
  // ExchangeHost: the request in flight answers through the connection.
  proxy::http1::EncodeResult respond(TimePoint now, uint64_t id,
                                     const proxy::http1::ResponseHead& head, std::string_view body,
                                     bool count_status) override;
  bool isOpen(uint64_t id) const override;
  void requestForwarded(TimePoint now, uint64_t id) override;
  void afterAsyncAnswer(TimePoint now) override;
  bool idle() const;

  // Socket and timer plumbing.
  // How many bytes the next read may take (0: none now).
  size_t readSize() const;
  void maybeRead();
  // `n` bytes are in read_buffer_.
  void onRead(const error_code& ec, size_t n);
  void onPeerEof(TimePoint now);
  // Writes pending output straight to the socket, as much as it takes now: a response usually
  // leaves whole without an asynchronous write. Returns whether anything was written.
  bool writeNow(TimePoint now);
  // What is still pending goes out asynchronously.
  void flush();
  void onWritten(const error_code& ec, size_t n);
  std::optional<TimePoint> nextDeadline() const;
  void armTimer();
  void onTimer(TimePoint now);
  // `remote`: the peer ended it (stats). `reset`: abortive close (RST), as for rejected
  // connections that sent data. Otherwise our side is shut down and the socket lingers.
  void close(bool remote, bool reset);
  void finalClose();

  Worker& worker_;
  uint64_t id_;
  std::shared_ptr<const Generation> generation_;  // the configuration it was accepted under
  WorkerStats& stats_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  size_t port_index_;
  Phase phase_ = Phase::kInspecting;
  IpAddress peer_;
  std::string held_;  // read from the socket, not yet taken by the connection
  bool reading_ = false;
  std::unique_ptr<char[]> read_buffer_;  // allocated by the first read
  bool writing_ = false;
  std::string write_buffer_;
  bool peer_closed_ = false;
  bool draining_ = false;

  // Listener filters and filter chain.
  std::unique_ptr<proxy::proxy_protocol::ProxyProtocolFilter> proxy_protocol_;
  std::unique_ptr<proxy::tls::ClientHelloInspector> tls_inspector_;
  std::string sni_;
  std::optional<TimePoint> inspect_deadline_;
  int listener_ = -1;  // the filter chain's listener; -1 until chosen
  bool chain_chosen_ = false;
  bool client_sent_data_ = false;  // a rejected connection that sent bytes is reset, not closed
  std::optional<TimePoint> reject_close_at_;
  std::optional<TimePoint> linger_deadline_;
  std::optional<TimePoint> flush_deadline_;  // closing, but the peer is not reading our output

  // HTTPS chains: the TLS session between the socket and the codec.
  std::unique_ptr<proxy::tls::ServerSession> tls_;
  std::optional<TimePoint> tls_handshake_deadline_;  // tcp.tlsHandshakeTimeout, while handshaking
  bool tls_counted_ = false;                         // its handshake outcome is in the stats
  bool close_after_write_ =
      false;             // a failed handshake: its alert goes out, then the socket closes
  std::string tls_out_;  // ciphertext waiting for the socket

  // Admitted; the codec once chosen (null until the first bytes or the TLS handshake decide).
  proxy::connection_limit::CounterGroup::Decision admission_;
  TimePoint admitted_at_;
  std::optional<TimePoint> undecided_deadline_;
  std::unique_ptr<ServingCodec> codec_;
  std::optional<TimePoint> timer_at_;
  uint64_t timer_generation_ = 0;

  // What its requests share, once the filter chain is chosen; the requests in flight by id (one
  // at a time on HTTP/1, one per open stream on HTTP/2).
  std::shared_ptr<ConnectionContext> context_;
  // A handful at most (one on HTTP/1, the open streams on HTTP/2): a vector, searched, costs no
  // allocation per request as a map's node would.
  std::vector<std::pair<uint64_t, std::shared_ptr<Exchange>>> exchanges_;
};

}  // namespace ctplab::live
