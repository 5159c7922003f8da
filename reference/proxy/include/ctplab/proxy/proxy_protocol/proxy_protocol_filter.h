// The PROXY protocol listener filter of one accepted connection: takes the first bytes, decides
// continue (with the effective peer address) or close, and counts the outcome with Envoy's names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/proxy_protocol/header.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_config.h"
#include "ctplab/proxy/proxy_protocol/proxy_protocol_stats.h"

namespace ctplab::proxy::proxy_protocol {

enum class FilterState {
  kPending,   // waiting for bytes; the driver bounds this with connectionInspectionTimeout
  kContinue,  // hand the connection to the next listener filter / filter chain
  kClose,     // close without a response
};

enum class CloseReason {
  kNone,
  kNotFoundDisallowed,  // no header and the port requires one
  kError,               // malformed header, or a family the proxy cannot adopt
  kVersionDisallowed,   // a header of a version the config disallows
};

class ProxyProtocolFilter {
 public:
  // `socket_peer` is the TCP peer as accepted. `stats` must outlive the filter. A config that is
  // not enabled means the filter is not installed: the filter continues at once and counts nothing.
  ProxyProtocolFilter(const ProxyProtocolConfig& config, Endpoint socket_peer,
                      ProxyProtocolStats& stats);

  // Bytes read from the peer, in order. Returns how many of them the filter took: while pending,
  // all of them; on the call that completes a header, only the header's remaining bytes (what
  // follows is the connection's payload); on a close, all; on a pass-through, none (see
  // passthrough()); 0 once decided.
  size_t feed(std::string_view bytes);

  FilterState state() const { return state_; }
  CloseReason closeReason() const { return close_reason_; }
  // Why a header was rejected (the parser's reason); empty otherwise.
  const std::string& errorDetail() const { return error_detail_; }

  // Once continued: the PROXY source for v1 TCP4/TCP6 and v2 PROXY over INET/INET6, otherwise the
  // socket peer. Client-IP detection, XFF, access logs and IP authorization see this address.
  const Endpoint& peer() const { return peer_; }
  // The header that was found (also after a close for a disallowed version or family).
  const std::optional<ParsedHeader>& header() const { return header_; }
  // Optional mode without a header: bytes taken before the filter knew (a signature prefix such
  // as "PRO"); the next stage reads them before any byte feed() did not take.
  std::string_view passthrough() const { return passthrough_; }

 private:
  void passThrough(size_t buffered_before);
  void close(CloseReason reason, ProxyProtocolStat stat, std::string detail);
  void accept(const ParsedHeader& header);

  ProxyProtocolConfig config_;
  ProxyProtocolStats* stats_;
  Endpoint peer_;
  FilterState state_ = FilterState::kPending;
  CloseReason close_reason_ = CloseReason::kNone;
  std::string error_detail_;
  std::optional<ParsedHeader> header_;
  std::string buffer_;  // header bytes taken so far, at most kV2MaxLength
  std::string passthrough_;
};

}  // namespace ctplab::proxy::proxy_protocol
