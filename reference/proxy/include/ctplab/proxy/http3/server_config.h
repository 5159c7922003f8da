// What one HTTP/3 port serves: the HTTPS filter chains sharing its UDP socket (hostnames and
// certificates, chosen by SNI like the TCP listeners of that port) and the QUIC transport limits.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::policy::ir {
struct Listener;
}
namespace ctplab::proxy::tls {
class ServerContext;
}

namespace ctplab::proxy::http3 {

struct CertificatePair {
  std::string certificate_pem;  // leaf first, then intermediates
  std::string private_key_pem;
};

// The per-stream timers of one listener (spec 4.3), run on HTTP/3 streams as its HTTP/1 and
// HTTP/2 connections run them on requests. Defaults are the proxy's with no policy.
struct StreamTimeouts {
  std::optional<Duration> request_headers_received;  // the request head must be complete by then
  std::optional<Duration> request_received;          // and the whole request
  std::optional<Duration> stream_idle = Duration::seconds(300);  // no progress either way
  std::optional<Duration> max_stream_duration;
};

// One HTTPS listener of the port.
struct ChainConfig {
  int tag = -1;                        // the caller's name for it, reported with each connection
  std::vector<std::string> hostnames;  // the listener's; empty: any SNI
  std::vector<CertificatePair> certificates;  // several: GnuTLS picks by the client's algorithms
  // Set when this chain cannot be served over QUIC (e.g. it validates client certificates, which
  // this server does not ask for): a handshake choosing it fails instead of skipping the check.
  bool refuse = false;
  StreamTimeouts timeouts;
};

struct ServerConfig {
  std::vector<ChainConfig> chains;  // in listener order: ties in hostname rank go to the first
  // No packet either way for this long closes the connection silently (QUIC max_idle_timeout).
  Duration idle_timeout = Duration::seconds(300);
  // The RTT assumed before the first sample: ngtcp2's default (333 ms) paces a LAN handshake by
  // tens of milliseconds.
  Duration initial_rtt = Duration::milliseconds(10);
  uint64_t max_streams_bidi = 100;
  uint64_t stream_window = 256 * 1024;
  uint64_t connection_window = 1024 * 1024;
  // Spacing packets over the RTT (ngtcp2's pacer). A simulated link without a bottleneck queue
  // turns it off: the pacer's timers follow packet sizes to the byte, and the ECDSA signature
  // in every handshake varies by a byte or two, which would make runs differ by nanoseconds.
  bool pacing = true;
  size_t max_connections = 16384;  // beyond it new Initials are dropped and counted
  // Request header limits and the underscore policy, as the listener's HTTP/1 and HTTP/2 codecs
  // apply them.
  uint64_t max_header_bytes = 60 * 1024;
  uint32_t max_header_count = 100;
  http1::HeadersWithUnderscoresAction underscores = http1::HeadersWithUnderscoresAction::kAllow;
  // The caller's own record of this configuration (e.g. the configuration generation), handed
  // back with every connection accepted under it, so chain tags are read against the right one.
  std::shared_ptr<const void> context;
};

// One HTTPS listener as a QUIC chain tagged `tag`: its hostnames, its stream timers and the
// certificates of its TLS context that carry a key. Client certificates are not asked for over
// QUIC, so a chain that validates them (or has no key) refuses QUIC rather than letting a client
// skip the check.
ChainConfig chainForListener(int tag, const policy::ir::Listener& listener,
                             const tls::ServerContext& tls);
// The port's limits from its settings owner (spec 3.2): QUIC's own idle timeout (300 s, as
// Envoy's QUIC listener) or the HTTP idle timeout when shorter, and the request header limits and
// underscore policy its HTTP/2 codec applies. Errors are the listener's HTTP/2 option errors.
Result<bool> applyOwnerLimits(ServerConfig& config, const policy::ir::Listener& owner,
                              const std::optional<Duration>& http_idle_timeout);

class ServerSetup;
using ServerSetupPtr = std::shared_ptr<const ServerSetup>;

// The config with its certificates loaded into TLS credentials (GnuTLS): built once per
// configuration, shared by every connection accepted under it. Errors name the chain's tag and
// what the TLS library refused.
Result<ServerSetupPtr> buildServerSetup(ServerConfig config);

}  // namespace ctplab::proxy::http3
