// ir::Listener → CodecOptions: the HTTP/1 codec settings a ClientTrafficPolicy produced.
#include "ctplab/proxy/http1/config_from_ir.h"

#include <algorithm>
#include <string>

namespace ctplab::proxy::http1 {
namespace {

Result<HeadersWithUnderscoresAction> underscoresAction(const std::string& text) {
  // The translator writes "RejectRequest" whenever headers are set; no headers at all means
  // Envoy Gateway's default, which is also RejectRequest.
  if (text.empty() || text == "RejectRequest") return HeadersWithUnderscoresAction::kRejectRequest;
  if (text == "Allow") return HeadersWithUnderscoresAction::kAllow;
  if (text == "DropHeader") return HeadersWithUnderscoresAction::kDropHeader;
  return Error{"unknown withUnderscoresAction \"" + text + "\""};
}

Result<UpgradeTypeMatch> upgradeMatch(const policy::ir::StringMatch& m) {
  if (m.exact) return UpgradeTypeMatch{UpgradeTypeMatch::Kind::kExact, *m.exact};
  if (m.prefix) return UpgradeTypeMatch{UpgradeTypeMatch::Kind::kPrefix, *m.prefix};
  if (m.suffix) return UpgradeTypeMatch{UpgradeTypeMatch::Kind::kSuffix, *m.suffix};
  if (m.safe_regex) return UpgradeTypeMatch{UpgradeTypeMatch::Kind::kRegex, *m.safe_regex};
  return Error{"ignoredUpgradeTypes entry sets no exact, prefix, suffix or regex"};
}

}  // namespace

Result<CodecOptions> codecOptionsFromListener(const policy::ir::Listener& listener) {
  if (!listener.isHTTP()) {
    return Error{"listener " + listener.name + " has protocol " + listener.protocol +
                 "; only HTTP and HTTPS listeners have an HTTP/1 codec"};
  }
  CodecOptions o;
  if (listener.headers) {
    auto action = underscoresAction(listener.headers->with_underscores_action);
    if (!action.ok()) return action.error();
    o.headers_with_underscores_action = action.value();
    if (listener.headers->max_request_headers_kb) {
      o.max_request_headers_kb = *listener.headers->max_request_headers_kb;
    }
  }
  if (listener.http1) {
    const policy::ir::HTTP1Settings& h = *listener.http1;
    o.enable_trailers = h.enable_trailers;
    o.preserve_header_case = h.preserve_header_case;
    o.accept_http10 = h.has_http10;
    o.http10_default_host = h.http10_default_host;
    for (const policy::ir::StringMatch& m : h.ignored_upgrade_types) {
      auto match = upgradeMatch(m);
      if (!match.ok()) return match.error();
      o.ignored_upgrade_types.push_back(match.value());
    }
  }
  if (listener.connection && listener.connection->buffer_limit_bytes) {
    const uint32_t limit = *listener.connection->buffer_limit_bytes;
    o.read_window_bytes = limit == 0 ? kMaxReadWindowBytes : std::min(limit, kMaxReadWindowBytes);
  }
  return o;
}

}  // namespace ctplab::proxy::http1
