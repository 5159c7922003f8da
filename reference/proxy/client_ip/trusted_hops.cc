// numTrustedHops (spec 4.6.2): the entry after the N−1 rightmost ones is the client, whoever the
// peer is.
#include <string>
#include <vector>

#include "header_fields.h"
#include "mode_detectors.h"
#include "xff_entries.h"

namespace ctplab::proxy::client_ip {
namespace {

std::string trustedHops(size_t n) {
  return std::to_string(n) + (n == 1 ? " trusted hop" : " trusted hops");
}

}  // namespace

void detectByTrustedHops(const ClientIpConfig& config, const http1::HeaderList& headers,
                         Detection& d) {
  const size_t skip = config.hops_to_skip;
  d.trace.push_back("mode xForwardedFor.numTrustedHops " + std::to_string(config.num_trusted_hops) +
                    ": skip max(N−1, 0) = " + trustedHops(skip) + " from the right of XFF");
  const std::optional<std::string> xff = combinedValue(headers, kXffName);
  if (!xff) return fallBack(d, "XFF absent");
  const std::vector<std::string_view> entries = entriesFromRight(*xff);
  d.trace.push_back("XFF entries from the right: " + formatEntries(entries));
  if (entries.size() <= skip) {
    return fallBack(d, "XFF has " + std::to_string(entries.size()) +
                           (entries.size() == 1 ? " entry" : " entries") + ", fewer than the " +
                           std::to_string(skip + 1) + " needed");
  }
  if (skip > 0) {
    const std::vector<std::string_view> skipped(entries.begin(), entries.begin() + skip);
    d.trace.push_back("skipping " + trustedHops(skip) + ": " + formatEntries(skipped));
  }
  const std::string position = "entry " + std::to_string(skip + 1);
  const std::optional<IpAddress> client = parseEntry(entries[skip]);
  if (!client) {
    return fallBack(d, position + " = \"" + std::string(entries[skip]) + "\" is not an IP literal");
  }
  d.client = *client;
  d.source = Source::kXff;
  d.trace.push_back(position + " = " + client->toString() + " → client");
}

}  // namespace ctplab::proxy::client_ip
