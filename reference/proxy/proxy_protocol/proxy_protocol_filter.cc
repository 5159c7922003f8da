// The listener filter's decisions and counters, following Envoy's proxy_protocol filter: one
// counter per connection outcome, plus the legacy aggregate on every error.
#include "ctplab/proxy/proxy_protocol/proxy_protocol_filter.h"

#include <algorithm>
#include <utility>

#include "ctplab/proxy/proxy_protocol/parser.h"

namespace ctplab::proxy::proxy_protocol {
namespace {

ProxyProtocolStat foundStat(Version v) {
  return v == Version::kV1 ? ProxyProtocolStat::v1_found : ProxyProtocolStat::v2_found;
}
ProxyProtocolStat errorStat(Version v) {
  return v == Version::kV1 ? ProxyProtocolStat::v1_error : ProxyProtocolStat::v2_error;
}
ProxyProtocolStat disallowedStat(Version v) {
  return v == Version::kV1 ? ProxyProtocolStat::v1_disallowed : ProxyProtocolStat::v2_disallowed;
}

}  // namespace

ProxyProtocolFilter::ProxyProtocolFilter(const ProxyProtocolConfig& config, Endpoint socket_peer,
                                         ProxyProtocolStats& stats)
    : config_(config), stats_(&stats), peer_(std::move(socket_peer)) {
  if (!config_.enabled) state_ = FilterState::kContinue;
}

size_t ProxyProtocolFilter::feed(std::string_view bytes) {
  if (state_ != FilterState::kPending || bytes.empty()) return 0;
  const size_t before = buffer_.size();
  // No header is longer than kV2MaxLength, so nothing past it can matter.
  const size_t take = std::min(bytes.size(), kV2MaxLength - before);
  buffer_.append(bytes.substr(0, take));

  const auto allowed = [this](Version v) {
    return v == Version::kV1 ? config_.allow_v1 : config_.allow_v2;
  };
  // Optional mode decides "no header" as soon as the bytes leave both (allowed) signatures, as
  // Envoy does, so a plain request is never delayed or closed for looking odd later on.
  const std::optional<Version> signature = matchSignature(buffer_);
  if (config_.optional && (!signature || !allowed(*signature))) {
    passThrough(before);
    return 0;
  }

  const ParseResult result = parseHeader(buffer_);
  if (std::holds_alternative<NeedMoreBytes>(result)) return take;
  if (std::holds_alternative<NotProxy>(result)) {
    close(CloseReason::kNotFoundDisallowed, ProxyProtocolStat::not_found_disallowed, "");
    return bytes.size();
  }
  if (const auto* bad = std::get_if<Malformed>(&result)) {
    if (!allowed(bad->version)) {
      stats_->increment(foundStat(bad->version));
      close(CloseReason::kVersionDisallowed, disallowedStat(bad->version), "version disallowed");
    } else {
      close(CloseReason::kError, errorStat(bad->version), bad->reason);
    }
    return bytes.size();
  }

  const ParsedHeader& header = std::get<ParsedHeader>(result);
  header_ = header;
  if (!allowed(header.version)) {
    stats_->increment(foundStat(header.version));
    close(CloseReason::kVersionDisallowed, disallowedStat(header.version), "version disallowed");
    return bytes.size();
  }
  const bool unsupported_family =
      header.version == Version::kV2 && header.command == Command::kProxy &&
      (header.family == Family::kUnspec || header.family == Family::kUnix);
  if (unsupported_family && config_.unsupported_family == UnsupportedFamily::kClose) {
    close(CloseReason::kError, errorStat(header.version), "unsupported address family");
    return bytes.size();
  }
  accept(header);
  // The previous feed stopped short of the header's end (prefix stability), so length > before.
  return header.length > before ? header.length - before : 0;
}

void ProxyProtocolFilter::passThrough(size_t buffered_before) {
  passthrough_ = buffer_.substr(0, buffered_before);
  std::string().swap(buffer_);
  stats_->increment(ProxyProtocolStat::not_found_allowed);
  state_ = FilterState::kContinue;
}

void ProxyProtocolFilter::close(CloseReason reason, ProxyProtocolStat stat, std::string detail) {
  stats_->increment(stat);
  // Envoy counts the legacy aggregate for errors, not for disallowed versions.
  if (reason != CloseReason::kVersionDisallowed) {
    stats_->increment(ProxyProtocolStat::downstream_cx_proxy_proto_error);
  }
  std::string().swap(buffer_);
  close_reason_ = reason;
  error_detail_ = std::move(detail);
  state_ = FilterState::kClose;
}

void ProxyProtocolFilter::accept(const ParsedHeader& header) {
  stats_->increment(foundStat(header.version));
  if (header.command == Command::kProxy && header.source) peer_ = *header.source;
  std::string().swap(buffer_);
  state_ = FilterState::kContinue;
}

}  // namespace ctplab::proxy::proxy_protocol
