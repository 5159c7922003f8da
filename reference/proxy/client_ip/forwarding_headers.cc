// applyForwardingHeaders: X-Forwarded-For, X-Forwarded-Proto and x-envoy-external-address as the
// detection mode leaves them for the upstream.
#include "ctplab/proxy/client_ip/forwarding_headers.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "header_fields.h"

namespace ctplab::proxy::client_ip {
namespace {

constexpr char kExternalAddressName[] = "x-envoy-external-address";

// Why the peer is not appended, or "" when it is.
std::string appendVeto(const ClientIpConfig& config, const Detection& detection) {
  switch (config.mode) {
    case Mode::kNone:
    case Mode::kDirectSourceIp:
      return "";
    case Mode::kCustomHeader:
      return config.append_xff_with_custom_header ? "" : "customHeader mode";
    case Mode::kNumTrustedHops:
    case Mode::kTrustedCidrs:
      if (config.disable_xff_append) return "disableXForwardedForAppend";
      if (detection.fallback && !config.append_xff_on_fallback) return "detection fell back";
      return "";
  }
  return "";
}

void forwardXff(const ClientIpConfig& config, const Detection& detection,
                http1::HeaderList& headers, std::vector<std::string>* trace) {
  const auto is_xff = [](const http1::Header& h) {
    return h.name.size() == std::size(kXffName) - 1 && http1::equalsIgnoreCase(h.name, kXffName);
  };
  const auto fields = std::count_if(headers.begin(), headers.end(), is_xff);
  const std::optional<std::string> received = combinedValue(headers, kXffName);
  const std::string veto = appendVeto(config, detection);
  if (!veto.empty()) {
    if (fields > 1) {
      setSingleField(headers, kXffName, *received);
      if (trace) trace->push_back("XFF: " + std::to_string(fields) + " fields folded into one");
    }
    if (trace) trace->push_back("XFF: forwarded as received (" + veto + ")");
    return;
  }
  std::string peer = detection.peer.toString();
  if (!received) {
    if (trace) trace->push_back("XFF: created with peer " + peer);
    setSingleField(headers, kXffName, std::move(peer));
    return;
  }
  // Envoy appends with a bare ',' and skips the separator after an empty value.
  std::string value = received->empty() ? peer : *received + "," + peer;
  if (trace) trace->push_back("XFF: peer " + peer + " appended → " + value);
  setSingleField(headers, kXffName, std::move(value));
}

void forwardProto(const Detection& detection, http1::HeaderList& headers,
                  std::vector<std::string>* trace) {
  if (!trace) {
    setSingleField(headers, kForwardedProtoName, detection.forwarded_proto);
    return;
  }
  const std::optional<std::string> received = combinedValue(headers, kForwardedProtoName);
  setSingleField(headers, kForwardedProtoName, detection.forwarded_proto);
  if (!received) {
    trace->push_back("X-Forwarded-Proto: set to " + detection.forwarded_proto);
  } else if (*received != detection.forwarded_proto) {
    trace->push_back("X-Forwarded-Proto: overwritten with " + detection.forwarded_proto +
                     " (client sent \"" + *received + "\")");
  } else {
    trace->push_back("X-Forwarded-Proto: " + detection.forwarded_proto + " kept");
  }
}

}  // namespace

std::vector<std::string> applyForwardingHeaders(const ClientIpConfig& config,
                                                const Detection& detection,
                                                http1::HeaderList& headers) {
  std::vector<std::string> trace;
  applyForwardingHeaders(config, detection, headers, &trace);
  return trace;
}

void applyForwardingHeaders(const ClientIpConfig& config, const Detection& detection,
                            http1::HeaderList& headers, std::vector<std::string>* trace) {
  if (detection.reject) return;
  forwardXff(config, detection, headers, trace);
  forwardProto(detection, headers, trace);
  if (detection.edge_request && config.set_external_address_on_edge) {
    setSingleField(headers, kExternalAddressName, detection.peer.toString());
    if (trace)
      trace->push_back("x-envoy-external-address: set to peer " + detection.peer.toString());
  }
}

}  // namespace ctplab::proxy::client_ip
