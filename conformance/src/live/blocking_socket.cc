#include "live/blocking_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

namespace ctplab::conformance::live {
namespace {

int millisUntil(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > 60'000 ? 60'000 : static_cast<int>(left) + 1;
}

// Waits for `events` on `fd`; false once the deadline passes.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int timeout = millisUntil(deadline);
    const int n = ::poll(&p, 1, timeout);
    if (n > 0) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && Clock::now() >= deadline) return false;
    if (n < 0) return true;  // let the following call report the error
  }
}

BlockingSocket::Status statusOfErrno(int error) {
  return error == EPIPE ? BlockingSocket::Status::kClosed : BlockingSocket::Status::kReset;
}

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

}  // namespace

BlockingSocket::~BlockingSocket() { close(); }

BlockingSocket::BlockingSocket(BlockingSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

BlockingSocket& BlockingSocket::operator=(BlockingSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

BlockingSocket::Status BlockingSocket::connect(const std::string& host, uint16_t port,
                                               Clock::time_point deadline, std::string& detail) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    detail = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return Status::kFailed;
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  for (const addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      detail = std::strerror(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (!waitFor(fd, POLLOUT, deadline)) {
        ::close(fd);
        detail = "connect timed out";
        return Status::kTimeout;
      }
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
      rc = error == 0 ? 0 : -1;
      errno = error;
    }
    if (rc == 0) {
      fd_ = fd;
      return Status::kOk;
    }
    detail = std::strerror(errno);
    ::close(fd);
  }
  return Status::kFailed;
}

BlockingSocket::Status BlockingSocket::writeAll(std::string_view bytes,
                                                Clock::time_point deadline) {
  if (fd_ < 0) return Status::kClosed;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitFor(fd_, POLLOUT, deadline)) return Status::kTimeout;
      continue;
    }
    return statusOfErrno(errno);
  }
  return Status::kOk;
}

BlockingSocket::Status BlockingSocket::readSome(std::string& out, Clock::time_point deadline) {
  if (fd_ < 0) return Status::kClosed;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
      return Status::kOk;
    }
    if (n == 0) return Status::kClosed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!waitFor(fd_, POLLIN, deadline)) return Status::kTimeout;
      continue;
    }
    return statusOfErrno(errno);
  }
}

void BlockingSocket::shutdownWrite() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void BlockingSocket::close() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

}  // namespace ctplab::conformance::live
