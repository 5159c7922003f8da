#include "origin_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>

namespace ctplab::cli::calibrate {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// The content-length of a request head ("" when absent means no body).
uint64_t contentLength(std::string_view head) {
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    const size_t start = pos + 2;
    const size_t end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end - start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos &&
        equalsIgnoreCase(line.substr(0, colon), "content-length")) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      uint64_t n = 0;
      std::from_chars(value.data(), value.data() + value.size(), n);
      return n;
    }
    pos = end;
  }
  return 0;
}

// The answer's body size: N for `/bytes/N`, else 2.
uint64_t bodySize(std::string_view head) {
  const size_t sp = head.find(' ');
  if (sp == std::string_view::npos) return 2;
  std::string_view target = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
  constexpr std::string_view kPrefix = "/bytes/";
  if (!target.starts_with(kPrefix)) return 2;
  target.remove_prefix(kPrefix.size());
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), n);
  if (ec != std::errc()) return 2;
  return std::min(n, kMaxOriginBody);
}

const std::string& bodyBytes() {
  static const std::string body(kMaxOriginBody, 'x');
  return body;
}

// Reads one request (dropping its body) and answers it; false when the connection ended.
bool answerOne(const Socket& socket, std::string& in) {
  size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (socket.readSome(in) <= 0) return false;
  }
  const std::string_view head(in.data(), head_end + 2);
  uint64_t left = contentLength(head);
  const uint64_t body_out = bodySize(head);
  in.erase(0, head_end + 4);
  while (left > 0) {
    if (in.empty() && socket.readSome(in) <= 0) return false;
    const uint64_t take = std::min<uint64_t>(left, in.size());
    in.erase(0, take);
    left -= take;
  }
  std::string answer =
      "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: " +
      std::to_string(body_out) + "\r\n\r\n";
  answer.append(bodyBytes(), 0, body_out);
  return socket.writeAll(answer);
}

}  // namespace

proxy::Result<std::unique_ptr<OriginServer>> OriginServer::start(CpuLedger& ledger) {
  uint16_t port = 0;
  auto listener = listenLoopback(port);
  if (!listener) return proxy::Error{"origin: " + listener.error().message};
  bodyBytes();  // built here, not inside a measured phase
  auto origin = std::make_unique<OriginServer>(Key(), std::move(listener).value(), port, ledger);
  origin->acceptor_ = std::thread([o = origin.get()] { o->acceptLoop(); });
  return origin;
}

OriginServer::OriginServer(Key, Socket listener, uint16_t port, CpuLedger& ledger)
    : listener_(std::move(listener)), port_(port), ledger_(&ledger) {}

OriginServer::~OriginServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }
  // Wakes the blocked accept().
  ::shutdown(listener_.fd(), SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : threads_) t.join();
}

void OriginServer::acceptLoop() {
  ThreadCpuReporter cpu(*ledger_);
  for (;;) {
    const int fd = ::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    // A lasting failure (out of descriptors) must not turn into a busy loop.
    if (fd < 0 && errno != EINTR && errno != ECONNABORTED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    cpu.report();
    std::lock_guard lock(mutex_);
    if (stopping_) {
      if (fd >= 0) ::close(fd);
      return;
    }
    if (fd < 0) continue;
    open_.insert(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
    cpu.report();
  }
}

void OriginServer::serve(int fd) {
  ThreadCpuReporter cpu(*ledger_);
  Socket socket(fd);
  std::string in;
  while (answerOne(socket, in)) cpu.report();
  std::lock_guard lock(mutex_);
  open_.erase(fd);
}

}  // namespace ctplab::cli::calibrate
