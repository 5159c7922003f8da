#include "live/admin_stats.h"

#include <charconv>

#include "ctplab/live/upstream_codec.h"
#include "live/blocking_socket.h"

namespace ctplab::conformance::live {

std::map<std::string, uint64_t> parseEnvoyStats(std::string_view text) {
  std::map<std::string, uint64_t> out;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t sep = line.find(": ");
    if (sep == std::string_view::npos || sep == 0) continue;
    const std::string_view value = line.substr(sep + 2);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) continue;
    out[std::string(line.substr(0, sep))] = n;
  }
  return out;
}

proxy::Result<std::map<std::string, uint64_t>> fetchAdminStats(const std::string& host,
                                                               uint16_t port) {
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  const std::string where = "admin endpoint " + host + ":" + std::to_string(port);
  BlockingSocket socket;
  std::string detail;
  if (socket.connect(host, port, deadline, detail) != BlockingSocket::Status::kOk) {
    return proxy::Error{where + ": " + detail};
  }
  const std::string request =
      "GET /stats HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n\r\n";
  if (socket.writeAll(request, deadline) != BlockingSocket::Status::kOk) {
    return proxy::Error{where + ": the request could not be sent"};
  }
  ::ctplab::live::UpstreamResponseParser parser(false, 64u << 20);
  std::string bytes;
  for (;;) {
    bytes.clear();
    const auto status = socket.readSome(bytes, deadline);
    if (status == BlockingSocket::Status::kOk) {
      if (parser.feed(bytes) != ::ctplab::live::UpstreamResponseParser::State::kNeedMore) break;
      continue;
    }
    if (status == BlockingSocket::Status::kClosed) {
      parser.finish();
      break;
    }
    return proxy::Error{where + (status == BlockingSocket::Status::kTimeout
                                     ? ": no answer within 5 s"
                                     : ": the connection was reset")};
  }
  if (parser.state() != ::ctplab::live::UpstreamResponseParser::State::kComplete) {
    return proxy::Error{where + ": malformed response (" + parser.error() + ")"};
  }
  if (parser.status() != 200) {
    return proxy::Error{where + ": /stats answered " + std::to_string(parser.status())};
  }
  return parseEnvoyStats(parser.body());
}

}  // namespace ctplab::conformance::live
