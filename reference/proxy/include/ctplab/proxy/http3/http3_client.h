// An HTTP/3 client over QUIC (ngtcp2 + nghttp3 + GnuTLS), sans I/O: datagrams and the caller's
// clock in, datagrams and response events out. For tests and the simulator's packet-level mode.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http3/udp_endpoint.h"

namespace ctplab::proxy::http3 {

// What a client keeps from one connection to resume the next (RFC 9001 4.6): the TLS session
// with the server's ticket, and the server's limits its 0-RTT requests may use.
struct ClientTicket {
  std::string tls_session;  // GnuTLS's session data
  uint64_t max_streams_bidi = 0;
  uint64_t max_streams_uni = 0;
  uint64_t max_data = 0;
  uint64_t max_stream_data_bidi_local = 0;
  uint64_t max_stream_data_bidi_remote = 0;
  uint64_t max_stream_data_uni = 0;
  uint64_t active_connection_id_limit = 0;
};

struct ClientOptions {
  std::string sni = "www.example.com";
  std::string alpn = "h3";
  // The RTT assumed before the first sample: RFC 9002's 333 ms, as browsers start; a smaller
  // value retransmits a lost Initial sooner.
  Duration initial_rtt = Duration::milliseconds(333);
  Duration idle_timeout = Duration::seconds(30);  // our max_idle_timeout transport parameter
  // When set, PINGs keep an idle connection alive (a client holding it open on purpose).
  std::optional<Duration> keep_alive;
  bool pacing = true;  // see ServerConfig::pacing
  // Resume with this ticket: requests made before the handshake completes ride as 0-RTT data in
  // the first flight. Ones the server refuses end reset, with `early_rejected` set; the requests
  // made next (to send them again) reuse their stream ids, as the library starts over.
  std::optional<ClientTicket> resume;
};

struct RequestField {
  std::string name;  // lower case, as HTTP/3 requires
  std::string value;
};

struct ClientResponse {
  // Repeated fields joined with ", " (alt-svc may come twice); pseudo-fields (:status) kept.
  std::map<std::string, std::string> fields;
  std::string body;
  bool complete = false;
  bool reset = false;
  bool early_rejected = false;  // sent as 0-RTT data the server refused: to be sent again
  int status() const;
};

// The handshake finished: requests may be sent.
struct HandshakeDone {};
// A response ended (FIN) or its stream was reset by the server.
struct ResponseDone {
  int64_t stream = -1;
};
// The connection is over: the server's CONNECTION_CLOSE (its error code), the idle timeout, or a
// local error. No event follows.
struct ClientClosed {
  std::optional<uint64_t> error;  // set when the server closed it
  bool idle = false;
  bool goaway = false;  // the server had sent GOAWAY: a graceful end, not a refusal
};
using ClientEvent = std::variant<HandshakeDone, ResponseDone, ClientClosed>;

class Http3Client {
 public:
  // The first Initial is ready to write at once. A library failure leaves the client dead().
  Http3Client(TimePoint now, UdpEndpoint local, UdpEndpoint server, ClientOptions options);
  ~Http3Client();
  Http3Client(const Http3Client&) = delete;
  Http3Client& operator=(const Http3Client&) = delete;

  // Packets ready to go: handshake, acks, requests, within congestion control.
  std::vector<std::string> write(TimePoint now);
  void read(TimePoint now, std::string_view datagram);
  TimePoint expiry() const;
  void handleExpiry(TimePoint now);
  std::optional<ClientEvent> nextEvent();

  // A request; the stream id, or -1 (no HTTP/3 yet, no stream credit, or closed). `body` is
  // sent whole after the head.
  int64_t request(std::string_view method, std::string_view authority, std::string_view path,
                  const std::vector<RequestField>& headers = {}, std::string body = {});
  int64_t get(std::string_view path, std::string_view authority) {
    return request("GET", authority, path);
  }
  // A request whose body follows in pieces: the head goes now, the stream stays open until
  // sendBody(..., end = true). A slow or stalled uploader, for the server's request timers.
  int64_t openRequest(std::string_view method, std::string_view authority, std::string_view path,
                      const std::vector<RequestField>& headers = {});
  // False when `stream` is not an open request of openRequest (or the client is dead).
  bool sendBody(int64_t stream, std::string data, bool end);
  // A graceful CONNECTION_CLOSE (H3_NO_ERROR) to send; the client is dead() afterwards.
  std::string close(TimePoint now);

  bool handshakeCompleted() const;
  // The server's CONNECTION_CLOSE error code, once it closed the connection.
  std::optional<uint64_t> closeError() const;
  bool dead() const;  // closed, failed or timed out: nothing more will happen
  const std::map<int64_t, ClientResponse>& responses() const;
  // Drops a finished response the caller has read, so a long connection's memory stays flat.
  void forget(int64_t stream);
  // The leaf certificate the server sent (DER), empty before the handshake. Not verified.
  std::string peerCertificate() const;
  // Once the server sent a session ticket and the handshake completed: what resumes the next
  // connection.
  std::optional<ClientTicket> ticket() const;
  // After the handshake: whether it resumed a session, and whether the server took 0-RTT data.
  bool resumed() const;
  bool earlyDataAccepted() const;
  UdpEndpoint local() const;

  struct State;

 private:
  int64_t submit(std::string_view method, std::string_view authority, std::string_view path,
                 const std::vector<RequestField>& headers, std::string body, bool end);

  std::unique_ptr<State> s_;
};

}  // namespace ctplab::proxy::http3
