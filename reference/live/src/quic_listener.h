// One HTTP/3 port on a worker: its UDP socket (the TCP port's number and address) driving the
// sans-I/O QUIC server, and per QUIC connection a session whose streams run as Exchanges.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "asio.h"
#include "ctplab/proxy/http3/http3_server.h"
#include "generation.h"

namespace ctplab::live {

class QuicListener;
class QuicSession;
class Worker;

// What a QUIC port serves under one configuration.
struct QuicPortConfig {
  std::shared_ptr<const Generation> generation;
  size_t port_index = 0;  // in generation->plan.ports()
  proxy::http3::ServerSetupPtr setup;
};

// The listeners of one HTTP/3 port, one per worker, indexed by the tag their connection IDs carry.
struct QuicPortGroup {
  std::vector<std::weak_ptr<QuicListener>> by_tag;
};

class QuicListener : public std::enable_shared_from_this<QuicListener> {
 public:
  // `socket` is bound and belongs to `worker`'s loop; nothing runs until start(). The connection
  // IDs it issues start with `tag`; `group` (filled before start) is where datagrams for another
  // tag are passed to.
  QuicListener(Worker& worker, udp::socket socket, proxy::http3::UdpEndpoint local, uint8_t tag,
               std::shared_ptr<const QuicPortGroup> group);
  ~QuicListener();

  // Thread-safe: each posts to the worker's loop.
  void start(QuicPortConfig config);
  // A reload: new connections get `config`; open ones keep theirs, unless their listener is gone.
  void reconfigure(QuicPortConfig config);
  // GOAWAY everywhere; connections close once their requests are answered.
  void drain();
  // CONNECTION_CLOSE everywhere, then the socket closes.
  void close();
  // The same, at once: on the worker's thread, or on any thread once its loop has stopped.
  void closeNow();

  uint16_t port() const { return local_.port; }

  // Worker thread: what sessions call back into.
  proxy::http3::Http3Server& server() { return *server_; }
  Worker& worker() { return worker_; }
  asio::any_io_executor executor() { return socket_.get_executor(); }
  // After anything produced answers or datagrams outside the listener's own handlers.
  void afterActivity(TimePoint now);
  size_t sessions() const { return sessions_.size(); }

 private:
  void applyConfig(QuicPortConfig config);
  void receive();
  void onReceived(const error_code& ec, size_t n);
  // A datagram the kernel gave another worker's socket for a connection of ours.
  void takeHandedOver(const proxy::http3::UdpEndpoint& from, std::string datagram);
  // Passes `datagram` to the listener whose tag it carries; false when that is this one (or none).
  bool handOver(std::string_view datagram, const proxy::http3::UdpEndpoint& from);
  void pumpEvents(TimePoint now);
  void flush();
  void armTimer();

  // Messages per sendmmsg call; segments per GSO send (the kernel's limit) and its payload bound.
  static constexpr size_t kSendBatch = 64;
  static constexpr size_t kMaxSegments = 64;
  static constexpr size_t kMaxGsoBytes = 65000;

  Worker& worker_;
  udp::socket socket_;
  asio::steady_timer timer_;
  proxy::http3::UdpEndpoint local_;
  uint8_t tag_;
  std::shared_ptr<const QuicPortGroup> group_;
  QuicPortConfig config_;
  proxy::http3::Http3Stats* stats_ = nullptr;  // the current configuration's, as the server's
  std::unique_ptr<proxy::http3::Http3Server> server_;
  std::unordered_map<uint64_t, std::shared_ptr<QuicSession>> sessions_;
  // recvmmsg's slots, 64 KiB each: a datagram on loopback may be that large.
  std::vector<char> buffer_ = std::vector<char>(16 * 65536);
  std::optional<TimePoint> timer_at_;
  uint64_t timer_generation_ = 0;
  bool v6_socket_ = false;    // sends to IPv4 peers need v4-mapped addresses
  bool gso_ = true;           // UDP GSO (UDP_SEGMENT); off once the kernel refuses it
  std::vector<iovec> parts_;  // flush()'s, one per datagram, kept for its capacity
  bool closed_ = false;
  bool pumping_ = false;
};

}  // namespace ctplab::live
