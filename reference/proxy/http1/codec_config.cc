// Validation of CodecOptions into the shared, immutable CodecConfig.
#include "ctplab/proxy/http1/codec_config.h"

#include <string>

#include "ctplab/proxy/http1/header_list.h"
#include "upgrade_matchers.h"

namespace ctplab::proxy::http1 {
namespace {

// The bounds Envoy Gateway's translator enforces on maxRequestHeaderLimit (1Ki..8192Ki).
constexpr uint32_t kMinHeadersKb = 1;
constexpr uint32_t kMaxHeadersKb = 8192;

std::optional<Error> validate(const CodecOptions& o) {
  if (o.max_request_headers_kb < kMinHeadersKb || o.max_request_headers_kb > kMaxHeadersKb) {
    return Error{"max_request_headers_kb " + std::to_string(o.max_request_headers_kb) +
                 " is outside 1..8192"};
  }
  if (o.max_request_headers_count == 0)
    return Error{"max_request_headers_count must be at least 1"};
  if (o.read_window_bytes == 0 || o.read_window_bytes > kMaxReadWindowBytes) {
    return Error{"read_window_bytes " + std::to_string(o.read_window_bytes) + " is outside 1.." +
                 std::to_string(kMaxReadWindowBytes)};
  }
  if (o.http10_default_host && !isValidFieldValue(*o.http10_default_host)) {
    return Error{"http10_default_host contains a line break or NUL"};
  }
  if (o.http10_default_host && o.http10_default_host->empty()) {
    return Error{"http10_default_host is empty"};
  }
  for (const std::string& type : o.allowed_upgrade_types) {
    if (!isValidFieldValue(type) || type.empty()) {
      return Error{"allowed_upgrade_types holds an empty or invalid type"};
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const CodecConfig>> CodecConfig::create(const CodecOptions& options) {
  if (auto error = validate(options)) return *error;
  auto matchers = UpgradeMatchers::compile(options.ignored_upgrade_types);
  if (!matchers.ok()) return matchers.error();
  auto config = std::make_shared<CodecConfig>(Key{});
  config->options_ = options;
  config->ignored_ = std::move(matchers).value();
  return std::shared_ptr<const CodecConfig>(std::move(config));
}

bool CodecConfig::ignoresUpgrade(std::string_view upgrade) const {
  return ignored_->matches(upgrade);
}

bool CodecConfig::allowsUpgrade(std::string_view upgrade) const {
  for (const std::string& type : options_.allowed_upgrade_types) {
    if (equalsIgnoreCase(type, upgrade)) return true;
  }
  return false;
}

}  // namespace ctplab::proxy::http1
