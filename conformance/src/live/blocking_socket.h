// A client TCP connection for the real-traffic driver: connect, write, read and close with
// deadlines on a blocking-style API (poll underneath), so one thread can play one client.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ctplab::conformance::live {

using Clock = std::chrono::steady_clock;

class BlockingSocket {
 public:
  enum class Status {
    kOk,
    kTimeout,  // the deadline passed first
    kClosed,   // the peer sent FIN (reads) or the connection is gone (writes)
    kReset,    // the peer sent RST, or another socket error
    kFailed,   // connect: refused, unreachable, unresolvable
  };

  BlockingSocket() = default;
  ~BlockingSocket();
  BlockingSocket(BlockingSocket&& other) noexcept;
  BlockingSocket& operator=(BlockingSocket&& other) noexcept;
  BlockingSocket(const BlockingSocket&) = delete;
  BlockingSocket& operator=(const BlockingSocket&) = delete;

  // `host` is an address literal or a name (resolved here); `detail` says why on failure.
  Status connect(const std::string& host, uint16_t port, Clock::time_point deadline,
                 std::string& detail);
  bool open() const { return fd_ >= 0; }

  Status writeAll(std::string_view bytes, Clock::time_point deadline);
  // Waits for bytes until `deadline`; appends what arrived to `out`.
  Status readSome(std::string& out, Clock::time_point deadline);
  // FIN: no more bytes from this side; the peer may still answer.
  void shutdownWrite();
  // An orderly close (FIN). Closing is idempotent.
  void close();

 private:
  int fd_ = -1;
};

}  // namespace ctplab::conformance::live
