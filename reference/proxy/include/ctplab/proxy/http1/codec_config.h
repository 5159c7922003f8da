// The immutable HTTP/1 codec configuration of one listener, validated once and shared by all its
// connections. Built from plain values (CodecOptions); errors are returned, never thrown.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http1 {

// The largest read window a connection may have: bounds memory even when CTP bufferLimit is 0
// (which Envoy reads as "no limit").
inline constexpr uint32_t kMaxReadWindowBytes = 64u << 20;

// CTP `headers.withUnderscoresAction`; Envoy Gateway's default is kRejectRequest.
enum class HeadersWithUnderscoresAction { kAllow, kRejectRequest, kDropHeader };

// One CTP `http1.ignoredUpgradeTypes` entry (a StringMatch; case-sensitive like Envoy's).
struct UpgradeTypeMatch {
  enum class Kind { kExact, kPrefix, kSuffix, kRegex };
  Kind kind = Kind::kExact;
  std::string value;
};

// Plain values; the defaults are what a listener without a ClientTrafficPolicy gets.
struct CodecOptions {
  uint32_t max_request_headers_kb = 60;      // request line target + names + values; over → 431
  uint32_t max_request_headers_count = 100;  // Envoy's default; over → 431
  HeadersWithUnderscoresAction headers_with_underscores_action =
      HeadersWithUnderscoresAction::kRejectRequest;
  bool accept_http10 = false;                                     // CTP `http1.http10` present
  std::optional<std::string> http10_default_host = std::nullopt;  // for host-less 1.0 requests
  bool enable_trailers = false;
  bool preserve_header_case = false;  // response header names as given, not lower-cased
  std::vector<UpgradeTypeMatch> ignored_upgrade_types = {};
  // Upgrade types the HCM accepts (Envoy Gateway configures websocket); others get 403.
  std::vector<std::string> allowed_upgrade_types = {"websocket"};
  // Bytes a connection may hold unparsed or unpulled (CTP `connection.bufferLimit`).
  uint32_t read_window_bytes = 32768;
  // Request body limit for every request (413); ServerCodec::setRequestBodyLimit overrides it.
  std::optional<uint64_t> max_request_body_bytes = std::nullopt;
};

class UpgradeMatchers;  // compiled ignoredUpgradeTypes (regexes stay out of this header)

class CodecConfig {
  struct Key {  // only create() can name it, so only create() constructs
    explicit Key() = default;
  };

 public:
  explicit CodecConfig(Key) {}
  // Errors: header limits out of 1..8192 KiB or count 0, window 0 or over 64 MiB, empty default
  // host, empty or invalid upgrade matchers and types.
  static Result<std::shared_ptr<const CodecConfig>> create(const CodecOptions& options);

  const CodecOptions& options() const { return options_; }
  uint64_t maxRequestHeadersBytes() const {
    return uint64_t{options_.max_request_headers_kb} * 1024;
  }
  // Whether an Upgrade value is to be stripped and the request served as plain HTTP.
  bool ignoresUpgrade(std::string_view upgrade) const;
  // Whether an upgrade type (or "CONNECT") may turn the connection into a tunnel.
  bool allowsUpgrade(std::string_view upgrade) const;

 private:
  CodecOptions options_;
  std::shared_ptr<const UpgradeMatchers> ignored_;
};

using CodecConfigPtr = std::shared_ptr<const CodecConfig>;

}  // namespace ctplab::proxy::http1
