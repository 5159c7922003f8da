// The QUIC + HTTP/3 server of one UDP port, sans I/O: datagrams and the current time in,
// datagrams to send, the next expiry and per-stream request events out; answers go in per stream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/connection/connection_stats.h"
#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"
#include "ctplab/proxy/http3/http3_stats.h"
#include "ctplab/proxy/http3/server_config.h"
#include "ctplab/proxy/http3/udp_endpoint.h"

namespace ctplab::proxy::http3 {

// The QUIC handshake completed, or before that a 0-RTT request arrived on a resumed connection:
// from now on the connection's streams carry requests.
struct ConnectionOpened {
  uint64_t connection = 0;
  int chain_tag = -1;  // the ChainConfig chosen by SNI
  std::string sni;
  UdpEndpoint peer;
  UdpEndpoint local;
  std::shared_ptr<const void> context;  // ServerConfig::context it was accepted under
};

// Streams reuse the HTTP/1 event types, as HTTP/2's do, so the request flow runs unchanged:
// RequestHead (request_id = stream id, version 3.0, `host` from :authority), BodyData,
// RequestComplete (with trailers), PeerReset (the client reset the stream or the connection
// ended before the answer), ProtocolError (replied: a stream timer answered it, 408 or 504, the
// chain's StreamTimeouts; the application's answer is no longer accepted).
struct StreamEvent {
  uint64_t connection = 0;
  http1::Event event;
};

enum class CloseCause {
  kIdleTimeout,  // no packet for the idle timeout
  kPeer,         // the client sent CONNECTION_CLOSE
  kError,        // a protocol or TLS error: we sent CONNECTION_CLOSE with the error
  kLocal,        // closeAll() / drain: we sent CONNECTION_CLOSE (H3_NO_ERROR)
};

// Only connections that were reported opened are reported closed.
struct ConnectionClosed {
  uint64_t connection = 0;
  CloseCause cause = CloseCause::kLocal;
};

using ServerEvent = std::variant<ConnectionOpened, StreamEvent, ConnectionClosed>;

// Which of the servers sharing one UDP port (one per worker) a datagram belongs to: the
// `cid_tag` of the server whose connection ID it is addressed to. nullopt when the packet carries
// a connection ID the client chose (Initial, 0-RTT) or cannot be read: it stays where it arrived.
std::optional<uint8_t> serverTagOf(std::string_view datagram);

// Tells the origin a request came as 0-RTT data, which can be replayed: `early-data: 1` (RFC 8470
// 5.1), replacing any the client sent, as Envoy's connection manager adds it.
void markEarlyData(http1::HeaderList& headers);

class Http3Server {
 public:
  // `stats` must outlive the server (or the next setStats). With `cid_tag`, every connection ID
  // the server issues starts with it (serverTagOf reads it back); without, they are all random.
  Http3Server(ServerSetupPtr setup, Http3Stats& stats,
              std::optional<uint8_t> cid_tag = std::nullopt);
  ~Http3Server();
  Http3Server(const Http3Server&) = delete;
  Http3Server& operator=(const Http3Server&) = delete;

  // A new configuration for connections accepted from now on; open ones keep theirs.
  void setSetup(ServerSetupPtr setup);
  void setStats(Http3Stats& stats);

  // One received datagram. Malformed or unroutable ones are dropped and counted, never fatal.
  void onDatagram(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                  std::string_view bytes);
  // Arm one timer at nextExpiry() (after takeOutput: writing moves it) and call onExpiry when
  // it fires.
  std::optional<TimePoint> nextExpiry() const;
  void onExpiry(TimePoint now);

  std::optional<ServerEvent> nextEvent();
  // Answers a stream with the head and the whole body, ending it (bytes kept until acked).
  // kNoRequest: that stream does not wait for an answer.
  http1::EncodeResult respond(TimePoint now, uint64_t connection, uint64_t stream,
                              const http1::ResponseHead& head, std::string_view body);
  bool isOpen(uint64_t connection, uint64_t stream) const;
  // Where the connection counts for its listener (known once it is opened): header checks (what
  // was counted before is added there), requests its stream timers answered (408/504 and the
  // timer's counter) and the HCM's downstream_rq_http3_total, for a stream answered before its
  // head completed (the caller counts the others on RequestHead). Null leaves one as it was; all
  // must outlive the connection.
  void setListenerStats(uint64_t connection, Http3CodecStats* codec,
                        connection::HttpConnectionStats* requests,
                        uint64_t* http3_requests = nullptr);
  // Abandons a stream (RESET_STREAM + STOP_SENDING, H3_REQUEST_CANCELLED).
  void resetStream(TimePoint now, uint64_t connection, uint64_t stream);
  // The caller handed the stream's request to its upstream: the request timer stops once the
  // request is also fully received (spec 4.3), or when the answer starts.
  void requestForwarded(TimePoint now, uint64_t connection, uint64_t stream);

  // Graceful: GOAWAY on every connection; each closes (CONNECTION_CLOSE, H3_NO_ERROR) once its
  // requests are answered. New connections are refused from now on.
  void drain(TimePoint now);
  // The same for one connection (maxRequestsPerConnection, maxConnectionDuration: spec 4.2).
  void goaway(TimePoint now, uint64_t connection);
  // CONNECTION_CLOSE (H3_NO_ERROR) to every connection now.
  void closeAll(TimePoint now);
  // Closes one connection the same way (e.g. its listener went away in a reload).
  void closeConnection(TimePoint now, uint64_t connection);

  // Datagrams produced by the calls above, in order; the caller sends them. Connections write
  // here, not in each call: what a burst of datagrams and answers made ready leaves together.
  std::vector<Datagram> takeOutput();
  // Connections alive (handshaking, open or closing).
  size_t connectionCount() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctplab::proxy::http3
