// What the server (quic_lib.cc) and the client (quic_lib_client.cc) share of the library layer:
// time stamps, socket addresses as ngtcp2 paths want them, and owners for the library handles.
#pragma once

#include <gnutls/gnutls.h>
#include <nghttp3/nghttp3.h>
#include <ngtcp2/ngtcp2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http3/udp_endpoint.h"

namespace ctplab::proxy::http3::lib {

// TLS 1.3 only, as QUIC requires; no middlebox compatibility mode (RFC 9001 8.4).
inline constexpr char kPriority[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:"
    "%DISABLE_TLS13_COMPAT_MODE";
inline constexpr size_t kMaxDatagram = 1500;

inline ngtcp2_tstamp stamp(TimePoint now) {
  return now.unixNanos() < 0 ? 0 : static_cast<ngtcp2_tstamp>(now.unixNanos());
}

inline TimePoint fromStamp(ngtcp2_tstamp t) {
  constexpr auto kMax = static_cast<ngtcp2_tstamp>(std::numeric_limits<int64_t>::max());
  return TimePoint::fromUnixNanos(static_cast<int64_t>(std::min(t, kMax)));
}

// Ports travel in network byte order; written byte by byte, the layer needs no socket headers
// of its own (ngtcp2's address types are all it uses).
inline void putPort(void* field, uint16_t port) {
  const uint8_t b[2] = {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port & 0xff)};
  std::memcpy(field, b, 2);
}

inline uint16_t getPort(const void* field) {
  uint8_t b[2];
  std::memcpy(b, field, 2);
  return static_cast<uint16_t>((b[0] << 8) | b[1]);
}

// ngtcp2 keeps pointers to a path's addresses: the owner must outlive the call using them.
struct SockAddr {
  ngtcp2_sockaddr_union storage{};
  ngtcp2_socklen len = 0;
  ngtcp2_sockaddr* get() { return &storage.sa; }
};

inline SockAddr toSockaddr(const UdpEndpoint& e) {
  SockAddr out;
  if (e.address.family() == IpAddress::Family::kV4) {
    ngtcp2_sockaddr_in& in = out.storage.in;
    in.sin_family = NGTCP2_AF_INET;
    putPort(&in.sin_port, e.port);
    std::memcpy(&in.sin_addr, e.address.bytes().data(), 4);
    out.len = sizeof in;
  } else {
    ngtcp2_sockaddr_in6& in6 = out.storage.in6;
    in6.sin6_family = NGTCP2_AF_INET6;
    putPort(&in6.sin6_port, e.port);
    std::memcpy(&in6.sin6_addr, e.address.bytes().data(), 16);
    out.len = sizeof in6;
  }
  return out;
}

// Read from the bytes, not through inet_ntop and a parser: this runs for every datagram written.
inline UdpEndpoint fromSockaddr(const ngtcp2_addr& a) {
  UdpEndpoint out;
  if (a.addr == nullptr) return out;
  if (a.addr->sa_family == NGTCP2_AF_INET) {
    ngtcp2_sockaddr_in in{};
    std::memcpy(&in, a.addr, sizeof in);
    std::array<uint8_t, 4> b;
    std::memcpy(b.data(), &in.sin_addr, b.size());
    out.address = IpAddress::v4(b);
    out.port = getPort(&in.sin_port);
  } else if (a.addr->sa_family == NGTCP2_AF_INET6) {
    ngtcp2_sockaddr_in6 in6{};
    std::memcpy(&in6, a.addr, sizeof in6);
    std::array<uint8_t, 16> b;
    std::memcpy(b.data(), &in6.sin6_addr, b.size());
    out.address = IpAddress::v6(b);
    out.port = getPort(&in6.sin6_port);
  }
  return out;
}

inline const uint8_t* bytesOf(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

inline std::string_view viewOf(const nghttp3_rcbuf* buf) {
  const nghttp3_vec v = nghttp3_rcbuf_get_buf(buf);
  return {reinterpret_cast<const char*>(v.base), v.len};
}

// nghttp3's data reader over a whole body kept in `bodies` (by stream) until the stream closes:
// everything at once, then the end.
template <typename Bodies>
nghttp3_ssize readWholeBody(Bodies& bodies, int64_t stream, nghttp3_vec* vec, size_t veccnt,
                            uint32_t* flags) {
  *flags |= NGHTTP3_DATA_FLAG_EOF;
  auto it = bodies.find(stream);
  if (it == bodies.end() || it->second.empty() || veccnt == 0) return 0;
  vec[0].base = reinterpret_cast<uint8_t*>(it->second.data());
  vec[0].len = it->second.size();
  return 1;
}

struct ConnDeleter {
  void operator()(ngtcp2_conn* c) const { ngtcp2_conn_del(c); }
};
struct Http3Deleter {
  void operator()(nghttp3_conn* c) const { nghttp3_conn_del(c); }
};
struct SessionDeleter {
  void operator()(gnutls_session_int* s) const { gnutls_deinit(s); }
};
struct CredentialsDeleter {
  void operator()(gnutls_certificate_credentials_st* c) const {
    gnutls_certificate_free_credentials(c);
  }
};

}  // namespace ctplab::proxy::http3::lib
