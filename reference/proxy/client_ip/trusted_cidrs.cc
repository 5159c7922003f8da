// trustedCIDRs (spec 4.6.3): only a trusted peer's XFF is read, and the client is the rightmost
// entry outside the trusted ranges.
#include <string>
#include <vector>

#include "header_fields.h"
#include "mode_detectors.h"
#include "xff_entries.h"

namespace ctplab::proxy::client_ip {
namespace {

const IpCidr* trustedRange(const std::vector<IpCidr>& ranges, const IpAddress& address) {
  for (const IpCidr& r : ranges) {
    if (r.contains(address)) return &r;
  }
  return nullptr;
}

std::string formatRanges(const std::vector<IpCidr>& ranges) {
  std::string out = "[";
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (i) out += ", ";
    out += ranges[i].toString();
  }
  return out + "]";
}

}  // namespace

void detectByTrustedCidrs(const ClientIpConfig& config, const http1::HeaderList& headers,
                          Detection& d) {
  d.trace.push_back("mode xForwardedFor.trustedCIDRs " + formatRanges(config.trusted_cidrs));
  const std::string peer = d.peer.toString();
  const IpCidr* peer_range = trustedRange(config.trusted_cidrs, d.peer);
  // A peer outside the ranges could have written any XFF: this is what defeats direct spoofing.
  if (peer_range == nullptr) return fallBack(d, "peer " + peer + " is in no trusted CIDR");
  d.trace.push_back("peer " + peer + " is trusted (in " + peer_range->toString() + ")");
  const std::optional<std::string> xff = combinedValue(headers, kXffName);
  if (!xff) return fallBack(d, "XFF absent");
  const std::vector<std::string_view> entries = entriesFromRight(*xff);
  d.trace.push_back("XFF entries from the right: " + formatEntries(entries));
  std::optional<IpAddress> leftmost;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string position = "entry " + std::to_string(i + 1);
    const std::optional<IpAddress> address = parseEntry(entries[i]);
    if (!address) {
      return fallBack(d, position + " = \"" + std::string(entries[i]) + "\" is not an IP literal");
    }
    if (const IpCidr* range = trustedRange(config.trusted_cidrs, *address)) {
      d.trace.push_back(position + " = " + address->toString() + " is trusted (in " +
                        range->toString() + "), skipped");
      leftmost = address;
      continue;
    }
    d.client = *address;
    d.source = Source::kXff;
    d.trace.push_back(position + " = " + address->toString() + " is not trusted → client");
    return;
  }
  // Every hop was trusted: the entry closest to the client is the best answer left.
  d.client = *leftmost;
  d.source = Source::kXff;
  d.trace.push_back("every entry is trusted → leftmost entry " + std::to_string(entries.size()) +
                    " = " + leftmost->toString() + " → client");
}

}  // namespace ctplab::proxy::client_ip
