// An in-memory HTTP/3 client (ngtcp2 + nghttp3 + GnuTLS) for the server's tests: datagrams and
// a virtual clock in and out, no sockets. It does not verify the server certificate; it reports it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http3/udp_endpoint.h"

namespace ctplab::proxy::http3::testing {

struct ClientOptions {
  std::string sni = "www.example.com";
  std::string alpn = "h3";
};

struct ClientResponse {
  std::map<std::string, std::string> fields;
  std::string body;
  bool complete = false;
  bool reset = false;
};

class QuicTestClient {
 public:
  QuicTestClient(TimePoint now, UdpEndpoint local, UdpEndpoint server, ClientOptions options);
  ~QuicTestClient();

  // Packets ready to go (the write loop).
  std::vector<std::string> write(TimePoint now);
  void read(TimePoint now, std::string_view datagram);
  TimePoint expiry() const;
  void handleExpiry(TimePoint now);

  bool handshakeCompleted() const;
  // The CONNECTION_CLOSE received (error code), if any; also set when the connection is draining.
  std::optional<uint64_t> closeError() const;
  bool dead() const;  // read or expiry failed: nothing more will happen
  // GET `path` with :authority `authority`; the stream id, or -1.
  int64_t get(std::string_view path, std::string_view authority);
  const std::map<int64_t, ClientResponse>& responses() const;
  // The leaf certificate the server sent (DER), empty before the handshake.
  std::string peerCertificate() const;
  UdpEndpoint local() const;

  struct State;

 private:
  std::unique_ptr<State> s_;
};

}  // namespace ctplab::proxy::http3::testing
