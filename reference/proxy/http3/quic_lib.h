// The one layer that calls ngtcp2, nghttp3 and ngtcp2's GnuTLS crypto helper: a server QUIC
// connection with its HTTP/3 session, and the stateless packet functions, in ctplab's own types.
// A move to ngtcp2 1.x changes this file's implementation, the client's (quic_lib_client.cc) and
// quic_lib_compat.h only.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http3/udp_endpoint.h"
#include "http2/response_fields.h"
#include "http3/tls_credentials.h"

namespace ctplab::proxy::http3::lib {

using Cid = std::string;  // a connection ID's raw bytes
constexpr size_t kServerCidLength = 18;
using ResetSecret = std::array<uint8_t, 32>;

// --- Stateless packet handling -----------------------------------------------------------------

enum class HeaderKind { kLong, kShort, kUnsupportedVersion, kInvalid };
struct PacketHeader {
  HeaderKind kind = HeaderKind::kInvalid;
  uint32_t version = 0;
  Cid dcid;
  Cid scid;
};
// The version and connection IDs of a datagram's first packet (short headers carry our CIDs).
PacketHeader decodeHeader(std::string_view datagram);
// Whether the datagram is a client Initial a new connection may start from.
bool isAcceptableInitial(std::string_view datagram);
// A Version Negotiation packet answering `header` (its kind kUnsupportedVersion).
std::string versionNegotiation(const PacketHeader& header);
// The stateless reset token of one of our connection IDs.
std::array<uint8_t, 16> resetToken(const ResetSecret& secret, const Cid& cid);
// A Stateless Reset for a short-header packet of `received_size` bytes to an unknown CID, smaller
// than what it answers so it cannot amplify; empty when the packet is too small to answer.
std::string statelessReset(const ResetSecret& secret, const Cid& dcid, size_t received_size);
// Cryptographically random bytes.
void randomBytes(uint8_t* out, size_t n);
// One of our connection IDs (kServerCidLength bytes): random, with `tag` as its first byte when
// set, so the servers sharing a UDP port can tell whose a packet is (serverTagOf).
Cid newServerCid(std::optional<uint8_t> tag);

// --- One server connection ----------------------------------------------------------------------

// What the connection reports while it reads, writes and expires; called synchronously.
class ConnectionSink {
 public:
  virtual ~ConnectionSink() = default;
  // From the TLS ClientHello: the credentials of the chain chosen for `sni`, or null to fail the
  // handshake.
  virtual const TlsCredentials* chooseCredentials(std::string_view sni) = 0;
  virtual void onHandshakeCompleted() = 0;
  virtual void onNewCid(const Cid& cid) = 0;
  virtual void onRetiredCid(const Cid& cid) = 0;
  // Request streams: a header block field by field (`trailers`: the second block), its end, body
  // bytes, the end of the request, the client aborting it, and the stream going away.
  virtual void onHeaderField(int64_t stream, bool trailers, std::string_view name,
                             std::string_view value) = 0;
  virtual void onHeadersEnd(int64_t stream, bool trailers, bool fin) = 0;
  virtual void onBody(int64_t stream, std::string_view data) = 0;
  virtual void onRequestEnd(int64_t stream) = 0;
  virtual void onStreamReset(int64_t stream) = 0;
  virtual void onStreamClosed(int64_t stream) = 0;
  // The client acknowledged more of what we sent on `stream`: the answer is moving.
  virtual void onStreamDataAcked(int64_t stream) = 0;
};

struct TransportLimits {
  Duration idle_timeout;
  Duration initial_rtt;
  uint64_t max_streams_bidi = 100;
  uint64_t stream_window = 256 * 1024;
  uint64_t connection_window = 1024 * 1024;
  bool pacing = true;
};

enum class IoResult {
  kOk,
  kDraining,   // the peer closed (CONNECTION_CLOSE received): stay silent, then forget it
  kClose,      // a fatal error: send closePacket() and forget it after the closing period
  kDrop,       // nothing to send; forget it now (e.g. the first packet was not acceptable)
  kIdleClose,  // the idle timeout: forget it silently
};

// A response field as the HTTP/2 side builds it (views; the library copies them on submit).
using ResponseField = http2::ResponseField;

class Connection {
 public:
  // A connection from a client Initial (isAcceptableInitial). `scid` is our first CID; the ones
  // issued later carry `cid_tag` as it does (newServerCid). With `resumption` (it must outlive
  // the connection) the client gets a session ticket once the handshake completes and may
  // resume with 0-RTT requests next time; without, neither.
  static std::unique_ptr<Connection> accept(TimePoint now, const UdpEndpoint& local,
                                            const UdpEndpoint& remote, std::string_view initial,
                                            const Cid& scid, std::optional<uint8_t> cid_tag,
                                            const ResetSecret& secret,
                                            const TransportLimits& limits,
                                            const ResumptionKeys* resumption, ConnectionSink& sink);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  IoResult read(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                std::string_view datagram);
  // Everything ready to go out (handshake, acks, stream data) within congestion and pacing.
  IoResult write(TimePoint now, std::vector<Datagram>& out);
  TimePoint expiry() const;
  IoResult handleExpiry(TimePoint now);

  // The CONNECTION_CLOSE for the error that made read/write return kClose, or, when called with
  // no error pending, a graceful one (H3_NO_ERROR); empty if nothing can be sent.
  std::string closePacket(TimePoint now);
  // How long to stay in the closing or draining period (3 PTO).
  Duration closingPeriod() const;
  UdpEndpoint remote() const;
  UdpEndpoint local() const;
  std::string sni() const;
  // Known once the handshake completed: it resumed a session, and early data came with it.
  bool resumed() const;
  bool earlyDataAccepted() const;

  // HTTP/3: the response (fields already validated and lower-cased) and its whole body.
  bool submitResponse(int64_t stream, const std::vector<ResponseField>& fields,
                      std::string_view body);
  void resetStream(int64_t stream, uint64_t h3_error);
  // Asks the client to stop sending the rest of the request (STOP_SENDING with `h3_error`): it
  // was answered without it.
  void stopReading(int64_t stream, uint64_t h3_error);
  void submitGoaway();
  bool hasHttp3() const;

  struct Handles;  // the library objects, defined with the callbacks

  // Only accept() can make the key.
  class Key {
    friend class Connection;
    Key() = default;
  };
  Connection(Key, ConnectionSink& sink);

 private:
  std::unique_ptr<Handles> h_;
};

// HTTP/3 error codes the server uses (RFC 9114 8.1).
constexpr uint64_t kH3NoError = 0x100;
constexpr uint64_t kH3RequestRejected = 0x10b;
constexpr uint64_t kH3RequestCancelled = 0x10c;
constexpr uint64_t kH3MessageError = 0x10e;

}  // namespace ctplab::proxy::http3::lib
