// ngtcp2 0.12 + nghttp3 0.8 + GnuTLS for the client side: with quic_lib.cc, the only file that
// calls the libraries. The callbacks fill the response map and the event queue.
#include <gnutls/crypto.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <deque>

#include "ctplab/proxy/http3/http3_client.h"
#include "http3/quic_lib.h"
#include "http3/quic_lib_common.h"
#include "http3/quic_lib_compat.h"

namespace ctplab::proxy::http3 {

namespace {

using lib::bytesOf;
using lib::stamp;

constexpr size_t kClientCidLength = 18;
constexpr int kMaxPacketsPerWrite = 1000;

}  // namespace

int ClientResponse::status() const {
  auto it = fields.find(":status");
  if (it == fields.end() || it->second.size() != 3) return 0;
  int out = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return 0;
    out = out * 10 + (c - '0');
  }
  return out;
}

struct Http3Client::State {
  ClientOptions options;
  UdpEndpoint local, server;
  lib::SockAddr local_sa, server_sa;
  std::unique_ptr<gnutls_certificate_credentials_st, lib::CredentialsDeleter> creds;
  std::unique_ptr<gnutls_session_int, lib::SessionDeleter> tls;
  std::unique_ptr<ngtcp2_conn, lib::ConnDeleter> conn;
  std::unique_ptr<nghttp3_conn, lib::Http3Deleter> h3;
  ngtcp2_crypto_conn_ref ref{};
  bool handshake_done = false;
  bool early = false;          // resuming: requests before the handshake go as 0-RTT data
  std::string ticket_session;  // GnuTLS's session data, once the server sent a ticket
  bool dead = false;
  bool goaway = false;
  std::optional<uint64_t> close_error;
  std::map<int64_t, ClientResponse> responses;
  // Request bodies by stream: nghttp3 points into them until the stream closes.
  std::map<int64_t, std::string> bodies;
  // Bodies of requests sent in pieces (openRequest): chunks handed to nghttp3 in order; a deque
  // keeps earlier chunks where nghttp3 points while later ones are added.
  struct StreamedBody {
    std::deque<std::string> chunks;
    size_t next = 0;   // the first chunk not yet handed over
    bool end = false;  // the request's FIN follows the last chunk
  };
  std::map<int64_t, StreamedBody> streamed;
  std::deque<ClientEvent> events;
  std::array<uint8_t, lib::kMaxDatagram> buffer{};

  ngtcp2_path path() {
    return ngtcp2_path{{local_sa.get(), local_sa.len}, {server_sa.get(), server_sa.len}, nullptr};
  }
  static State& of(void* p) { return *static_cast<State*>(p); }
  static void random(uint8_t* out, size_t n) { lib::randomBytes(out, n); }

  void die(ClientClosed closed) {
    if (dead) return;
    dead = true;
    closed.goaway = goaway;
    events.emplace_back(closed);
  }

  void consumed(int64_t stream, size_t n) {
    ngtcp2_conn_extend_max_stream_offset(conn.get(), stream, n);
    ngtcp2_conn_extend_max_offset(conn.get(), n);
  }

  // The response of one of our requests, null once forgotten (or for another stream).
  ClientResponse* responseOf(int64_t stream) {
    auto it = responses.find(stream);
    return it == responses.end() ? nullptr : &it->second;
  }

  void responseEnded(int64_t stream, bool reset) {
    ClientResponse* r = responseOf(stream);
    if (r == nullptr || r->complete || r->reset) return;
    (reset ? r->reset : r->complete) = true;
    events.emplace_back(ResponseDone{stream});
  }

  // --- HTTP/3 ---
  static int recvHeader(nghttp3_conn*, int64_t stream, int32_t, nghttp3_rcbuf* name,
                        nghttp3_rcbuf* value, uint8_t, void* u, void*) {
    ClientResponse* r = of(u).responseOf(stream);
    if (r == nullptr) return 0;
    std::string& field = r->fields[std::string(lib::viewOf(name))];
    if (!field.empty()) field += ", ";
    field += lib::viewOf(value);
    return 0;
  }
  static int recvData(nghttp3_conn*, int64_t stream, const uint8_t* data, size_t len, void* u,
                      void*) {
    State& s = of(u);
    if (ClientResponse* r = s.responseOf(stream)) {
      r->body.append(reinterpret_cast<const char*>(data), len);
    }
    s.consumed(stream, len);
    return 0;
  }
  static int deferredConsume(nghttp3_conn*, int64_t stream, size_t n, void* u, void*) {
    of(u).consumed(stream, n);
    return 0;
  }
  static int endStream(nghttp3_conn*, int64_t stream, void* u, void*) {
    of(u).responseEnded(stream, false);
    return 0;
  }
  static int resetStream(nghttp3_conn*, int64_t stream, uint64_t, void* u, void*) {
    of(u).responseEnded(stream, true);
    return 0;
  }
  static int streamClosed(nghttp3_conn*, int64_t stream, uint64_t, void* u, void*) {
    State& s = of(u);
    s.bodies.erase(stream);
    s.streamed.erase(stream);
    // A stream closed before its response ended was abandoned by the server.
    s.responseEnded(stream, true);
    return 0;
  }
  static int goawayReceived(nghttp3_conn*, int64_t, void* u) {
    of(u).goaway = true;
    return 0;
  }
  static nghttp3_ssize readBody(nghttp3_conn*, int64_t stream, nghttp3_vec* vec, size_t veccnt,
                                uint32_t* flags, void* u, void*) {
    State& s = of(u);
    auto it = s.streamed.find(stream);
    if (it == s.streamed.end()) return lib::readWholeBody(s.bodies, stream, vec, veccnt, flags);
    StreamedBody& b = it->second;
    nghttp3_ssize n = 0;
    while (b.next < b.chunks.size() && static_cast<size_t>(n) < veccnt) {
      std::string& chunk = b.chunks[b.next++];
      if (chunk.empty()) continue;
      vec[n].base = reinterpret_cast<uint8_t*>(chunk.data());
      vec[n].len = chunk.size();
      ++n;
    }
    if (b.next == b.chunks.size() && b.end) {
      *flags |= NGHTTP3_DATA_FLAG_EOF;
    } else if (n == 0) {
      return NGHTTP3_ERR_WOULDBLOCK;  // more comes with sendBody
    }
    return n;
  }

  // 0-RTT data refused: its requests end reset (to be sent again) and HTTP/3 starts afresh, as
  // ngtcp2 forgets the streams it carried.
  void earlyDataRejected() {
    h3.reset();
    bodies.clear();
    streamed.clear();
    for (auto& [stream, r] : responses) {
      if (r.complete || r.reset) continue;
      r.reset = r.early_rejected = true;
      events.emplace_back(ResponseDone{stream});
    }
  }
  // GnuTLS hands over the session data once the server's ticket arrives (after the handshake).
  static int onHandshakeMessage(gnutls_session_t session, unsigned int type, unsigned, unsigned,
                                const gnutls_datum_t*) {
    if (type != GNUTLS_HANDSHAKE_NEW_SESSION_TICKET) return 0;
    auto* ref = static_cast<ngtcp2_crypto_conn_ref*>(gnutls_session_get_ptr(session));
    gnutls_datum_t data{};
    if (gnutls_session_get_data2(session, &data) != 0) return 0;
    of(ref->user_data).ticket_session.assign(reinterpret_cast<const char*>(data.data), data.size);
    gnutls_free(data.data);
    return 0;
  }

  int startHttp3() {
    if (h3) return 0;  // started early for 0-RTT requests
    nghttp3_callbacks cb{};
    cb.recv_header = recvHeader;
    cb.recv_data = recvData;
    cb.deferred_consume = deferredConsume;
    cb.end_stream = endStream;
    cb.reset_stream = resetStream;
    cb.stream_close = streamClosed;
    cb.shutdown = goawayReceived;
    nghttp3_settings settings;
    nghttp3_settings_default(&settings);
    nghttp3_conn* made = nullptr;
    if (nghttp3_conn_client_new(&made, &cb, &settings, nghttp3_mem_default(), this) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    h3.reset(made);
    int64_t control = -1, encoder = -1, decoder = -1;
    if (ngtcp2_conn_open_uni_stream(conn.get(), &control, nullptr) != 0 ||
        nghttp3_conn_bind_control_stream(h3.get(), control) != 0 ||
        ngtcp2_conn_open_uni_stream(conn.get(), &encoder, nullptr) != 0 ||
        ngtcp2_conn_open_uni_stream(conn.get(), &decoder, nullptr) != 0 ||
        nghttp3_conn_bind_qpack_streams(h3.get(), encoder, decoder) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }

  // --- QUIC ---
  static int handshakeCompleted(ngtcp2_conn* conn, void* u) {
    State& s = of(u);
    if (s.early && (gnutls_session_get_flags(s.tls.get()) & GNUTLS_SFLAGS_EARLY_DATA) == 0) {
      // GnuTLS reports a refusal only now; ngtcp2 then drops the 0-RTT streams.
      if (ngtcp2_conn_early_data_rejected(conn) != 0) return NGTCP2_ERR_CALLBACK_FAILURE;
      s.earlyDataRejected();
      if (s.startHttp3() != 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    s.handshake_done = true;
    s.events.emplace_back(HandshakeDone{});
    return 0;
  }
  static int recvRxKey(ngtcp2_conn*, lib::compat::Level level, void* u) {
    return level == lib::compat::kApplicationLevel ? of(u).startHttp3() : 0;
  }
  static int recvStreamData(ngtcp2_conn*, uint32_t flags, int64_t stream, uint64_t,
                            const uint8_t* data, size_t len, void* u, void*) {
    State& s = of(u);
    if (!s.h3) return 0;
    const auto n = nghttp3_conn_read_stream(s.h3.get(), stream, data, len,
                                            (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0);
    if (n < 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    s.consumed(stream, static_cast<size_t>(n));
    return 0;
  }
  static int ackedStreamData(ngtcp2_conn*, int64_t stream, uint64_t, uint64_t len, void* u, void*) {
    State& s = of(u);
    if (s.h3 && nghttp3_conn_add_ack_offset(s.h3.get(), stream, len) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }
  static int streamClose(ngtcp2_conn*, uint32_t flags, int64_t stream, uint64_t code, void* u,
                         void*) {
    State& s = of(u);
    if (!s.h3) return 0;
    if (!(flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET)) code = NGHTTP3_H3_NO_ERROR;
    const int rv = nghttp3_conn_close_stream(s.h3.get(), stream, code);
    return rv == 0 || rv == NGHTTP3_ERR_STREAM_NOT_FOUND ? 0 : NGTCP2_ERR_CALLBACK_FAILURE;
  }
  static int streamReset(ngtcp2_conn*, int64_t stream, uint64_t, uint64_t, void* u, void*) {
    State& s = of(u);
    if (s.h3) nghttp3_conn_shutdown_stream_read(s.h3.get(), stream);
    return 0;
  }
  static int extendMaxStreamData(ngtcp2_conn*, int64_t stream, uint64_t, void* u, void*) {
    State& s = of(u);
    if (s.h3) nghttp3_conn_unblock_stream(s.h3.get(), stream);
    return 0;
  }
  static int newConnectionId(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len, void*) {
    random(cid->data, len);
    cid->datalen = len;
    random(token, NGTCP2_STATELESS_RESET_TOKENLEN);
    return 0;
  }
};

Http3Client::Http3Client(TimePoint now, UdpEndpoint local, UdpEndpoint server,
                         ClientOptions options)
    : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.options = std::move(options);
  s.local = local;
  s.server = server;
  s.local_sa = lib::toSockaddr(local);
  s.server_sa = lib::toSockaddr(server);

  gnutls_certificate_credentials_t creds = nullptr;
  gnutls_session_t tls = nullptr;
  if (gnutls_certificate_allocate_credentials(&creds) != 0) {
    s.dead = true;
    return;
  }
  s.creds.reset(creds);
  if (gnutls_init(&tls, GNUTLS_CLIENT | GNUTLS_ENABLE_EARLY_DATA | GNUTLS_NO_END_OF_EARLY_DATA) !=
      0) {
    s.dead = true;
    return;
  }
  s.tls.reset(tls);
  gnutls_datum_t alpn{reinterpret_cast<unsigned char*>(s.options.alpn.data()),
                      static_cast<unsigned>(s.options.alpn.size())};
  if (ngtcp2_crypto_gnutls_configure_client_session(tls) != 0 ||
      gnutls_priority_set_direct(tls, lib::kPriority, nullptr) != 0 ||
      gnutls_credentials_set(tls, GNUTLS_CRD_CERTIFICATE, creds) != 0 ||
      gnutls_alpn_set_protocols(tls, &alpn, 1, GNUTLS_ALPN_MANDATORY) != 0 ||
      (!s.options.sni.empty() && gnutls_server_name_set(tls, GNUTLS_NAME_DNS, s.options.sni.data(),
                                                        s.options.sni.size()) != 0)) {
    s.dead = true;
    return;
  }
  s.ref = {[](ngtcp2_crypto_conn_ref* r) { return static_cast<State*>(r->user_data)->conn.get(); },
           &s};
  gnutls_session_set_ptr(tls, &s.ref);
  gnutls_handshake_set_hook_function(tls, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, GNUTLS_HOOK_POST,
                                     State::onHandshakeMessage);
  if (s.options.resume) {
    const std::string& data = s.options.resume->tls_session;
    // A session GnuTLS cannot read only means a full handshake.
    s.early = !data.empty() && gnutls_session_set_data(tls, data.data(), data.size()) == 0;
  }

  ngtcp2_callbacks cb{};
  cb.client_initial = ngtcp2_crypto_client_initial_cb;
  cb.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
  cb.encrypt = ngtcp2_crypto_encrypt_cb;
  cb.decrypt = ngtcp2_crypto_decrypt_cb;
  cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cb.recv_retry = ngtcp2_crypto_recv_retry_cb;
  cb.update_key = ngtcp2_crypto_update_key_cb;
  cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  cb.rand = [](uint8_t* d, size_t n, const ngtcp2_rand_ctx*) { State::random(d, n); };
  cb.get_new_connection_id = State::newConnectionId;
  cb.handshake_completed = State::handshakeCompleted;
  cb.recv_rx_key = State::recvRxKey;
  cb.recv_stream_data = State::recvStreamData;
  cb.acked_stream_data_offset = State::ackedStreamData;
  cb.stream_close = State::streamClose;
  cb.stream_reset = State::streamReset;
  cb.extend_max_stream_data = State::extendMaxStreamData;

  ngtcp2_cid dcid, scid;
  dcid.datalen = scid.datalen = kClientCidLength;
  State::random(dcid.data, dcid.datalen);
  State::random(scid.data, scid.datalen);
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = stamp(now);
  settings.initial_rtt = static_cast<ngtcp2_duration>(s.options.initial_rtt.ns());
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_streams_bidi = 0;  // the server opens no request streams
  params.initial_max_streams_uni = 3;   // its control and QPACK streams
  params.initial_max_data = 4 << 20;
  params.initial_max_stream_data_bidi_local = 1 << 20;
  params.initial_max_stream_data_uni = 1 << 20;
  params.max_idle_timeout = static_cast<ngtcp2_duration>(s.options.idle_timeout.ns());
  ngtcp2_path p = s.path();
  ngtcp2_conn* conn = nullptr;
  if (ngtcp2_conn_client_new(&conn, &dcid, &scid, &p, NGTCP2_PROTO_VER_V1, &cb, &settings, &params,
                             nullptr, &s) != 0) {
    s.dead = true;
    return;
  }
  s.conn.reset(conn);
  ngtcp2_conn_set_tls_native_handle(conn, tls);
  if (s.early) {
    const ClientTicket& t = *s.options.resume;
    ngtcp2_transport_params remembered;
    ngtcp2_transport_params_default(&remembered);
    remembered.initial_max_streams_bidi = t.max_streams_bidi;
    remembered.initial_max_streams_uni = t.max_streams_uni;
    remembered.initial_max_data = t.max_data;
    remembered.initial_max_stream_data_bidi_local = t.max_stream_data_bidi_local;
    remembered.initial_max_stream_data_bidi_remote = t.max_stream_data_bidi_remote;
    remembered.initial_max_stream_data_uni = t.max_stream_data_uni;
    remembered.active_connection_id_limit = t.active_connection_id_limit;
    ngtcp2_conn_set_early_remote_transport_params(conn, &remembered);
    if (s.startHttp3() != 0) s.early = false;
  }
  if (s.options.keep_alive) {
    ngtcp2_conn_set_keep_alive_timeout(conn,
                                       static_cast<ngtcp2_duration>(s.options.keep_alive->ns()));
  }
}

Http3Client::~Http3Client() {
  // nghttp3 refers to the QUIC connection's streams: it goes first.
  s_->h3.reset();
  s_->conn.reset();
}

std::vector<std::string> Http3Client::write(TimePoint now) {
  State& s = *s_;
  std::vector<std::string> out;
  if (s.dead) return out;
  ngtcp2_conn* conn = s.conn.get();
  for (int i = 0; i < kMaxPacketsPerWrite; ++i) {
    int64_t stream = -1;
    int fin = 0;
    nghttp3_vec vec[16];
    nghttp3_ssize count = 0;
    if (s.h3 && ngtcp2_conn_get_max_data_left(conn) > 0) {
      count = nghttp3_conn_writev_stream(s.h3.get(), &stream, &fin, vec, 16);
      if (count < 0) {
        s.die({});
        break;
      }
    }
    ngtcp2_ssize written = -1;
    const uint32_t flags =
        NGTCP2_WRITE_STREAM_FLAG_MORE | (fin != 0 ? NGTCP2_WRITE_STREAM_FLAG_FIN : 0);
    const auto n = ngtcp2_conn_writev_stream(
        conn, nullptr, nullptr, s.buffer.data(), s.buffer.size(), &written, flags, stream,
        reinterpret_cast<const ngtcp2_vec*>(vec), static_cast<size_t>(count), stamp(now));
    if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED) {
      nghttp3_conn_block_stream(s.h3.get(), stream);
      continue;
    }
    if (n == NGTCP2_ERR_STREAM_SHUT_WR) {
      nghttp3_conn_shutdown_stream_write(s.h3.get(), stream);
      continue;
    }
    if (n == NGTCP2_ERR_WRITE_MORE) {
      nghttp3_conn_add_write_offset(s.h3.get(), stream, static_cast<size_t>(written));
      continue;
    }
    if (n < 0) {
      s.die({});
      break;
    }
    if (written >= 0 && s.h3) {
      nghttp3_conn_add_write_offset(s.h3.get(), stream, static_cast<size_t>(written));
    }
    if (n == 0) break;
    out.emplace_back(reinterpret_cast<const char*>(s.buffer.data()), static_cast<size_t>(n));
  }
  if (s.options.pacing) ngtcp2_conn_update_pkt_tx_time(conn, stamp(now));
  return out;
}

void Http3Client::read(TimePoint now, std::string_view datagram) {
  State& s = *s_;
  if (s.dead || datagram.empty()) return;
  ngtcp2_path p = s.path();
  ngtcp2_pkt_info pi{};
  const int rv =
      ngtcp2_conn_read_pkt(s.conn.get(), &p, &pi, bytesOf(datagram), datagram.size(), stamp(now));
  if (rv == 0) return;
  ClientClosed closed;
  if (rv == NGTCP2_ERR_DRAINING) {
    lib::compat::CloseError error{};
    lib::compat::receivedCloseError(s.conn.get(), &error);
    s.close_error = closed.error = error.error_code;
  }
  s.die(closed);
}

TimePoint Http3Client::expiry() const {
  if (s_->dead || !s_->conn) return TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());
  return lib::fromStamp(ngtcp2_conn_get_expiry(s_->conn.get()));
}

void Http3Client::handleExpiry(TimePoint now) {
  State& s = *s_;
  if (s.dead) return;
  const int rv = ngtcp2_conn_handle_expiry(s.conn.get(), stamp(now));
  if (rv == 0) return;
  ClientClosed closed;
  closed.idle = rv == NGTCP2_ERR_IDLE_CLOSE;
  s.die(closed);
}

std::optional<ClientEvent> Http3Client::nextEvent() {
  if (s_->events.empty()) return std::nullopt;
  ClientEvent event = std::move(s_->events.front());
  s_->events.pop_front();
  return event;
}

int64_t Http3Client::request(std::string_view method, std::string_view authority,
                             std::string_view path, const std::vector<RequestField>& headers,
                             std::string body) {
  return submit(method, authority, path, headers, std::move(body), true);
}

int64_t Http3Client::openRequest(std::string_view method, std::string_view authority,
                                 std::string_view path, const std::vector<RequestField>& headers) {
  return submit(method, authority, path, headers, {}, false);
}

bool Http3Client::sendBody(int64_t stream, std::string data, bool end) {
  State& s = *s_;
  auto it = s.streamed.find(stream);
  if (s.dead || it == s.streamed.end() || it->second.end) return false;
  it->second.chunks.push_back(std::move(data));
  it->second.end = end;
  return nghttp3_conn_resume_stream(s.h3.get(), stream) == 0;
}

int64_t Http3Client::submit(std::string_view method, std::string_view authority,
                            std::string_view path, const std::vector<RequestField>& headers,
                            std::string body, bool end) {
  State& s = *s_;
  int64_t stream = -1;
  if (s.dead || !s.h3 || ngtcp2_conn_open_bidi_stream(s.conn.get(), &stream, nullptr) != 0) {
    return -1;
  }
  auto nv = [](std::string_view name, std::string_view value) {
    return nghttp3_nv{const_cast<uint8_t*>(bytesOf(name)), const_cast<uint8_t*>(bytesOf(value)),
                      name.size(), value.size(), NGHTTP3_NV_FLAG_NONE};
  };
  std::vector<nghttp3_nv> nva;
  nva.reserve(4 + headers.size());
  nva.push_back(nv(":method", method));
  nva.push_back(nv(":scheme", "https"));
  nva.push_back(nv(":authority", authority));
  nva.push_back(nv(":path", path));
  for (const RequestField& f : headers) nva.push_back(nv(f.name, f.value));
  nghttp3_data_reader reader{State::readBody};
  const bool has_body = !body.empty() || !end;
  if (!end) {
    s.streamed[stream];
  } else if (has_body) {
    s.bodies[stream] = std::move(body);
  }
  if (nghttp3_conn_submit_request(s.h3.get(), stream, nva.data(), nva.size(),
                                  has_body ? &reader : nullptr, nullptr) != 0) {
    s.bodies.erase(stream);
    s.streamed.erase(stream);
    return -1;
  }
  // Fresh even where an entry is left: after refused 0-RTT data the stream ids start over.
  s.responses[stream] = ClientResponse{};
  return stream;
}

std::string Http3Client::close(TimePoint now) {
  State& s = *s_;
  if (s.dead) return {};
  s.dead = true;  // no event: the caller closes on purpose
  lib::compat::CloseError error{};
  lib::compat::closeErrorApplication(&error, NGHTTP3_H3_NO_ERROR);
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  const ngtcp2_ssize n = ngtcp2_conn_write_connection_close(
      s.conn.get(), &ps.path, nullptr, s.buffer.data(), s.buffer.size(), &error, stamp(now));
  if (n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(s.buffer.data()), static_cast<size_t>(n));
}

bool Http3Client::handshakeCompleted() const { return s_->handshake_done; }

std::optional<uint64_t> Http3Client::closeError() const { return s_->close_error; }

bool Http3Client::dead() const { return s_->dead; }

const std::map<int64_t, ClientResponse>& Http3Client::responses() const { return s_->responses; }

void Http3Client::forget(int64_t stream) { s_->responses.erase(stream); }

std::string Http3Client::peerCertificate() const {
  if (!s_->tls) return {};
  unsigned int n = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(s_->tls.get(), &n);
  if (certs == nullptr || n == 0) return {};
  return std::string(reinterpret_cast<const char*>(certs[0].data), certs[0].size);
}

UdpEndpoint Http3Client::local() const { return s_->local; }

std::optional<ClientTicket> Http3Client::ticket() const {
  const State& s = *s_;
  if (s.ticket_session.empty() || !s.handshake_done || !s.conn) return std::nullopt;
  const ngtcp2_transport_params* p = ngtcp2_conn_get_remote_transport_params(s.conn.get());
  if (p == nullptr) return std::nullopt;
  ClientTicket t;
  t.tls_session = s.ticket_session;
  t.max_streams_bidi = p->initial_max_streams_bidi;
  t.max_streams_uni = p->initial_max_streams_uni;
  t.max_data = p->initial_max_data;
  t.max_stream_data_bidi_local = p->initial_max_stream_data_bidi_local;
  t.max_stream_data_bidi_remote = p->initial_max_stream_data_bidi_remote;
  t.max_stream_data_uni = p->initial_max_stream_data_uni;
  t.active_connection_id_limit = p->active_connection_id_limit;
  return t;
}

bool Http3Client::resumed() const {
  return s_->handshake_done && gnutls_session_is_resumed(s_->tls.get()) != 0;
}

bool Http3Client::earlyDataAccepted() const {
  return s_->handshake_done && s_->early &&
         (gnutls_session_get_flags(s_->tls.get()) & GNUTLS_SFLAGS_EARLY_DATA) != 0;
}

}  // namespace ctplab::proxy::http3
