// ngtcp2 0.12 + nghttp3 0.8 + GnuTLS behind quic_lib.h. Every library call of the HTTP/3
// server is in this file; the callbacks translate library events into ConnectionSink calls.
#include "http3/quic_lib.h"

#include <gnutls/crypto.h>
#include <nghttp3/nghttp3.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "http3/quic_lib_common.h"
#include "http3/quic_lib_compat.h"

namespace ctplab::proxy::http3::lib {

namespace {

constexpr int kMaxPacketsPerWrite = 4096;

ngtcp2_cid cidOf(const Cid& cid) {
  ngtcp2_cid out;
  ngtcp2_cid_init(&out, bytesOf(cid), cid.size());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void randomBytes(uint8_t* out, size_t n) {
  if (n > 0) gnutls_rnd(GNUTLS_RND_RANDOM, out, n);
}

Cid newServerCid(std::optional<uint8_t> tag) {
  Cid cid(kServerCidLength, '\0');
  randomBytes(reinterpret_cast<uint8_t*>(cid.data()), cid.size());
  if (tag) cid[0] = static_cast<char>(*tag);
  return cid;
}

PacketHeader decodeHeader(std::string_view datagram) {
  PacketHeader out;
  if (datagram.empty()) return out;  // the library asserts on an empty packet
  ngtcp2_version_cid vc{};
  const int rv =
      ngtcp2_pkt_decode_version_cid(&vc, bytesOf(datagram), datagram.size(), kServerCidLength);
  if (rv != 0 && rv != NGTCP2_ERR_VERSION_NEGOTIATION) return out;
  out.version = vc.version;
  out.dcid.assign(reinterpret_cast<const char*>(vc.dcid), vc.dcidlen);
  if (vc.scid) out.scid.assign(reinterpret_cast<const char*>(vc.scid), vc.scidlen);
  if (rv == NGTCP2_ERR_VERSION_NEGOTIATION) {
    out.kind = HeaderKind::kUnsupportedVersion;
  } else {
    out.kind = vc.version == 0 ? HeaderKind::kShort : HeaderKind::kLong;
  }
  return out;
}

bool isAcceptableInitial(std::string_view datagram) {
  ngtcp2_pkt_hd hd{};
  return ngtcp2_accept(&hd, bytesOf(datagram), datagram.size()) == 0;
}

std::string versionNegotiation(const PacketHeader& header) {
  uint8_t buf[256];
  uint8_t unused = 0;
  randomBytes(&unused, 1);
  const uint32_t versions[] = {NGTCP2_PROTO_VER_V1};
  // Our answer's DCID is the client's SCID and the other way round.
  const auto n = ngtcp2_pkt_write_version_negotiation(buf, sizeof buf, unused, bytesOf(header.scid),
                                                      header.scid.size(), bytesOf(header.dcid),
                                                      header.dcid.size(), versions, 1);
  if (n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

std::array<uint8_t, 16> resetToken(const ResetSecret& secret, const Cid& cid) {
  std::array<uint8_t, 16> token{};
  const ngtcp2_cid c = cidOf(cid);
  ngtcp2_crypto_generate_stateless_reset_token(token.data(), secret.data(), secret.size(), &c);
  return token;
}

std::string statelessReset(const ResetSecret& secret, const Cid& dcid, size_t received_size) {
  // RFC 9000 10.3: at least 21 bytes, and shorter than the packet it answers.
  constexpr size_t kMinimum = NGTCP2_MIN_STATELESS_RESET_RANDLEN + NGTCP2_STATELESS_RESET_TOKENLEN;
  if (received_size <= kMinimum + 1) return {};
  const size_t total = std::min<size_t>(received_size - 1, 43);
  const size_t randlen = total - NGTCP2_STATELESS_RESET_TOKENLEN;
  uint8_t rand[64];
  randomBytes(rand, randlen);
  const auto token = resetToken(secret, dcid);
  uint8_t buf[64];
  const auto n = ngtcp2_pkt_write_stateless_reset(buf, sizeof buf, token.data(), rand, randlen);
  if (n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// ---------------------------------------------------------------------------------------------

struct Connection::Handles {
  explicit Handles(ConnectionSink& s) : sink(&s) {}

  ConnectionSink* sink;
  std::unique_ptr<gnutls_session_int, SessionDeleter> tls;
  std::unique_ptr<ngtcp2_conn, ConnDeleter> conn;
  std::unique_ptr<nghttp3_conn, Http3Deleter> h3;
  ngtcp2_crypto_conn_ref conn_ref{};
  ResetSecret secret{};
  std::optional<uint8_t> cid_tag;
  bool tickets = false;  // session tickets (and so 0-RTT) offered
  TransportLimits limits;
  std::string sni;
  compat::CloseError error{};
  bool error_pending = false;
  // Response bodies by stream: nghttp3 points into them until the stream closes.
  std::unordered_map<int64_t, std::string> bodies;
  std::vector<nghttp3_nv> nva;  // submitResponse's, kept for its capacity
  std::array<uint8_t, kMaxDatagram> buffer{};
  // The last path's remote, converted once: most datagrams go to the same peer.
  SockAddr cached_sockaddr;
  UdpEndpoint cached_remote;

  void setApplicationError(uint64_t code) {
    if (error_pending) return;
    compat::closeErrorApplication(&error, code);
    error_pending = true;
  }
  void setLibraryError(int liberr) {
    if (error_pending) return;
    if (liberr == NGTCP2_ERR_CRYPTO) {
      compat::closeErrorTlsAlert(&error, ngtcp2_conn_get_tls_alert(conn.get()));
    } else {
      compat::closeErrorLiberr(&error, liberr);
    }
    error_pending = true;
  }
  void extendWindows(int64_t stream, uint64_t n) {
    ngtcp2_conn_extend_max_stream_offset(conn.get(), stream, n);
    ngtcp2_conn_extend_max_offset(conn.get(), n);
  }
  UdpEndpoint remoteOf(const ngtcp2_addr& a) {
    // The cache holds IPv4 and IPv6 addresses; anything longer is read without it.
    if (a.addrlen > sizeof cached_sockaddr.storage) return fromSockaddr(a);
    if (a.addrlen != cached_sockaddr.len ||
        std::memcmp(a.addr, &cached_sockaddr.storage, a.addrlen) != 0) {
      cached_remote = fromSockaddr(a);
      std::memcpy(&cached_sockaddr.storage, a.addr, a.addrlen);
      cached_sockaddr.len = a.addrlen;
    }
    return cached_remote;
  }
  int startHttp3();

  // --- ngtcp2 callbacks ---
  static Handles& of(void* user_data) { return *static_cast<Handles*>(user_data); }

  static int onHandshakeCompleted(ngtcp2_conn*, void* user_data) {
    Handles& h = of(user_data);
    // A connection works without a ticket: a refused one only costs the next a full handshake.
    if (h.tickets) gnutls_session_ticket_send(h.tls.get(), 1, 0);
    h.sink->onHandshakeCompleted();
    return 0;
  }
  static int onRecvStreamData(ngtcp2_conn*, uint32_t flags, int64_t stream, uint64_t,
                              const uint8_t* data, size_t len, void* user_data, void*) {
    Handles& h = of(user_data);
    if (!h.h3) return 0;
    const int fin = (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0;
    const nghttp3_ssize n = nghttp3_conn_read_stream(h.h3.get(), stream, data, len, fin);
    if (n < 0) {
      h.setApplicationError(nghttp3_err_infer_quic_app_error_code(static_cast<int>(n)));
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    // DATA payload is credited back in onRecvData/onDeferredConsume; the rest (framing,
    // QPACK) here.
    h.extendWindows(stream, static_cast<uint64_t>(n));
    return 0;
  }
  static int onAckedStreamData(ngtcp2_conn*, int64_t stream, uint64_t, uint64_t len,
                               void* user_data, void*) {
    Handles& h = of(user_data);
    if (h.h3 && nghttp3_conn_add_ack_offset(h.h3.get(), stream, len) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    if (ngtcp2_is_bidi_stream(stream)) h.sink->onStreamDataAcked(stream);
    return 0;
  }
  static int onStreamClose(ngtcp2_conn* conn, uint32_t flags, int64_t stream, uint64_t code,
                           void* user_data, void*) {
    Handles& h = of(user_data);
    if (!(flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET)) code = NGHTTP3_H3_NO_ERROR;
    if (h.h3) {
      const int rv = nghttp3_conn_close_stream(h.h3.get(), stream, code);
      if (rv != 0 && rv != NGHTTP3_ERR_STREAM_NOT_FOUND) {
        h.setApplicationError(nghttp3_err_infer_quic_app_error_code(rv));
        return NGTCP2_ERR_CALLBACK_FAILURE;
      }
    }
    if (!ngtcp2_is_bidi_stream(stream) && !ngtcp2_conn_is_local_stream(conn, stream)) {
      ngtcp2_conn_extend_max_streams_uni(conn, 1);
    }
    return 0;
  }
  static int onStreamReset(ngtcp2_conn*, int64_t stream, uint64_t, uint64_t, void* user_data,
                           void*) {
    Handles& h = of(user_data);
    if (h.h3 && nghttp3_conn_shutdown_stream_read(h.h3.get(), stream) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    h.sink->onStreamReset(stream);
    return 0;
  }
  static int onStreamStopSending(ngtcp2_conn*, int64_t stream, uint64_t, void* user_data, void*) {
    Handles& h = of(user_data);
    if (h.h3 && nghttp3_conn_shutdown_stream_read(h.h3.get(), stream) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    h.sink->onStreamReset(stream);
    return 0;
  }
  static int onExtendMaxRemoteStreamsBidi(ngtcp2_conn*, uint64_t max_streams, void* user_data) {
    Handles& h = of(user_data);
    if (h.h3) nghttp3_conn_set_max_client_streams_bidi(h.h3.get(), max_streams);
    return 0;
  }
  static int onExtendMaxStreamData(ngtcp2_conn*, int64_t stream, uint64_t, void* user_data, void*) {
    Handles& h = of(user_data);
    if (h.h3 && nghttp3_conn_unblock_stream(h.h3.get(), stream) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }
  static void onRand(uint8_t* dest, size_t len, const ngtcp2_rand_ctx*) { randomBytes(dest, len); }
  static int onNewConnectionId(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len,
                               void* user_data) {
    Handles& h = of(user_data);
    // ngtcp2 asks for the length of our first CID, kServerCidLength.
    Cid fresh = newServerCid(h.cid_tag);
    fresh.resize(len);
    ngtcp2_cid_init(cid, bytesOf(fresh), len);
    const auto t = resetToken(h.secret, fresh);
    std::memcpy(token, t.data(), t.size());
    h.sink->onNewCid(fresh);
    return 0;
  }
  static int onRemoveConnectionId(ngtcp2_conn*, const ngtcp2_cid* cid, void* user_data) {
    of(user_data).sink->onRetiredCid(Cid(reinterpret_cast<const char*>(cid->data), cid->datalen));
    return 0;
  }
  static int onRecvTxKey(ngtcp2_conn*, compat::Level level, void* user_data) {
    if (level != compat::kApplicationLevel) return 0;
    return of(user_data).startHttp3();
  }

  // --- nghttp3 callbacks ---
  static int h3StreamClose(nghttp3_conn*, int64_t stream, uint64_t, void* user_data, void*) {
    Handles& h = of(user_data);
    h.bodies.erase(stream);
    if (ngtcp2_is_bidi_stream(stream) && !ngtcp2_conn_is_local_stream(h.conn.get(), stream)) {
      ngtcp2_conn_extend_max_streams_bidi(h.conn.get(), 1);
    }
    h.sink->onStreamClosed(stream);
    return 0;
  }
  static int h3RecvData(nghttp3_conn*, int64_t stream, const uint8_t* data, size_t len,
                        void* user_data, void*) {
    Handles& h = of(user_data);
    // The body is buffered whole by the exchange (bounded there), so the window reopens at once.
    h.extendWindows(stream, len);
    h.sink->onBody(stream, std::string_view(reinterpret_cast<const char*>(data), len));
    return 0;
  }
  static int h3DeferredConsume(nghttp3_conn*, int64_t stream, size_t consumed, void* user_data,
                               void*) {
    of(user_data).extendWindows(stream, consumed);
    return 0;
  }
  static int h3RecvHeader(nghttp3_conn*, int64_t stream, int32_t, nghttp3_rcbuf* name,
                          nghttp3_rcbuf* value, uint8_t, void* user_data, void*) {
    of(user_data).sink->onHeaderField(stream, false, viewOf(name), viewOf(value));
    return 0;
  }
  static int h3EndHeaders(nghttp3_conn*, int64_t stream, int fin, void* user_data, void*) {
    of(user_data).sink->onHeadersEnd(stream, false, fin != 0);
    return 0;
  }
  static int h3RecvTrailer(nghttp3_conn*, int64_t stream, int32_t, nghttp3_rcbuf* name,
                           nghttp3_rcbuf* value, uint8_t, void* user_data, void*) {
    of(user_data).sink->onHeaderField(stream, true, viewOf(name), viewOf(value));
    return 0;
  }
  static int h3EndTrailers(nghttp3_conn*, int64_t stream, int fin, void* user_data, void*) {
    of(user_data).sink->onHeadersEnd(stream, true, fin != 0);
    return 0;
  }
  static int h3StopSending(nghttp3_conn*, int64_t stream, uint64_t code, void* user_data, void*) {
    Handles& h = of(user_data);
    if (ngtcp2_conn_shutdown_stream_read(h.conn.get(), stream, code) != 0) {
      return NGHTTP3_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }
  static int h3EndStream(nghttp3_conn*, int64_t stream, void* user_data, void*) {
    of(user_data).sink->onRequestEnd(stream);
    return 0;
  }
  static int h3ResetStream(nghttp3_conn*, int64_t stream, uint64_t code, void* user_data, void*) {
    Handles& h = of(user_data);
    if (ngtcp2_conn_shutdown_stream_write(h.conn.get(), stream, code) != 0) {
      return NGHTTP3_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }
  static nghttp3_ssize h3ReadData(nghttp3_conn*, int64_t stream, nghttp3_vec* vec, size_t veccnt,
                                  uint32_t* flags, void* user_data, void*) {
    return readWholeBody(of(user_data).bodies, stream, vec, veccnt, flags);
  }

  // --- TLS ---
  static ngtcp2_conn* getConn(ngtcp2_crypto_conn_ref* ref) {
    return static_cast<Handles*>(ref->user_data)->conn.get();
  }
  static int postClientHello(gnutls_session_t session) {
    auto* ref = static_cast<ngtcp2_crypto_conn_ref*>(gnutls_session_get_ptr(session));
    Handles& h = *static_cast<Handles*>(ref->user_data);
    char name[256];
    size_t len = sizeof name;
    unsigned int type = 0;
    if (gnutls_server_name_get(session, name, &len, &type, 0) == GNUTLS_E_SUCCESS &&
        type == GNUTLS_NAME_DNS) {
      h.sni.assign(name, strnlen(name, len));
    }
    const TlsCredentials* credentials = h.sink->chooseCredentials(h.sni);
    // No chain for this name: the handshake fails, as no filter chain matches over TCP.
    if (credentials == nullptr) return GNUTLS_E_UNRECOGNIZED_NAME;
    return gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials->get());
  }
};

int Connection::Handles::startHttp3() {
  nghttp3_callbacks cb{};
  cb.stream_close = h3StreamClose;
  cb.recv_data = h3RecvData;
  cb.deferred_consume = h3DeferredConsume;
  cb.recv_header = h3RecvHeader;
  cb.end_headers = h3EndHeaders;
  cb.recv_trailer = h3RecvTrailer;
  cb.end_trailers = h3EndTrailers;
  cb.stop_sending = h3StopSending;
  cb.end_stream = h3EndStream;
  cb.reset_stream = h3ResetStream;
  nghttp3_settings settings;
  nghttp3_settings_default(&settings);
  settings.qpack_max_dtable_capacity = 4096;
  settings.qpack_blocked_streams = 100;
  nghttp3_conn* raw = nullptr;
  if (nghttp3_conn_server_new(&raw, &cb, &settings, nghttp3_mem_default(), this) != 0) {
    return NGTCP2_ERR_CALLBACK_FAILURE;
  }
  h3.reset(raw);
  nghttp3_conn_set_max_client_streams_bidi(raw, limits.max_streams_bidi);
  int64_t control = -1, encoder = -1, decoder = -1;
  if (ngtcp2_conn_open_uni_stream(conn.get(), &control, nullptr) != 0 ||
      nghttp3_conn_bind_control_stream(raw, control) != 0 ||
      ngtcp2_conn_open_uni_stream(conn.get(), &encoder, nullptr) != 0 ||
      ngtcp2_conn_open_uni_stream(conn.get(), &decoder, nullptr) != 0 ||
      nghttp3_conn_bind_qpack_streams(raw, encoder, decoder) != 0) {
    return NGTCP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

Connection::Connection(Key, ConnectionSink& sink) : h_(std::make_unique<Handles>(sink)) {}

Connection::~Connection() = default;

std::unique_ptr<Connection> Connection::accept(
    TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote, std::string_view initial,
    const Cid& scid, std::optional<uint8_t> cid_tag, const ResetSecret& secret,
    const TransportLimits& limits, const ResumptionKeys* resumption, ConnectionSink& sink) {
  ngtcp2_pkt_hd hd{};
  if (ngtcp2_accept(&hd, bytesOf(initial), initial.size()) != 0) return nullptr;
  auto c = std::make_unique<Connection>(Key(), sink);
  Handles& h = *c->h_;
  h.secret = secret;
  h.cid_tag = cid_tag;
  h.limits = limits;
  compat::closeErrorDefault(&h.error);

  ngtcp2_callbacks cb{};
  cb.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb;
  cb.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
  cb.encrypt = ngtcp2_crypto_encrypt_cb;
  cb.decrypt = ngtcp2_crypto_decrypt_cb;
  cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cb.update_key = ngtcp2_crypto_update_key_cb;
  cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  cb.handshake_completed = Handles::onHandshakeCompleted;
  cb.recv_stream_data = Handles::onRecvStreamData;
  cb.acked_stream_data_offset = Handles::onAckedStreamData;
  cb.stream_close = Handles::onStreamClose;
  cb.stream_reset = Handles::onStreamReset;
  cb.stream_stop_sending = Handles::onStreamStopSending;
  cb.extend_max_remote_streams_bidi = Handles::onExtendMaxRemoteStreamsBidi;
  cb.extend_max_stream_data = Handles::onExtendMaxStreamData;
  cb.rand = Handles::onRand;
  cb.get_new_connection_id = Handles::onNewConnectionId;
  cb.remove_connection_id = Handles::onRemoveConnectionId;
  cb.recv_tx_key = Handles::onRecvTxKey;

  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = stamp(now);
  settings.initial_rtt = static_cast<ngtcp2_duration>(limits.initial_rtt.ns());
  compat::setToken(&settings, hd.token.base, hd.token.len);

  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_streams_bidi = limits.max_streams_bidi;
  params.initial_max_streams_uni = 3;  // the client's control and QPACK streams
  params.initial_max_data = limits.connection_window;
  params.initial_max_stream_data_bidi_local = limits.stream_window;
  params.initial_max_stream_data_bidi_remote = limits.stream_window;
  params.initial_max_stream_data_uni = limits.stream_window;
  params.max_idle_timeout = static_cast<ngtcp2_duration>(limits.idle_timeout.ns());
  params.original_dcid = hd.dcid;
  params.stateless_reset_token_present = 1;
  const auto token = resetToken(secret, scid);
  std::memcpy(params.stateless_reset_token, token.data(), token.size());

  SockAddr l = toSockaddr(local), r = toSockaddr(remote);
  ngtcp2_path path{{l.get(), l.len}, {r.get(), r.len}, nullptr};
  const ngtcp2_cid our = cidOf(scid);
  ngtcp2_conn* conn = nullptr;
  if (ngtcp2_conn_server_new(&conn, &hd.scid, &our, &path, hd.version, &cb, &settings, &params,
                             nullptr, &h) != 0) {
    return nullptr;
  }
  h.conn.reset(conn);

  gnutls_session_t session = nullptr;
  if (gnutls_init(&session, GNUTLS_SERVER | GNUTLS_ENABLE_EARLY_DATA | GNUTLS_NO_END_OF_EARLY_DATA |
                                GNUTLS_NO_AUTO_SEND_TICKET) != 0) {
    return nullptr;
  }
  h.tls.reset(session);
  static const gnutls_datum_t kAlpnH3 = {reinterpret_cast<unsigned char*>(const_cast<char*>("h3")),
                                         2};
  if (ngtcp2_crypto_gnutls_configure_server_session(session) != 0 ||
      gnutls_priority_set_direct(session, kPriority, nullptr) != 0 ||
      gnutls_alpn_set_protocols(session, &kAlpnH3, 1,
                                GNUTLS_ALPN_MANDATORY | GNUTLS_ALPN_SERVER_PRECEDENCE) != 0) {
    return nullptr;
  }
  if (resumption != nullptr) {
    if (gnutls_session_ticket_enable_server(session, resumption->ticketKey()) != 0) return nullptr;
    gnutls_anti_replay_enable(session, resumption->antiReplay());
    // RFC 9001 4.6.1: a ticket that allows 0-RTT over QUIC says 0xffffffff.
    gnutls_record_set_max_early_data_size(session, 0xffffffffu);
    h.tickets = true;
  }
  gnutls_handshake_set_post_client_hello_function(session, Handles::postClientHello);
  h.conn_ref = {Handles::getConn, &h};
  gnutls_session_set_ptr(session, &h.conn_ref);
  ngtcp2_conn_set_tls_native_handle(conn, session);
  return c;
}

IoResult Connection::read(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                          std::string_view datagram) {
  Handles& h = *h_;
  SockAddr l = toSockaddr(local), r = toSockaddr(remote);
  ngtcp2_path path{{l.get(), l.len}, {r.get(), r.len}, nullptr};
  ngtcp2_pkt_info pi{};
  const int rv = ngtcp2_conn_read_pkt(h.conn.get(), &path, &pi, bytesOf(datagram), datagram.size(),
                                      stamp(now));
  switch (rv) {
    case 0:
      return IoResult::kOk;
    case NGTCP2_ERR_DRAINING:
      return IoResult::kDraining;
    case NGTCP2_ERR_RETRY:
    case NGTCP2_ERR_DROP_CONN:
      return IoResult::kDrop;
    case NGTCP2_ERR_CLOSING:
      return IoResult::kClose;  // we already closed: the close packet is sent again
    default:
      h.setLibraryError(rv);
      return IoResult::kClose;
  }
}

IoResult Connection::write(TimePoint now, std::vector<Datagram>& out) {
  Handles& h = *h_;
  ngtcp2_conn* conn = h.conn.get();
  const ngtcp2_tstamp ts = stamp(now);
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  for (int packets = 0; packets < kMaxPacketsPerWrite;) {
    int64_t stream = -1;
    int fin = 0;
    nghttp3_vec vec[16];
    nghttp3_ssize count = 0;
    if (h.h3 && ngtcp2_conn_get_max_data_left(conn) > 0) {
      count = nghttp3_conn_writev_stream(h.h3.get(), &stream, &fin, vec, 16);
      if (count < 0) {
        h.setApplicationError(nghttp3_err_infer_quic_app_error_code(static_cast<int>(count)));
        return IoResult::kClose;
      }
    }
    ngtcp2_ssize written = -1;
    const uint32_t flags = NGTCP2_WRITE_STREAM_FLAG_MORE | (fin ? NGTCP2_WRITE_STREAM_FLAG_FIN : 0);
    const ngtcp2_ssize n = ngtcp2_conn_writev_stream(
        conn, &ps.path, nullptr, h.buffer.data(), h.buffer.size(), &written, flags, stream,
        reinterpret_cast<const ngtcp2_vec*>(vec), static_cast<size_t>(count), ts);
    if (n < 0) {
      switch (n) {
        case NGTCP2_ERR_STREAM_DATA_BLOCKED:
          nghttp3_conn_block_stream(h.h3.get(), stream);
          continue;
        case NGTCP2_ERR_STREAM_SHUT_WR:
          nghttp3_conn_shutdown_stream_write(h.h3.get(), stream);
          continue;
        case NGTCP2_ERR_WRITE_MORE:
          if (nghttp3_conn_add_write_offset(h.h3.get(), stream, static_cast<size_t>(written)) !=
              0) {
            h.setApplicationError(NGHTTP3_H3_INTERNAL_ERROR);
            return IoResult::kClose;
          }
          continue;
        default:
          h.setLibraryError(static_cast<int>(n));
          return IoResult::kClose;
      }
    }
    if (written >= 0 && h.h3 &&
        nghttp3_conn_add_write_offset(h.h3.get(), stream, static_cast<size_t>(written)) != 0) {
      h.setApplicationError(NGHTTP3_H3_INTERNAL_ERROR);
      return IoResult::kClose;
    }
    if (n == 0) break;
    out.push_back(
        {fromSockaddr(ps.path.local), h.remoteOf(ps.path.remote),
         std::string(reinterpret_cast<const char*>(h.buffer.data()), static_cast<size_t>(n))});
    ++packets;
  }
  if (h.limits.pacing) ngtcp2_conn_update_pkt_tx_time(conn, ts);
  return IoResult::kOk;
}

TimePoint Connection::expiry() const { return fromStamp(ngtcp2_conn_get_expiry(h_->conn.get())); }

IoResult Connection::handleExpiry(TimePoint now) {
  const int rv = ngtcp2_conn_handle_expiry(h_->conn.get(), stamp(now));
  if (rv == 0) return IoResult::kOk;
  if (rv == NGTCP2_ERR_IDLE_CLOSE) return IoResult::kIdleClose;
  h_->setLibraryError(rv);
  return IoResult::kClose;
}

std::string Connection::closePacket(TimePoint now) {
  Handles& h = *h_;
  ngtcp2_conn* conn = h.conn.get();
  if (ngtcp2_conn_is_in_closing_period(conn) || ngtcp2_conn_is_in_draining_period(conn)) return {};
  if (!h.error_pending) {
    compat::closeErrorApplication(&h.error, NGHTTP3_H3_NO_ERROR);
    h.error_pending = true;
  }
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  const ngtcp2_ssize n = ngtcp2_conn_write_connection_close(
      conn, &ps.path, nullptr, h.buffer.data(), h.buffer.size(), &h.error, stamp(now));
  if (n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(h.buffer.data()), static_cast<size_t>(n));
}

Duration Connection::closingPeriod() const {
  return Duration::nanoseconds(static_cast<int64_t>(ngtcp2_conn_get_pto(h_->conn.get()) * 3));
}

UdpEndpoint Connection::remote() const {
  return fromSockaddr(ngtcp2_conn_get_path(h_->conn.get())->remote);
}

UdpEndpoint Connection::local() const {
  return fromSockaddr(ngtcp2_conn_get_path(h_->conn.get())->local);
}

std::string Connection::sni() const { return h_->sni; }

bool Connection::resumed() const {
  return h_->tls && gnutls_session_is_resumed(h_->tls.get()) != 0;
}

bool Connection::earlyDataAccepted() const {
  return h_->tls && (gnutls_session_get_flags(h_->tls.get()) & GNUTLS_SFLAGS_EARLY_DATA) != 0;
}

bool Connection::hasHttp3() const { return h_->h3 != nullptr; }

bool Connection::submitResponse(int64_t stream, const std::vector<ResponseField>& fields,
                                std::string_view body) {
  Handles& h = *h_;
  if (!h.h3) return false;
  // nghttp3 copies the fields; the list is kept only so its capacity is reused.
  std::vector<nghttp3_nv>& nva = h.nva;
  nva.clear();
  for (const ResponseField& f : fields) {
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(f.name.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(f.value.data())), f.name.size(),
                   f.value.size(), NGHTTP3_NV_FLAG_NONE});
  }
  nghttp3_data_reader reader{Handles::h3ReadData};
  const bool has_body = !body.empty();
  if (has_body) h.bodies[stream].assign(body);
  const int rv = nghttp3_conn_submit_response(h.h3.get(), stream, nva.data(), nva.size(),
                                              has_body ? &reader : nullptr);
  if (rv != 0) {
    h.bodies.erase(stream);
    return false;
  }
  return true;
}

void Connection::resetStream(int64_t stream, uint64_t h3_error) {
  Handles& h = *h_;
  if (h.h3) nghttp3_conn_shutdown_stream_write(h.h3.get(), stream);
  ngtcp2_conn_shutdown_stream(h.conn.get(), stream, h3_error);
}

void Connection::stopReading(int64_t stream, uint64_t h3_error) {
  Handles& h = *h_;
  if (h.h3) nghttp3_conn_shutdown_stream_read(h.h3.get(), stream);
  ngtcp2_conn_shutdown_stream_read(h.conn.get(), stream, h3_error);
}

void Connection::submitGoaway() {
  if (h_->h3) nghttp3_conn_shutdown(h_->h3.get());
}

}  // namespace ctplab::proxy::http3::lib
