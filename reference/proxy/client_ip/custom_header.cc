// customHeader (spec 4.6.4): the first value of one named header must be a bare IP literal;
// failClosed turns a missing or invalid one into a 403.
#include <string>

#include "header_fields.h"
#include "mode_detectors.h"
#include "xff_entries.h"

namespace ctplab::proxy::client_ip {
namespace {

// Envoy's header map holds X-Forwarded-For as one folded value, so a header named like it is read
// folded; any other header's first field is read alone.
std::optional<std::string> firstValue(const http1::HeaderList& headers, const std::string& name) {
  if (http1::equalsIgnoreCase(name, kXffName)) return combinedValue(headers, name);
  const http1::Header* h = http1::findHeader(headers, name);
  if (h == nullptr) return std::nullopt;
  return h->value;
}

}  // namespace

void detectByCustomHeader(const ClientIpConfig& config, const http1::HeaderList& headers,
                          Detection& d) {
  const std::string& name = config.custom_header;
  d.trace.push_back("mode customHeader " + name + (config.fail_closed ? " with failClosed" : ""));
  const std::optional<std::string> value = firstValue(headers, name);
  std::string problem;
  if (!value) {
    problem = name + " absent";
  } else if (const std::optional<IpAddress> client = parseEntry(*value)) {
    d.client = *client;
    d.source = Source::kCustomHeader;
    d.trace.push_back(name + " = " + client->toString() + " → client");
    return;
  } else {
    problem = name + " = \"" + *value + "\" is not a single IP literal";
  }
  if (!config.fail_closed) return fallBack(d, problem);
  d.reject = Reject{};
  d.trace.push_back(problem + " → failClosed: " + std::to_string(d.reject->status) + ", " +
                    std::string(statName(d.reject->stat)));
}

}  // namespace ctplab::proxy::client_ip
