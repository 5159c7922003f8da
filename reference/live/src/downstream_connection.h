// One accepted downstream connection on a worker: PROXY protocol and TLS inspector listener
// filters, filter-chain and connection-limit decision, TLS termination on HTTPS chains, then the
// sans-I/O HttpConnection driven by socket events and a real clock, the per-request flow, and the
// backend (echo or a forwarding upstream).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asio.h"
#include "ctplab/common/ip_address.h"
#include "ctplab/live/echo_backend.h"
#include "ctplab/live/gateway_plan.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"
#include "ctplab/proxy/tls/client_hello_inspector.h"
#include "ctplab/proxy/tls/server_session.h"

namespace ctplab::live {

class UpstreamClient;
struct UpstreamResult;
class Worker;

class DownstreamConnection : public std::enable_shared_from_this<DownstreamConnection> {
 public:
  DownstreamConnection(Worker& worker, uint64_t id, tcp::socket socket, size_t port_index);
  ~DownstreamConnection();

  void start();
  // Shutdown: close now if idle, else once the request in flight is answered.
  void drain();
  // Shutdown deadline: close whatever state the connection is in.
  void forceClose();

 private:
  enum class Phase {
    kInspecting,  // listener filters: PROXY protocol, then the TLS inspector on HTTPS ports
    kRejected,    // over the connection limit: waiting out closeDelay, input discarded
    kHttp,        // admitted: HttpConnection
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

  // The HttpConnection loop (the simulator's afterServerActivity/serverPump).
  void afterActivity(TimePoint now);
  void pump(TimePoint now);
  void onRequestHead(TimePoint now, proxy::http1::RequestHead& head);
  void handleRequest(TimePoint now, uint64_t request_id);
  void respondLocal(TimePoint now, int status, std::string_view body,
                    proxy::http1::HeaderList extra = {}, bool count_status = true);
  void respondBackend(TimePoint now, int status, std::string_view reason,
                      proxy::http1::HeaderList headers, std::string_view body, bool keep_length);
  bool idle() const;

  // Backends.
  void answerFromEcho(TimePoint now, uint64_t request_id, std::string_view route);
  void answerFromUpstream(uint64_t request_id);
  void onUpstreamResult(uint64_t request_id, UpstreamResult result);

  // Socket and timer plumbing.
  void maybeRead();
  void onRead(const error_code& ec, size_t n);
  void onPeerEof(TimePoint now);
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
  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer backend_timer_;  // the echo backend's `?delay=`
  size_t port_index_;
  Phase phase_ = Phase::kInspecting;
  IpAddress peer_;
  std::vector<char> read_buffer_;
  std::string held_;  // read from the socket, not yet taken by the connection
  bool reading_ = false;
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

  // HTTPS chains: the TLS session between the socket and HttpConnection.
  std::unique_ptr<proxy::tls::ServerSession> tls_;
  bool tls_counted_ = false;  // its handshake outcome is in the stats
  bool close_after_write_ =
      false;             // a failed handshake: its alert goes out, then the socket closes
  std::string tls_out_;  // ciphertext waiting for the socket
  std::optional<proxy::http_flow::TlsPeer> tls_peer_;  // once the handshake succeeded

  std::unique_ptr<proxy::connection::HttpConnection> http_;
  std::optional<TimePoint> timer_at_;
  uint64_t timer_generation_ = 0;

  // The request in flight (the codec serves one at a time).
  uint64_t answered_early_ = 0;
  std::optional<proxy::http_flow::HeadOutcome> head_;
  std::optional<proxy::http1::RequestHead> forwarded_;
  int current_listener_ = -1;  // the virtual host's listener
  std::string body_;
  bool body_too_large_ = false;
  std::shared_ptr<UpstreamClient> upstream_;
};

}  // namespace ctplab::live
