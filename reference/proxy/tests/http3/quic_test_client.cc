// The test client's ngtcp2/nghttp3 plumbing: the client side of the server's adapter, kept in the
// tests so the server's own library layer stays the one place the product calls the libraries.
#include "http3/quic_test_client.h"

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <nghttp3/nghttp3.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <cstring>
#include <limits>

namespace ctplab::proxy::http3::testing {

namespace {

constexpr char kPriority[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"
    "%DISABLE_TLS13_COMPAT_MODE";

ngtcp2_tstamp stamp(TimePoint t) { return static_cast<ngtcp2_tstamp>(t.unixNanos()); }

sockaddr_in v4(const UdpEndpoint& e) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(e.port);
  std::memcpy(&in.sin_addr, e.address.bytes().data(), 4);
  return in;
}

void rnd(uint8_t* out, size_t n) { gnutls_rnd(GNUTLS_RND_RANDOM, out, n); }

}  // namespace

struct QuicTestClient::State {
  ClientOptions options;
  UdpEndpoint local, server;
  sockaddr_in local_sa{}, server_sa{};
  gnutls_certificate_credentials_t creds = nullptr;
  gnutls_session_t tls = nullptr;
  ngtcp2_conn* conn = nullptr;
  nghttp3_conn* h3 = nullptr;
  ngtcp2_crypto_conn_ref ref{};
  bool handshake_done = false;
  bool dead = false;
  std::optional<uint64_t> close_error;
  std::map<int64_t, ClientResponse> responses;

  ngtcp2_path path() {
    return ngtcp2_path{{reinterpret_cast<sockaddr*>(&local_sa), sizeof local_sa},
                       {reinterpret_cast<sockaddr*>(&server_sa), sizeof server_sa},
                       nullptr};
  }
  static State& of(void* p) { return *static_cast<State*>(p); }

  static int startH3(State& s) {
    nghttp3_callbacks cb{};
    cb.recv_header = [](nghttp3_conn*, int64_t sid, int32_t, nghttp3_rcbuf* name,
                        nghttp3_rcbuf* value, uint8_t, void* u, void*) {
      auto n = nghttp3_rcbuf_get_buf(name), v = nghttp3_rcbuf_get_buf(value);
      of(u).responses[sid].fields[std::string(reinterpret_cast<char*>(n.base), n.len)] =
          std::string(reinterpret_cast<char*>(v.base), v.len);
      return 0;
    };
    cb.recv_data = [](nghttp3_conn*, int64_t sid, const uint8_t* data, size_t len, void* u, void*) {
      State& s = of(u);
      s.responses[sid].body.append(reinterpret_cast<const char*>(data), len);
      ngtcp2_conn_extend_max_stream_offset(s.conn, sid, len);
      ngtcp2_conn_extend_max_offset(s.conn, len);
      return 0;
    };
    cb.deferred_consume = [](nghttp3_conn*, int64_t sid, size_t n, void* u, void*) {
      ngtcp2_conn_extend_max_stream_offset(of(u).conn, sid, n);
      ngtcp2_conn_extend_max_offset(of(u).conn, n);
      return 0;
    };
    cb.end_stream = [](nghttp3_conn*, int64_t sid, void* u, void*) {
      of(u).responses[sid].complete = true;
      return 0;
    };
    cb.reset_stream = [](nghttp3_conn*, int64_t sid, uint64_t, void* u, void*) {
      of(u).responses[sid].reset = true;
      return 0;
    };
    nghttp3_settings settings;
    nghttp3_settings_default(&settings);
    if (nghttp3_conn_client_new(&s.h3, &cb, &settings, nghttp3_mem_default(), &s) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    int64_t ctrl = -1, enc = -1, dec = -1;
    ngtcp2_conn_open_uni_stream(s.conn, &ctrl, nullptr);
    nghttp3_conn_bind_control_stream(s.h3, ctrl);
    ngtcp2_conn_open_uni_stream(s.conn, &enc, nullptr);
    ngtcp2_conn_open_uni_stream(s.conn, &dec, nullptr);
    nghttp3_conn_bind_qpack_streams(s.h3, enc, dec);
    return 0;
  }
};

QuicTestClient::QuicTestClient(TimePoint now, UdpEndpoint local, UdpEndpoint server,
                               ClientOptions options)
    : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.options = std::move(options);
  s.local = local;
  s.server = server;
  s.local_sa = v4(local);
  s.server_sa = v4(server);

  gnutls_certificate_allocate_credentials(&s.creds);
  gnutls_init(&s.tls, GNUTLS_CLIENT | GNUTLS_ENABLE_EARLY_DATA | GNUTLS_NO_END_OF_EARLY_DATA);
  ngtcp2_crypto_gnutls_configure_client_session(s.tls);
  gnutls_priority_set_direct(s.tls, kPriority, nullptr);
  s.ref = {[](ngtcp2_crypto_conn_ref* r) { return static_cast<State*>(r->user_data)->conn; }, &s};
  gnutls_session_set_ptr(s.tls, &s.ref);
  gnutls_credentials_set(s.tls, GNUTLS_CRD_CERTIFICATE, s.creds);
  gnutls_datum_t alpn{reinterpret_cast<unsigned char*>(s.options.alpn.data()),
                      static_cast<unsigned>(s.options.alpn.size())};
  gnutls_alpn_set_protocols(s.tls, &alpn, 1, GNUTLS_ALPN_MANDATORY);
  if (!s.options.sni.empty()) {
    gnutls_server_name_set(s.tls, GNUTLS_NAME_DNS, s.options.sni.data(), s.options.sni.size());
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
  cb.rand = [](uint8_t* d, size_t n, const ngtcp2_rand_ctx*) { rnd(d, n); };
  cb.get_new_connection_id = [](ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len, void*) {
    rnd(cid->data, len);
    cid->datalen = len;
    rnd(token, NGTCP2_STATELESS_RESET_TOKENLEN);
    return 0;
  };
  cb.handshake_completed = [](ngtcp2_conn*, void* u) {
    State::of(u).handshake_done = true;
    return 0;
  };
  cb.recv_rx_key = [](ngtcp2_conn*, ngtcp2_crypto_level level, void* u) {
    return level == NGTCP2_CRYPTO_LEVEL_APPLICATION ? State::startH3(State::of(u)) : 0;
  };
  cb.recv_stream_data = [](ngtcp2_conn*, uint32_t flags, int64_t sid, uint64_t, const uint8_t* data,
                           size_t len, void* u, void*) {
    State& s = State::of(u);
    if (!s.h3) return 0;
    auto n = nghttp3_conn_read_stream(s.h3, sid, data, len, flags & NGTCP2_STREAM_DATA_FLAG_FIN);
    if (n < 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    ngtcp2_conn_extend_max_stream_offset(s.conn, sid, static_cast<uint64_t>(n));
    ngtcp2_conn_extend_max_offset(s.conn, static_cast<uint64_t>(n));
    return 0;
  };
  cb.acked_stream_data_offset = [](ngtcp2_conn*, int64_t sid, uint64_t, uint64_t len, void* u,
                                   void*) {
    if (State::of(u).h3) nghttp3_conn_add_ack_offset(State::of(u).h3, sid, len);
    return 0;
  };
  cb.stream_close = [](ngtcp2_conn*, uint32_t, int64_t sid, uint64_t code, void* u, void*) {
    if (State::of(u).h3)
      nghttp3_conn_close_stream(State::of(u).h3, sid, code ? code : NGHTTP3_H3_NO_ERROR);
    return 0;
  };
  cb.extend_max_stream_data = [](ngtcp2_conn*, int64_t sid, uint64_t, void* u, void*) {
    if (State::of(u).h3) nghttp3_conn_unblock_stream(State::of(u).h3, sid);
    return 0;
  };

  ngtcp2_cid dcid, scid;
  dcid.datalen = 18;
  rnd(dcid.data, dcid.datalen);
  scid.datalen = 18;
  rnd(scid.data, scid.datalen);
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = stamp(now);
  settings.initial_rtt = 10 * NGTCP2_MILLISECONDS;
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_streams_bidi = 0;
  params.initial_max_streams_uni = 3;
  params.initial_max_data = 4 << 20;
  params.initial_max_stream_data_bidi_local = 1 << 20;
  params.initial_max_stream_data_uni = 1 << 20;
  params.max_idle_timeout = 60 * NGTCP2_SECONDS;
  ngtcp2_path p = s.path();
  ngtcp2_conn_client_new(&s.conn, &dcid, &scid, &p, NGTCP2_PROTO_VER_V1, &cb, &settings, &params,
                         nullptr, &s);
  ngtcp2_conn_set_tls_native_handle(s.conn, s.tls);
}

QuicTestClient::~QuicTestClient() {
  if (s_->h3) nghttp3_conn_del(s_->h3);
  if (s_->conn) ngtcp2_conn_del(s_->conn);
  if (s_->tls) gnutls_deinit(s_->tls);
  if (s_->creds) gnutls_certificate_free_credentials(s_->creds);
}

std::vector<std::string> QuicTestClient::write(TimePoint now) {
  State& s = *s_;
  std::vector<std::string> out;
  if (s.dead) return out;
  uint8_t buf[1500];
  for (int i = 0; i < 1000; ++i) {
    int64_t sid = -1;
    int fin = 0;
    nghttp3_vec vec[16];
    nghttp3_ssize cnt = 0;
    if (s.h3 && ngtcp2_conn_get_max_data_left(s.conn)) {
      cnt = nghttp3_conn_writev_stream(s.h3, &sid, &fin, vec, 16);
    }
    ngtcp2_ssize ndatalen = -1;
    ngtcp2_path_storage ps;
    ngtcp2_path_storage_zero(&ps);
    auto n = ngtcp2_conn_writev_stream(
        s.conn, &ps.path, nullptr, buf, sizeof buf, &ndatalen,
        NGTCP2_WRITE_STREAM_FLAG_MORE | (fin ? NGTCP2_WRITE_STREAM_FLAG_FIN : 0), sid,
        reinterpret_cast<const ngtcp2_vec*>(vec), static_cast<size_t>(cnt), stamp(now));
    if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED) {
      nghttp3_conn_block_stream(s.h3, sid);
      continue;
    }
    if (n == NGTCP2_ERR_STREAM_SHUT_WR) {
      nghttp3_conn_shutdown_stream_write(s.h3, sid);
      continue;
    }
    if (n == NGTCP2_ERR_WRITE_MORE) {
      nghttp3_conn_add_write_offset(s.h3, sid, static_cast<size_t>(ndatalen));
      continue;
    }
    if (n < 0) {
      s.dead = true;
      break;
    }
    if (ndatalen >= 0 && s.h3) nghttp3_conn_add_write_offset(s.h3, sid, ndatalen);
    if (n == 0) break;
    out.emplace_back(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  }
  ngtcp2_conn_update_pkt_tx_time(s.conn, stamp(now));
  return out;
}

void QuicTestClient::read(TimePoint now, std::string_view datagram) {
  State& s = *s_;
  if (s.dead) return;
  ngtcp2_path p = s.path();
  ngtcp2_pkt_info pi{};
  const int rv =
      ngtcp2_conn_read_pkt(s.conn, &p, &pi, reinterpret_cast<const uint8_t*>(datagram.data()),
                           datagram.size(), stamp(now));
  if (rv == 0) return;
  s.dead = true;
  if (rv == NGTCP2_ERR_DRAINING) {
    ngtcp2_connection_close_error error{};
    ngtcp2_conn_get_connection_close_error(s.conn, &error);
    s.close_error = error.error_code;
  }
}

TimePoint QuicTestClient::expiry() const {
  const ngtcp2_tstamp t = ngtcp2_conn_get_expiry(s_->conn);
  constexpr auto kMax = static_cast<ngtcp2_tstamp>(std::numeric_limits<int64_t>::max());
  return TimePoint::fromUnixNanos(static_cast<int64_t>(t > kMax ? kMax : t));
}

void QuicTestClient::handleExpiry(TimePoint now) {
  if (s_->dead) return;
  if (ngtcp2_conn_handle_expiry(s_->conn, stamp(now)) != 0) s_->dead = true;
}

bool QuicTestClient::handshakeCompleted() const { return s_->handshake_done; }

std::optional<uint64_t> QuicTestClient::closeError() const { return s_->close_error; }

bool QuicTestClient::dead() const { return s_->dead; }

int64_t QuicTestClient::get(std::string_view path, std::string_view authority) {
  State& s = *s_;
  int64_t sid = -1;
  if (!s.h3 || ngtcp2_conn_open_bidi_stream(s.conn, &sid, nullptr) != 0) return -1;
  const std::string p(path), a(authority);
  auto nv = [](const char* name, const std::string& value) {
    return nghttp3_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name)),
                      reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
                      std::strlen(name), value.size(), NGHTTP3_NV_FLAG_NONE};
  };
  const std::string method = "GET", scheme = "https";
  const nghttp3_nv nva[] = {nv(":method", method), nv(":scheme", scheme), nv(":authority", a),
                            nv(":path", p)};
  if (nghttp3_conn_submit_request(s.h3, sid, nva, 4, nullptr, nullptr) != 0) return -1;
  s.responses[sid];
  return sid;
}

const std::map<int64_t, ClientResponse>& QuicTestClient::responses() const { return s_->responses; }

std::string QuicTestClient::peerCertificate() const {
  unsigned int n = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(s_->tls, &n);
  if (certs == nullptr || n == 0) return {};
  return std::string(reinterpret_cast<const char*>(certs[0].data), certs[0].size);
}

UdpEndpoint QuicTestClient::local() const { return s_->local; }

}  // namespace ctplab::proxy::http3::testing
