#include "load_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "loopback_socket.h"

namespace ctplab::cli::calibrate {
namespace {

using Clock = std::chrono::steady_clock;

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

// A client connection, plain or TLS.
class Connection {
 public:
  static proxy::Result<Connection> open(const std::string& host, uint16_t port, SSL_CTX* tls,
                                        const std::string& sni) {
    auto socket = connectTo(host, port);
    if (!socket) return socket.error();
    Connection c;
    c.socket_ = std::move(socket).value();
    if (tls == nullptr) return c;
    c.ssl_.reset(SSL_new(tls));
    if (!c.ssl_ || SSL_set_fd(c.ssl_.get(), c.socket_.fd()) != 1 ||
        SSL_set_tlsext_host_name(c.ssl_.get(), sni.c_str()) != 1) {
      return proxy::Error{"TLS client setup failed"};
    }
    if (SSL_connect(c.ssl_.get()) != 1) {
      char reason[256];
      ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
      ERR_clear_error();
      return proxy::Error{std::string("TLS handshake failed: ") + reason};
    }
    return c;
  }

  bool write(std::string_view bytes) {
    if (!ssl_) return socket_.writeAll(bytes);
    while (!bytes.empty()) {
      const int n = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Appends what arrived: > 0 bytes, 0 the proxy closed, < 0 an error.
  long read(std::string& out) {
    if (!ssl_) return socket_.readSome(out);
    char buf[64 * 1024];
    const int n = SSL_read(ssl_.get(), buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      return n;
    }
    const int error = SSL_get_error(ssl_.get(), n);
    ERR_clear_error();
    // A close without close_notify still ends an answer framed by the close.
    return error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL ? 0 : -1;
  }

 private:
  Socket socket_;
  std::unique_ptr<SSL, SslFree> ssl_;
};

std::optional<uint64_t> contentLength(std::string_view head) {
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    const std::string_view rest = head.substr(pos);
    constexpr std::string_view kName = "content-length:";
    if (rest.size() < kName.size()) break;
    bool match = true;
    for (size_t i = 0; i < kName.size(); ++i) {
      if ((rest[i] | 0x20) != kName[i] && rest[i] != kName[i]) match = false;
    }
    if (!match) continue;
    std::string_view value = rest.substr(kName.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc()) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

// Reads one answer framed by its content-length; bytes past it stay in `in`. Its size, or an
// error message.
proxy::Result<uint64_t> readAnswer(Connection& c, std::string& in) {
  size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (c.read(in) <= 0) return proxy::Error{"the proxy closed the connection before answering"};
  }
  const std::string_view head(in.data(), head_end + 2);
  if (!head.starts_with("HTTP/1.1 200 ")) {
    return proxy::Error{"the proxy answered " + std::string(head.substr(0, head.find('\r')))};
  }
  auto length = contentLength(head);
  if (!length) return proxy::Error{"an answer without content-length"};
  const uint64_t total = head_end + 4 + *length;
  while (in.size() < total) {
    if (c.read(in) <= 0) return proxy::Error{"the proxy closed the connection mid-answer"};
  }
  in.erase(0, total);
  return total;
}

// Reads an answer the proxy ends by closing the connection; its size, or an error message.
proxy::Result<uint64_t> readUntilClose(Connection& c) {
  std::string in;
  long n;
  while ((n = c.read(in)) > 0) {
  }
  if (n < 0) return proxy::Error{"reading the answer failed"};
  if (!in.starts_with("HTTP/1.1 200 ")) {
    return proxy::Error{"the proxy answered " + in.substr(0, in.find('\r'))};
  }
  return in.size();
}

std::string request(const CalibrationEndpoints& e, std::string_view method, std::string_view path,
                    uint64_t body, bool close) {
  std::string r =
      std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nhost: " + e.sni + "\r\n";
  if (body > 0) r += "content-length: " + std::to_string(body) + "\r\n";
  if (close) r += "connection: close\r\n";
  r += "\r\n";
  r.append(body, 'x');
  return r;
}

// One thread's share of a workload until `deadline`.
WorkloadCounts runClient(Workload workload, const CalibrationEndpoints& e, uint64_t large_body,
                         SSL_CTX* tls, Clock::time_point deadline) {
  WorkloadCounts counts;
  const auto fail = [&](const std::string& why) {
    counts.error = why;
    return counts;
  };
  if (workload == Workload::kKeepAliveSmall || workload == Workload::kKeepAliveLarge) {
    const bool large = workload == Workload::kKeepAliveLarge;
    const std::string small = request(e, "GET", "/small", 0, false);
    const std::string big_answer =
        request(e, "GET", "/bytes/" + std::to_string(large_body), 0, false);
    const std::string big_body = request(e, "POST", "/small", large_body, false);
    auto opened = Connection::open(e.host, e.http, nullptr, "");
    if (!opened) return fail(opened.error().message);
    Connection c = std::move(opened).value();
    std::string in;
    while (Clock::now() < deadline) {
      const std::string& r = !large ? small : counts.requests % 2 == 0 ? big_answer : big_body;
      if (!c.write(r)) return fail("writing a request failed");
      auto answer = readAnswer(c, in);
      if (!answer) return fail(answer.error().message);
      ++counts.requests;
      counts.bytes += r.size() + answer.value();
    }
    return counts;
  }
  const uint16_t port = workload == Workload::kNewConnection ? e.http
                        : workload == Workload::kTlsEcdsa    ? e.https_ecdsa
                                                             : e.https_rsa;
  const std::string r = request(e, "GET", "/small", 0, true);
  while (Clock::now() < deadline) {
    auto opened = Connection::open(e.host, port, tls, e.sni);
    if (!opened) return fail(opened.error().message);
    Connection c = std::move(opened).value();
    if (!c.write(r)) return fail("writing a request failed");
    auto answer = readUntilClose(c);
    if (!answer) return fail(answer.error().message);
    ++counts.requests;
    counts.bytes += r.size() + answer.value();
  }
  return counts;
}

}  // namespace

WorkloadCounts drive(Workload workload, const CalibrationEndpoints& endpoints,
                     const DriveOptions& options, CpuLedger& ledger) {
  std::unique_ptr<SSL_CTX, SslCtxFree> tls;
  if (workload == Workload::kTlsEcdsa || workload == Workload::kTlsRsa) {
    tls.reset(SSL_CTX_new(TLS_client_method()));
    if (!tls) return {0, 0, "cannot create a TLS client context"};
    // Every connection a full handshake: what a first visit costs the gateway.
    SSL_CTX_set_session_cache_mode(tls.get(), SSL_SESS_CACHE_OFF);
    SSL_CTX_set_verify(tls.get(), SSL_VERIFY_NONE, nullptr);
  }
  const auto deadline = Clock::now() + std::chrono::nanoseconds(options.length.ns());
  std::vector<WorkloadCounts> per_thread(options.threads);
  std::vector<std::thread> threads;
  for (uint32_t i = 0; i < options.threads; ++i) {
    threads.emplace_back([&, i] {
      ThreadCpuReporter cpu(ledger);
      per_thread[i] = runClient(workload, endpoints, options.large_body, tls.get(), deadline);
    });
  }
  WorkloadCounts total;
  for (uint32_t i = 0; i < options.threads; ++i) {
    threads[i].join();
    total.requests += per_thread[i].requests;
    total.bytes += per_thread[i].bytes;
    if (total.error.empty()) total.error = per_thread[i].error;
  }
  return total;
}

}  // namespace ctplab::cli::calibrate
