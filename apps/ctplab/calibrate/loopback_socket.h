// Blocking TCP on loopback for calibration: an owned descriptor, listen, connect, write-all and
// read-some, with generous timeouts so a stuck peer ends a phase instead of hanging it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ctplab/proxy/result.h"

namespace ctplab::cli::calibrate {

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { close(); }
  Socket(Socket&& other) noexcept : fd_(other.release()) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  int fd() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void close();

  bool writeAll(std::string_view bytes) const;
  // Appends what arrived to `out`: > 0 bytes read, 0 the peer closed, < 0 an error or timeout.
  long readSome(std::string& out) const;

 private:
  int fd_ = -1;
};

// A listening socket on 127.0.0.1 at a port the kernel picks.
proxy::Result<Socket> listenLoopback(uint16_t& port);
// A connection to `host` (an IPv4 or IPv6 literal) and `port`, with Nagle off.
proxy::Result<Socket> connectTo(const std::string& host, uint16_t port);

}  // namespace ctplab::cli::calibrate
